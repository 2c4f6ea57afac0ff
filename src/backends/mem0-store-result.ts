import { NothingStoredError, UnexpectedResponseError } from "./errors.js";
import type { AddResult, Parsed } from "./mem0-records.js";
import type { StoreChange, StoreResult } from "./types.js";

const EVENTS = new Set(["ADD", "UPDATE", "DELETE"]);

/**
 * What a mem0 add did, from its `results`: every memory added or updated is in `ids` (the first is
 * `id`), every change with its event in `changes`. A store that kept nothing is a NothingStoredError,
 * naming anything it deleted (mem0 does not report NONE decisions); one whose results cannot be
 * read is not called empty.
 */
export function storeResultOf(results: Parsed<AddResult>, facts: { backend: string; inferred: boolean; endpoint: string }): StoreResult {
  const changes = results.items.filter((result) => EVENTS.has(result.event)).map(toChange);
  const kept = changes.filter((change) => change.event !== "DELETE");
  if (kept.length === 0 && results.skipped > 0) {
    throw new UnexpectedResponseError(facts.endpoint, `the store's ${results.skipped} result ${results.skipped === 1 ? "entry has" : "entries have"} no readable id`);
  }
  if (kept.length === 0) throw new NothingStoredError(facts.backend, facts.inferred, changes);
  return { id: kept[0]!.id, deduplicated: false, ids: kept.map((change) => change.id), changes };
}

function toChange(result: AddResult): StoreChange {
  const content = result.memory ?? result.data?.memory ?? undefined;
  const change: StoreChange = { id: result.id, event: result.event as StoreChange["event"] };
  if (typeof content === "string") change.content = content;
  if (result.event === "UPDATE" && typeof result.previous_memory === "string") change.previous = result.previous_memory;
  return change;
}
