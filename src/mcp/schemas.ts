import * as z from "zod";

/** Input and output schemas of contracts/tools.md. Messages name the argument and the rule. */

const tag = z.string().min(1, "a tag must not be empty").max(100, "a tag is at most 100 characters");
const tags = z.array(tag).max(32, "at most 32 tags");
const metadata = z.record(z.string(), z.unknown());
const id = z.string().min(1, "id must not be empty").max(512, "id is at most 512 characters");

export const memorySchema = z.object({
  id: z.string(),
  content: z.string(),
  tags: z.array(z.string()),
  type: z.string().optional(),
  metadata: metadata.optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  score: z.number().optional(),
  /** What of the server's record could not be read (and is left out). */
  note: z.string().optional(),
});
/** Records left out of a page because they had no readable id or text. */
const skipped = z.number().int().optional();

const project = z.string().nullable();

export const storeInput = {
  content: z
    .string()
    .min(1, "content must not be empty")
    .max(100_000, "content is at most 100000 characters")
    .describe("The text to remember: one self-contained fact, decision or note, written so it makes sense later without this conversation."),
  tags: tags.optional().describe("Short labels for finding it again, e.g. [\"decision\", \"api\"]. At most 32."),
  type: z
    .string()
    .max(50, "type is at most 50 characters")
    .optional()
    .describe("Kind of memory, e.g. note, decision, learning, reference, bug. A server may keep its own list of types and store another one."),
  metadata: metadata.optional().describe("Extra structured fields to keep with the memory."),
};
export const storeOutput = {
  /** Absent when the store is still pending (then `event_id` says which). */
  id: z.string().optional(),
  stored: z.union([z.literal(true), z.literal("pending")]),
  /** Absent when the store is still pending. */
  deduplicated: z.boolean().optional(),
  project,
  /** Every memory the text became, when the server split it into parts. */
  ids: z.array(z.string()).optional(),
  /** The type the server stored, when it is not the one asked for. */
  type: z.string().optional(),
  /** An asynchronous store still running at the deadline: the server's event for it. */
  event_id: z.string().optional(),
  /** mem0: every memory the server's extraction added, updated or deleted. */
  changes: z
    .array(z.object({ id: z.string(), event: z.enum(["ADD", "UPDATE", "DELETE"]), content: z.string().optional(), previous: z.string().optional() }))
    .optional(),
};

export const searchInput = {
  query: z
    .string()
    .min(1, "query must not be empty")
    .max(2_000, "query is at most 2000 characters")
    .describe("What you are looking for, in natural language; matched by meaning, not exact words."),
  limit: z.number().int("limit must be a whole number").min(1, "limit is at least 1").max(100, "limit is at most 100").default(10).describe("Most results to return (1–100, default 10)."),
  tags: tags.optional().describe("Only memories carrying every one of these tags."),
  scope: z.enum(["project", "all"]).default("project").describe("\"project\" (default): this project's memories only; \"all\": every project's."),
};
export const searchOutput = { results: z.array(memorySchema), project, skipped };

export const listInput = {
  page: z.number().int("page must be a whole number").min(1, "page is at least 1").default(1).describe("Page number, from 1."),
  page_size: z.number().int("page_size must be a whole number").min(1, "page_size is at least 1").max(100, "page_size is at most 100").default(20).describe("Memories per page (1–100, default 20)."),
  tags: tags.optional().describe("Only memories carrying every one of these tags."),
};
export const listOutput = {
  memories: z.array(memorySchema),
  page: z.number(),
  page_size: z.number(),
  has_more: z.boolean(),
  total: z.number().optional(),
  skipped,
  /** The server lists at most this many: the list was sorted from them only. */
  cappedAt: z.number().optional(),
};

export const getInput = { id: id.describe("The memory's id, as returned by store, search or list.") };
export const getOutput = { memory: memorySchema };

export const updateInput = {
  id: id.describe("The memory's id."),
  content: z.string().min(1, "content must not be empty").max(100_000, "content is at most 100000 characters").optional().describe("New text (not every backend can change text)."),
  tags: tags.optional().describe("The complete new list of tags (replaces the old list)."),
  type: z.string().max(50, "type is at most 50 characters").optional().describe("New kind of memory."),
  metadata: metadata.optional().describe("New metadata object."),
};
export const updateOutput = { memory: memorySchema };

export const deleteInput = { id: id.describe("The memory's id.") };
export const deleteOutput = { id: z.string(), deleted: z.literal(true) };

export const statusOutput = {
  endpoint: z.string().nullable(),
  endpoint_source: z.enum(["flag", "env", "profile", "default", "discovered"]),
  backend: z.string().nullable(),
  project: z.object({
    id: z.string().nullable(),
    mode: z.enum(["auto", "manual", "global"]),
    source: z.string(),
    reason: z.string().optional(),
  }),
  auth: z.object({ source: z.enum(["env", "keychain", "file", "none"]), scheme: z.string().nullable(), keychain_unreachable: z.string().optional() }),
  reachable: z.boolean(),
  token_accepted: z.boolean().optional(),
  latency_ms: z.number().optional(),
  server: z.record(z.string(), z.unknown()).optional(),
  problems: z.array(z.string()).optional(),
  discovery: z
    .object({
      tried: z.array(z.object({ url: z.string(), source: z.string(), result: z.string() })),
      mdns: z.object({ ran: z.boolean(), services: z.number(), error: z.string().optional() }),
    })
    .optional(),
  version: z.string(),
};

export const historyInput = { id: id.describe("The memory's id.") };
export const historyOutput = {
  events: z.array(
    z.object({ event: z.string(), old_content: z.string().optional(), new_content: z.string().optional(), at: z.string() }),
  ),
};
