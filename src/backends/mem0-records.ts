import * as z from "zod";

/**
 * What mem0's servers send back, checked with zod record by record. A record needs only what a
 * memory cannot be shown without, its id and its text: one without them is left out and counted
 * (`skipped`), never failing the page. Its other fields are read tolerantly when it is mapped
 * (mem0-mapping.ts), what cannot be read named in the memory's note. Shapes: server/main.py and
 * mem0/memory/main.py (self-hosted, both generations), docs/openapi.json (the platform: app_id),
 * and the API-key server of AUTH_SETUP.md (assumed mem0-shaped).
 */

/** An owner field that is not text counts as absent: such a record is nobody's, so never shown or changed. */
const owner = z.string().nullish().catch(undefined);
/** A text field whose absence the reader copes with. */
const text = z.string().nullish().catch(undefined);

/** One memory: GET /memories/{id}, list and search items (search adds `score`). */
export const mem0RecordSchema = z.object({
  id: z.string().min(1),
  memory: z.string(),
  user_id: owner,
  agent_id: owner,
  app_id: owner,
  run_id: owner,
  metadata: z.unknown().optional(),
  created_at: z.unknown().optional(),
  updated_at: z.unknown().optional(),
  score: z.unknown().optional(),
});
export type Mem0Record = z.infer<typeof mem0RecordSchema>;

/** One entry of an add's `results`: self-hosted `{id, memory, event, previous_memory?}`, the platform `{id, data:{memory}, event}`. */
export const addResultSchema = z.object({
  id: z.string().min(1),
  event: z.string(),
  memory: text,
  data: z.object({ memory: text }).nullish().catch(undefined),
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

/** The items of a list that match their schema, and how many did not. */
export interface Parsed<T> {
  items: T[];
  skipped: number;
}

/** The items of `list` that match `schema`; undefined when `list` is not an array. */
export function parseEach<T>(schema: z.ZodType<T>, list: unknown): Parsed<T> | undefined {
  if (!Array.isArray(list)) return undefined;
  const items: T[] = [];
  for (const item of list) {
    const parsed = schema.safeParse(item);
    if (parsed.success) items.push(parsed.data);
  }
  return { items, skipped: list.length - items.length };
}

/** `{"results": [...]}` parsed item by item; undefined when the body is not that envelope. */
export function parseResults<T>(schema: z.ZodType<T>, body: unknown): Parsed<T> | undefined {
  const envelope = resultsEnvelope.safeParse(body);
  return envelope.success ? parseEach(schema, envelope.data.results) : undefined;
}
