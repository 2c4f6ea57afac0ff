import { z } from "zod";

/**
 * mcp-memory-service's answers (contracts/backends.md §1; its web/api/models.py), as zod schemas.
 * Envelopes are checked whole; the records in them one at a time, so one malformed record is
 * skipped (and counted) instead of failing the page. A record needs only its id and its text:
 * every other field is read on its own (FIELDS), and a bad one is left out with a note.
 */

/** A field a misbehaving server may send as anything: its value when it fits, else undefined. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** A memory record: its id and text checked; every other field carried as it came. */
export const ServiceRecord = z.looseObject({ content: z.string(), content_hash: z.string().min(1) });

/** The fields of a record that toMemory and the store read, each on its own. */
export const FIELDS = {
  /** A list (entries that are not text are dropped), or one comma-separated text, as the server stores them. */
  tags: z.union([z.array(z.unknown()), z.string()]),
  memory_type: z.string().min(1),
  metadata: z.record(z.string(), z.unknown()),
  iso: z.string().min(1),
  /** Epoch seconds within a JavaScript Date's range (±8.64e15 ms). */
  epoch: z.number().min(-8.64e12).max(8.64e12),
  /** metadata.original_hash (the text a chunk was cut from), metadata.conversation_id. */
  text: z.string(),
  /** metadata.chunk_index */
  chunk_index: z.number(),
};

/** GET /memories */
export const ListAnswer = z.object({ memories: z.array(z.unknown()), total: lenient(z.number()), has_more: lenient(z.boolean()) });

/** POST /search; each of `results` is a SearchHit. */
export const SearchAnswer = z.object({ results: z.array(z.unknown()) });
export const SearchHit = z.object({ memory: ServiceRecord, similarity_score: lenient(z.number()) });

/**
 * POST /memories: `success` and the server's message, the stored record's hash, and the record
 * itself on newer servers. An answer that is not an object reads as one that says nothing.
 */
export const StoreAnswer = z
  .object({ success: lenient(z.boolean()), message: lenient(z.string()), content_hash: lenient(z.string()), memory: lenient(ServiceRecord) })
  .catch({});

/** PUT and DELETE /memories/{id}: `success` and the server's message (quoted as it came), and on newer servers the record. */
export const ChangeAnswer = z.object({ success: lenient(z.boolean()), message: z.unknown(), memory: lenient(ServiceRecord) }).catch({ message: undefined });

/** A value /health/detailed reports that can be shown as it is. */
const scalar = lenient(z.union([z.string(), z.number(), z.boolean()]));
/** GET /health/detailed */
export const HealthDetailed = z.object({
  version: scalar,
  statistics: lenient(z.object({ total_memories: scalar, backend: scalar })),
});

/** A FastAPI error body: one with a `detail`, of any type. */
export const ErrorBody = z.object({ detail: z.unknown().refine((detail) => detail !== undefined) });

/** `value` as `schema` reads it, or undefined when it does not fit. */
export function read<T extends z.ZodType>(schema: T, value: unknown): z.output<T> | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
