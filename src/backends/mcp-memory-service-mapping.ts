import type { z } from "zod";
import { quoteRedacted } from "../core/secrets.js";
import { FIELDS, HealthDetailed, read, ServiceRecord } from "./mcp-memory-service-schemas.js";
import { depthExceeds, MAX_METADATA_DEPTH } from "./metadata-depth.js";
import type { Memory } from "./types.js";

/** A memory record as mcp-memory-service's REST API returns it: id and text checked, the rest as it came. */
export type ServiceMemory = z.output<typeof ServiceRecord>;

/** Whether a record has what a memory cannot be shown without: its id and its text. */
export function isServiceMemory(value: unknown): value is ServiceMemory {
  return ServiceRecord.safeParse(value).success;
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
  const type = read(FIELDS.memory_type, record.memory_type);
  if (type !== undefined) memory.type = type;
  else if (present(record.memory_type)) problems.push("memory_type is not text (left out)");
  const metadata = read(FIELDS.metadata, record.metadata);
  if (metadata !== undefined) {
    if (depthExceeds(metadata, MAX_METADATA_DEPTH)) problems.push(`metadata is nested deeper than ${MAX_METADATA_DEPTH} levels (left out)`);
    else if (Object.keys(metadata).length > 0) memory.metadata = metadata;
  } else if (record.metadata !== undefined && record.metadata !== null) {
    problems.push("metadata is not an object (left out)");
  }
  let previous: { iso: unknown; epoch: unknown; time: string | undefined } | undefined;
  for (const [field, iso, epoch] of [
    ["created_at", record.created_at_iso, record.created_at],
    ["updated_at", record.updated_at_iso, record.updated_at],
  ] as const) {
    // A record never updated has the same two times: parse them once (a search maps ten records).
    const time = previous !== undefined && previous.iso === iso && previous.epoch === epoch ? previous.time : isoTime(iso, epoch);
    previous = { iso, epoch, time };
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

/** A record's metadata when it is an object (the fields the store reads from it). */
export function serviceMetadata(record: ServiceMemory): Record<string, unknown> | undefined {
  return read(FIELDS.metadata, record.metadata);
}

/** A record's type when it is one. */
export function serviceType(record: ServiceMemory | undefined): string | undefined {
  return read(FIELDS.memory_type, record?.memory_type);
}

/**
 * Tags are a list of strings. A comma-separated string (how the server stores them) is split;
 * entries that are not strings are dropped.
 */
function readTags(value: unknown): { tags: string[]; problem?: string } {
  if (value === undefined || value === null) return { tags: [] };
  const given = read(FIELDS.tags, value);
  if (given === undefined) return { tags: [], problem: "tags are not a list (left out)" };
  if (typeof given === "string") {
    return { tags: given.split(",").map((tag) => tag.trim()).filter(Boolean), problem: "tags were one comma-separated text (split at the commas)" };
  }
  const tags = given.filter((tag): tag is string => typeof tag === "string");
  const dropped = given.length - tags.length;
  return dropped === 0 ? { tags } : { tags, problem: `${dropped} ${dropped === 1 ? "tag that is" : "tags that are"} not text (left out)` };
}

function isoTime(isoValue: unknown, epochValue: unknown): string | undefined {
  const iso = read(FIELDS.iso, isoValue);
  if (iso !== undefined) {
    // The server's ISO strings may lack a zone designator; they are UTC.
    const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`;
    const parsed = Date.parse(withZone);
    if (!Number.isNaN(parsed)) return new Date(parsed).toISOString();
  }
  const epochSeconds = read(FIELDS.epoch, epochValue);
  return epochSeconds === undefined ? undefined : new Date(epochSeconds * 1000).toISOString();
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
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
  const health = read(HealthDetailed, info);
  const fields: [string, string | number | boolean | undefined][] = [
    ["version", health?.version],
    ["total_memories", health?.statistics?.total_memories],
    ["storage_backend", health?.statistics?.backend],
  ];
  const server: Record<string, unknown> = {};
  for (const [key, value] of fields) {
    if (typeof value === "string") server[key] = quoteRedacted(value, redact, MAX_INFO_CHARS);
    else if (value !== undefined) server[key] = value;
  }
  return server;
}
