import { hasTags, toMemory, type MetadataRules } from "./mem0-mapping.js";
import type { Mem0Record, Parsed } from "./mem0-records.js";
import type { ListInput, ListResult, Memory, SearchInput, SearchResults } from "./types.js";

/**
 * Which of a mem0 server's records the caller gets, in what order. mem0 lists have no pages and no
 * order (records come in storage order), and at most 1,000 come back from one listing: the bridge
 * fetches up to that cap, sorts newest first and slices the page.
 */
export const MEM0_LIST_CAP = 1_000;

/**
 * One page of the records `keep` accepts, tag-filtered and newest first. `cappedAt`: the listing
 * stopped at the server's cap, so there is no total.
 */
export function listPage(parsed: Parsed<Mem0Record>, keep: (record: Mem0Record) => boolean, rules: MetadataRules, input: ListInput, cappedAt?: number): ListResult {
  const kept = parsed.items
    .filter(keep)
    .map((record) => toMemory(record, rules))
    .filter((memory) => hasTags(memory, input.tags))
    .sort(newestFirst);
  const start = (input.page - 1) * input.page_size;
  const memories = kept.slice(start, start + input.page_size);
  const has_more = start + input.page_size < kept.length;
  return {
    memories,
    has_more,
    ...(cappedAt === undefined ? { total: kept.length } : { cappedAt }),
    ...(parsed.skipped > 0 && { skipped: parsed.skipped }),
  };
}

/** A search's hits that `keep` accepts and that carry the tags asked for, best first as the server ranked them. */
export function searchHits(parsed: Parsed<Mem0Record>, keep: (record: Mem0Record) => boolean, rules: MetadataRules, input: SearchInput): SearchResults {
  const hits: SearchResults = parsed.items
    .filter(keep)
    .map((record) => toMemory(record, rules))
    .filter((memory) => hasTags(memory, input.tags))
    .slice(0, input.limit);
  if (parsed.skipped > 0) hits.skipped = parsed.skipped;
  return hits;
}

function newestFirst(a: Memory, b: Memory): number {
  const at = a.created_at ?? "";
  const bt = b.created_at ?? "";
  if (at !== bt) return at < bt ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
