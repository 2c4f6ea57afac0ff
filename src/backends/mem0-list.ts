import { hasTags } from "./mem0-mapping.js";
import type { ListInput, ListResult, Memory } from "./types.js";

/**
 * mem0 lists have no pages and no order (records come in storage order), and at most 1,000 come
 * back from one listing. The bridge fetches up to that cap, sorts newest first and slices the page.
 */
export const MEM0_LIST_CAP = 1_000;

/** One page of `all`, tag-filtered and newest first. `cappedAt`: the listing stopped at the server's cap. */
export function listPage(all: readonly Memory[], input: ListInput, cappedAt?: number): ListResult {
  const kept = all.filter((memory) => hasTags(memory, input.tags)).sort(newestFirst);
  const start = (input.page - 1) * input.page_size;
  const memories = kept.slice(start, start + input.page_size);
  const has_more = start + input.page_size < kept.length;
  return { memories, has_more, ...(cappedAt === undefined ? { total: kept.length } : { cappedAt }) };
}

function newestFirst(a: Memory, b: Memory): number {
  const at = a.created_at ?? "";
  const bt = b.created_at ?? "";
  if (at !== bt) return at < bt ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
