import type { Memory } from "./types.js";

/** A memory object as mcp-memory-service's REST API returns it (contracts/backends.md §1). */
export interface ServiceMemory {
  content: string;
  content_hash: string;
  tags?: string[] | null;
  memory_type?: string | null;
  metadata?: Record<string, unknown> | null;
  created_at?: number | null;
  created_at_iso?: string | null;
  updated_at?: number | null;
  updated_at_iso?: string | null;
}

export function isServiceMemory(value: unknown): value is ServiceMemory {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.content === "string" && typeof v.content_hash === "string";
}

/**
 * Maps a server record to the canonical shape. `hiddenTag` (the current project's own tag) is
 * left out of `tags`: it is bookkeeping, and the bridge re-adds it on every write.
 */
export function toMemory(record: ServiceMemory, hiddenTag?: string, score?: number): Memory {
  const memory: Memory = {
    id: record.content_hash,
    content: record.content,
    tags: (record.tags ?? []).filter((tag) => tag !== hiddenTag),
  };
  if (record.memory_type) memory.type = record.memory_type;
  if (record.metadata && Object.keys(record.metadata).length > 0) memory.metadata = record.metadata;
  const created = isoTime(record.created_at_iso, record.created_at);
  if (created) memory.created_at = created;
  const updated = isoTime(record.updated_at_iso, record.updated_at);
  if (updated) memory.updated_at = updated;
  if (score !== undefined && Number.isFinite(score)) memory.score = score;
  return memory;
}

function isoTime(iso: string | null | undefined, epochSeconds: number | null | undefined): string | undefined {
  if (iso) {
    // The server's ISO strings may lack a zone designator; they are UTC.
    const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`;
    const parsed = Date.parse(withZone);
    if (!Number.isNaN(parsed)) return new Date(parsed).toISOString();
  }
  if (typeof epochSeconds === "number" && Number.isFinite(epochSeconds)) {
    return new Date(epochSeconds * 1000).toISOString();
  }
  return undefined;
}

/** The server's word for an add that found identical content already stored. */
export function isDuplicateMessage(message: unknown): boolean {
  return typeof message === "string" && /duplicate/i.test(message);
}
