import { quoteRedacted } from "../credentials/redact.js";
import { depthExceeds, MAX_METADATA_DEPTH } from "./metadata-depth.js";
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

/** Whether a record has what a memory cannot be shown without: its id and its text. */
export function isServiceMemory(value: unknown): value is ServiceMemory {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.content === "string" && typeof v.content_hash === "string" && v.content_hash !== "";
}

export { MAX_METADATA_DEPTH } from "./metadata-depth.js";

/**
 * Maps a server record to the canonical shape. `hiddenTag` (the current project's own tag) is
 * left out of `tags`: it is bookkeeping, and the bridge re-adds it on every write.
 *
 * A field that is not what the API promises does not sink the record: what can be read is kept,
 * the rest left out, and `note` says what (one bad record must not fail a whole page).
 */
export function toMemory(record: ServiceMemory, hiddenTag?: string, score?: number): Memory {
  const problems: string[] = [];
  const tags = readTags(record.tags);
  if (tags.problem) problems.push(tags.problem);
  const memory: Memory = { id: record.content_hash, content: record.content, tags: tags.tags.filter((tag) => tag !== hiddenTag) };
  const type: unknown = record.memory_type;
  if (typeof type === "string" && type !== "") memory.type = type;
  else if (type !== undefined && type !== null && type !== "") problems.push("memory_type is not text (left out)");
  const metadata: unknown = record.metadata;
  if (isPlainObject(metadata)) {
    if (depthExceeds(metadata, MAX_METADATA_DEPTH)) problems.push(`metadata is nested deeper than ${MAX_METADATA_DEPTH} levels (left out)`);
    else if (Object.keys(metadata).length > 0) memory.metadata = metadata;
  } else if (metadata !== undefined && metadata !== null) {
    problems.push("metadata is not an object (left out)");
  }
  for (const [field, iso, epoch] of [
    ["created_at", record.created_at_iso, record.created_at],
    ["updated_at", record.updated_at_iso, record.updated_at],
  ] as const) {
    const time = isoTime(iso, epoch);
    if (time) memory[field] = time;
    else if (present(iso) || present(epoch)) problems.push(`${field} is not a valid time (left out)`);
  }
  if (score !== undefined && Number.isFinite(score)) memory.score = score;
  if (problems.length > 0) memory.note = `Part of this record could not be read: ${problems.join("; ")}.`;
  return memory;
}

/** A record's tags as the server means them, for filtering and ownership checks (see readTags). */
export function serviceTags(record: ServiceMemory): string[] {
  return readTags(record.tags).tags;
}

/**
 * Tags are a list of strings. A comma-separated string (how the server stores them) is split;
 * entries that are not strings are dropped.
 */
function readTags(value: unknown): { tags: string[]; problem?: string } {
  if (value === undefined || value === null) return { tags: [] };
  if (typeof value === "string") {
    return { tags: value.split(",").map((tag) => tag.trim()).filter(Boolean), problem: "tags were one comma-separated text (split at the commas)" };
  }
  if (!Array.isArray(value)) return { tags: [], problem: "tags are not a list (left out)" };
  const tags = value.filter((tag): tag is string => typeof tag === "string");
  const dropped = value.length - tags.length;
  return dropped === 0 ? { tags } : { tags, problem: `${dropped} ${dropped === 1 ? "tag that is" : "tags that are"} not text (left out)` };
}

/** ±8.64e15 ms is the range of a JavaScript Date. */
const MAX_EPOCH_SECONDS = 8.64e12;

function isoTime(iso: unknown, epochSeconds: unknown): string | undefined {
  if (typeof iso === "string" && iso !== "") {
    // The server's ISO strings may lack a zone designator; they are UTC.
    const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`;
    const parsed = Date.parse(withZone);
    if (!Number.isNaN(parsed)) return new Date(parsed).toISOString();
  }
  if (typeof epochSeconds === "number" && Number.isFinite(epochSeconds) && Math.abs(epochSeconds) <= MAX_EPOCH_SECONDS) {
    return new Date(epochSeconds * 1000).toISOString();
  }
  return undefined;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The server's word for an add that found identical content already stored. */
export function isDuplicateMessage(message: unknown): boolean {
  return typeof message === "string" && /duplicate/i.test(message);
}

const MAX_INFO_CHARS = 100;

/**
 * What /health/detailed says about the server, as status and login show it: the version, the
 * memory count and the storage backend, each a short scalar with the token redacted (a server may
 * echo anything back).
 */
export function serverInfo(info: unknown, redact: (text: string) => string): Record<string, unknown> {
  const server: Record<string, unknown> = {};
  if (!isRecord(info)) return server;
  const stats = isRecord(info.statistics) ? info.statistics : {};
  const fields: [string, unknown][] = [
    ["version", info.version],
    ["total_memories", stats.total_memories],
    ["storage_backend", stats.backend],
  ];
  for (const [key, value] of fields) {
    if (typeof value === "string") server[key] = quoteRedacted(value, redact, MAX_INFO_CHARS);
    else if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean") server[key] = value;
  }
  return server;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
