import * as z from "zod";

/**
 * The API-key mem0 server of AUTH_SETUP.md (contracts/backends.md §4), known only from that
 * document. What it shows is used as shown; everything marked ASSUMED below is a guess about what it
 * does not show, kept here and nowhere else so it is easy to correct against the real server.
 */
export const KEYED_API = {
  // Shown.
  health: "/health",
  add: "/memories",
  search: "/memories/search",
  list: (userId: string) => `/memories/${encodeURIComponent(userId)}`,
  update: "/memories",
  delete: (memoryId: string) => `/memories/${encodeURIComponent(memoryId)}`,
  stats: (userId: string) => `/stats/${encodeURIComponent(userId)}`,

  // ASSUMED: the 403 of every route acting for another user names the key's user the way the add's
  // does ("Access denied: You can only add memories for yourself (authenticated as 'alice')").
  authenticatedAs: /\(authenticated as '([^']+)'\)/,
  // ASSUMED: the add passes `metadata` and `infer` on to mem0, as mem0's own add takes them.
  addTakesMetadataAndInfer: true,
  // ASSUMED: search takes a `limit`.
  searchLimitField: "limit",
  // ASSUMED: PUT /memories names the memory `memory_id` and the new text `text` or `data` (both are sent), plus `metadata`.
  updateBody: (memoryId: string, text: string, metadata: Record<string, unknown>) => ({ memory_id: memoryId, text, data: text, metadata }),
  // ASSUMED: the list answers like the search, `{memories, total_count}`, and is mem0's get_all with
  // its default limit of 100: that many means there may be more.
  listCap: 100,
  // ASSUMED: no agent id is shown, so the project goes in metadata.project.
  projectKey: "project",
} as const;

/** ASSUMED: records are mem0's (`id`, `memory`, `metadata`, `created_at`, `user_id`) — the shared record schema reads them. */
export const addAnswerSchema = z.object({ added_memories: z.array(z.unknown()), message: z.string().nullish() });
/** `{memories:[…], total_count}` (shown for the search; ASSUMED for the list). */
export const memoriesEnvelope = z.object({ memories: z.array(z.unknown()), total_count: z.number().nullish() });
