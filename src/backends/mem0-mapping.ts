import { depthExceeds, MAX_METADATA_DEPTH } from "./metadata-depth.js";
import { uniqueTags } from "./project-tag.js";
import { UnsupportedArgumentError } from "./errors.js";
import type { HistoryRow, Mem0Record } from "./mem0-records.js";
import type { HistoryEvent, Memory, StoreInput, UpdateInput } from "./types.js";

/**
 * mem0 has no tags or types: the bridge keeps them in the record's metadata as `tags` (a list of
 * strings) and `type`. mem0 stores metadata beside its own fields in one payload, so a metadata key
 * that names one of those fields would overwrite it; such keys are refused.
 */
const RESERVED_KEYS = new Set([
  "data",
  "hash",
  "id",
  "created_at",
  "updated_at",
  "user_id",
  "agent_id",
  "app_id",
  "run_id",
  "actor_id",
  "role",
  "text_lemmatized",
  "attributed_to",
  "expiration_date",
]);

export interface MetadataRules {
  /** The backend's name, for messages. */
  backend: string;
  /** The bridge's own bookkeeping keys besides tags and type (mem0-keyed: `project`): never shown, never set by a caller. */
  hidden?: readonly string[];
}

/**
 * A server record in the canonical shape: tags and type out of metadata, bookkeeping hidden. A
 * field that is not what the API promises does not sink the record: what can be read is kept, the
 * rest left out, and `note` says what.
 */
export function toMemory(record: Mem0Record, rules: MetadataRules): Memory {
  const problems: string[] = [];
  const memory: Memory = { id: record.id, content: record.memory, tags: [] };
  const metadata = readMetadata(record.metadata, problems);
  if (metadata) {
    const { tags, type, ...rest } = metadata;
    for (const key of rules.hidden ?? []) delete rest[key];
    memory.tags = readTags(tags, problems);
    if (typeof type === "string" && type !== "") memory.type = type;
    else if (type !== undefined && type !== null && type !== "") problems.push("metadata.type is not text (left out)");
    if (Object.keys(rest).length > 0) memory.metadata = rest;
  }
  for (const field of ["created_at", "updated_at"] as const) {
    const value: unknown = record[field];
    const time = typeof value === "string" ? isoTime(value) : undefined;
    if (time) memory[field] = time;
    else if (value !== undefined && value !== null && value !== "") problems.push(`${field} is not a valid time (left out)`);
  }
  if (typeof record.score === "number" && Number.isFinite(record.score)) memory.score = record.score;
  if (problems.length > 0) memory.note = `Part of this record could not be read: ${problems.join("; ")}.`;
  return memory;
}

/** The metadata a store sends: the caller's, with `metadata.tags` merged into tags, plus type and `extra` bookkeeping. */
export function metadataForStore(input: StoreInput, rules: MetadataRules, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { tags: givenTags, type: givenType, ...rest } = checkedMetadata(input.metadata ?? {}, rules);
  const tags = cleanTags([...(input.tags ?? []), ...tagList(givenTags)]);
  const type = input.type ?? stringOr(givenType);
  return { ...rest, ...(tags.length > 0 && { tags }), ...(type !== undefined && { type }), ...extra };
}

/**
 * The whole metadata after an update: what is not changed is sent again, because generation A of
 * the self-hosted server rebuilds a record's metadata from the update alone.
 */
export function metadataForUpdate(record: Mem0Record, input: UpdateInput, rules: MetadataRules, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { tags: oldTags, type: oldType, ...oldRest } = readMetadata(record.metadata, []) ?? {};
  for (const key of rules.hidden ?? []) delete oldRest[key];
  const given = input.metadata === undefined ? undefined : checkedMetadata(input.metadata, rules);
  const { tags: givenTags, type: givenType, ...givenRest } = given ?? {};
  const user = given === undefined ? oldRest : givenRest;
  const tags = input.tags !== undefined ? cleanTags(input.tags) : givenTags !== undefined ? tagList(givenTags) : readTags(oldTags, []);
  const type = input.type ?? stringOr(givenType) ?? stringOr(oldType);
  return { ...user, ...(tags.length > 0 && { tags }), ...(type !== undefined && { type }), ...extra };
}

export function historyEvent(row: HistoryRow): HistoryEvent {
  const event: HistoryEvent = { event: row.event, at: isoTime(row.updated_at) ?? isoTime(row.created_at) ?? "" };
  if (typeof row.old_memory === "string") event.old_content = row.old_memory;
  if (typeof row.new_memory === "string") event.new_content = row.new_memory;
  return event;
}

/** Whether every tag asked for is on the memory (exact, as stored). */
export function hasTags(memory: Memory, tags: readonly string[] | undefined): boolean {
  if (!tags || tags.length === 0) return true;
  const wanted = cleanTags(tags);
  return wanted.every((tag) => memory.tags.includes(tag));
}

/** mem0's times: ISO with microseconds and an offset, or naive (then UTC). */
export function isoTime(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const parsed = Date.parse(withZone);
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

function checkedMetadata(metadata: Record<string, unknown>, rules: MetadataRules): Record<string, unknown> {
  for (const key of Object.keys(metadata)) {
    if (RESERVED_KEYS.has(key) || rules.hidden?.includes(key)) {
      throw new UnsupportedArgumentError(rules.backend, `metadata.${key}`, `"${key}" is a field ${rules.backend} keeps itself. Use another key.`);
    }
  }
  return metadata;
}

/** The metadata object, or undefined (noting why) when it is not one or nests too deep to show. */
function readMetadata(value: unknown, problems: string[]): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    problems.push("metadata is not an object (left out)");
    return undefined;
  }
  if (depthExceeds(value)) {
    problems.push(`metadata is nested deeper than ${MAX_METADATA_DEPTH} levels (left out)`);
    return undefined;
  }
  return { ...(value as Record<string, unknown>) };
}

/** metadata.tags as the bridge writes them, a list of texts; a comma-separated text is split, anything else left out. */
function readTags(value: unknown, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") {
    if (value.includes(",")) problems.push("tags were one comma-separated text (split at the commas)");
    return cleanTags(value.split(","));
  }
  if (!Array.isArray(value)) {
    problems.push("metadata.tags is not a list (left out)");
    return [];
  }
  const tags = value.filter((tag): tag is string => typeof tag === "string");
  const dropped = value.length - tags.length;
  if (dropped > 0) problems.push(`${dropped} ${dropped === 1 ? "tag that is" : "tags that are"} not text (left out)`);
  return cleanTags(tags);
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function tagList(value: unknown): string[] {
  if (Array.isArray(value)) return cleanTags(value.filter((tag): tag is string => typeof tag === "string"));
  return typeof value === "string" ? cleanTags([value]) : [];
}

function cleanTags(tags: readonly string[]): string[] {
  return uniqueTags(tags.map((tag) => tag.trim()).filter((tag) => tag !== ""));
}
