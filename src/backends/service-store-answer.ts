/**
 * What mcp-memory-service's answer to `POST /memories` means (its web/api/memories.py and
 * services/memory_service.py). Stored: the first (or only) memory's hash, and for content split
 * into chunks, how many. Refused: an exact duplicate (the same text is stored: safe to call a
 * dedup once the record is checked), a semantic duplicate (a *different* text was turned away as
 * similar to another memory: nothing was stored), or any other reason.
 */
export type StoreAnswer =
  | { kind: "stored"; id: string; chunks?: number }
  | { kind: "exact-duplicate"; chunks?: number }
  | { kind: "semantic-duplicate"; similarTo: string; chunks?: number }
  | { kind: "refused"; reason: string };

const CHUNKED = /^Memory stored as (\d+) chunks/;
const ALL_CHUNKS_FAILED = /^Failed to store all (\d+) chunks: /;
const SEMANTIC = /semantically similar to ([0-9a-f]{64})/i;
const DUPLICATE = /^Duplicate content detected\b/;

export function classifyStoreAnswer(success: unknown, message: unknown, hash: string | undefined): StoreAnswer {
  const text = typeof message === "string" ? message : "";
  if (success === true && hash) {
    const chunked = CHUNKED.exec(text);
    return chunked ? { kind: "stored", id: hash, chunks: Number(chunked[1]) } : { kind: "stored", id: hash };
  }
  const allChunks = ALL_CHUNKS_FAILED.exec(text);
  const reasons = allChunks ? text.slice(allChunks[0].length) : text;
  const chunks = allChunks ? { chunks: Number(allChunks[1]) } : {};
  const semantic = SEMANTIC.exec(reasons);
  if (semantic) return { kind: "semantic-duplicate", similarTo: semantic[1]!.toLowerCase(), ...chunks };
  // Every chunk's reason (comma-joined) must be a duplicate for the whole text to be stored already.
  if (reasons && reasons.split(/, (?=[A-Z])/).every((reason) => DUPLICATE.test(reason))) return { kind: "exact-duplicate", ...chunks };
  return { kind: "refused", reason: text || "no reason given" };
}
