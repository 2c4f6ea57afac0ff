import * as z from "zod";

/**
 * What mem0's servers send back, checked with zod record by record: one malformed record is
 * dropped, the rest of the page is kept. Shapes: server/main.py and mem0/memory/main.py (self-hosted,
 * both generations), docs/openapi.json (the platform: app_id, categories), and the API-key server
 * of AUTH_SETUP.md (assumed mem0-shaped).
 */

const text = z.string().nullish();

/** One memory: GET /memories/{id}, list and search items (search adds `score`). */
export const mem0RecordSchema = z.object({
  id: z.string().min(1),
  memory: z.string(),
  user_id: text,
  agent_id: text,
  app_id: text,
  run_id: text,
  metadata: z.record(z.string(), z.unknown()).nullish(),
  created_at: text,
  updated_at: text,
  score: z.number().nullish(),
});
export type Mem0Record = z.infer<typeof mem0RecordSchema>;

/** One entry of an add's `results`: self-hosted `{id, memory, event, previous_memory?}`, the platform `{id, data:{memory}, event}`. */
export const addResultSchema = z.object({
  id: z.string().min(1),
  event: z.string(),
  memory: text,
  data: z.object({ memory: text }).nullish(),
  previous_memory: text,
});
export type AddResult = z.infer<typeof addResultSchema>;

/** One row of GET /memories/{id}/history. */
export const historyRowSchema = z.object({
  event: z.string(),
  old_memory: text,
  new_memory: text,
  created_at: text,
  updated_at: text,
});
export type HistoryRow = z.infer<typeof historyRowSchema>;

/** `{"results": [...]}`, the envelope of mem0's lists, searches and adds. */
export const resultsEnvelope = z.object({ results: z.array(z.unknown()) });

/** The items of `list` that match `schema`; undefined when `list` is not an array. */
export function parseEach<T>(schema: z.ZodType<T>, list: unknown): T[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const items: T[] = [];
  for (const item of list) {
    const parsed = schema.safeParse(item);
    if (parsed.success) items.push(parsed.data);
  }
  return items;
}

/** `{"results": [...]}` parsed item by item; undefined when the body is not that envelope. */
export function parseResults<T>(schema: z.ZodType<T>, body: unknown): T[] | undefined {
  const envelope = resultsEnvelope.safeParse(body);
  return envelope.success ? parseEach(schema, envelope.data.results) : undefined;
}
