import type { HistoryEvent, Memory, StoreChange, StoreOutcome } from "../backends/types.js";

/** Short human/model-readable renderings for each tool's text content block. */

const PREVIEW_CHARS = 1_000;

export function renderMemoryLine(memory: Memory, index?: number): string {
  const prefix = index === undefined ? "" : `${index}. `;
  const score = memory.score === undefined ? "" : ` (relevance ${memory.score.toFixed(2)})`;
  const details = [`id: ${memory.id}`];
  if (memory.tags.length > 0) details.push(`tags: ${memory.tags.join(", ")}`);
  if (memory.type) details.push(`type: ${memory.type}`);
  if (memory.created_at) details.push(`created: ${memory.created_at}`);
  const note = memory.note ? `\n   note: ${memory.note}` : "";
  return `${prefix}${preview(memory.content)}${score}\n   ${details.join(" · ")}${note}`;
}

export function renderMemory(memory: Memory): string {
  const lines = [`Memory ${memory.id}`, "", memory.content, ""];
  lines.push(`tags: ${memory.tags.length > 0 ? memory.tags.join(", ") : "(none)"}`);
  if (memory.type) lines.push(`type: ${memory.type}`);
  if (memory.metadata) lines.push(`metadata: ${jsonText(memory.metadata)}`);
  if (memory.created_at) lines.push(`created: ${memory.created_at}`);
  if (memory.updated_at && memory.updated_at !== memory.created_at) lines.push(`updated: ${memory.updated_at}`);
  if (memory.note) lines.push(`note: ${memory.note}`);
  return lines.join("\n");
}

export function renderStore(result: StoreOutcome, project: string | null): string {
  const where = project ? ` in project ${project}` : "";
  if (result.pending) {
    return `Accepted${where}: the memory server is still processing it (event ${result.eventId}), so its id is not known yet; it will appear in search_memories and list_memories shortly.`;
  }
  if (result.changes) return renderChanges(result.changes, where);
  const what = result.chunks === undefined ? `memory ${result.id}` : parts(result.chunks, result.ids ?? [result.id]);
  const head = result.deduplicated
    ? `Already stored${where}: identical content exists as ${what}.`
    : result.chunks === undefined
      ? `Stored ${what}${where}.`
      : `Stored${where} as ${what}, because the server splits long text.`;
  return head + typeNote(result.type, result.requestedType);
}

/** A mem0 store: every memory its fact extraction added, updated or deleted, each with its id. */
function renderChanges(changes: readonly StoreChange[], where: string): string {
  const kept = changes.filter((change) => change.event !== "DELETE").length;
  const head = `Stored ${kept} ${plural(kept, "memory", "memories")}${where}, as the server's language model extracted ${plural(kept, "it", "them")} from the text:`;
  return [head, ...changes.map(renderChange)].join("\n");
}

function renderChange(change: StoreChange): string {
  const text = change.content === undefined ? "" : `: "${preview(change.content)}"`;
  switch (change.event) {
    case "ADD":
      return `- added ${change.id}${text}`;
    case "UPDATE":
      return `- updated ${change.id}${text}${change.previous === undefined ? "" : ` (was "${preview(change.previous)}")`}`;
    case "DELETE":
      return `- deleted ${change.id}${text}, which the new text replaces`;
  }
}

function parts(chunks: number, ids: string[]): string {
  const missing = chunks - ids.length;
  const notFound = missing > 0 ? `; ${missing} of the ${chunks} could not be found, and the server may have turned them away` : "";
  return `${chunks} ${plural(chunks, "part", "parts")} (${plural(ids.length, "memory", "memories")} ${ids.join(", ")}${notFound})`;
}

/** Says so when the server keeps another type than the one asked for (mcp-memory-service's ontology). */
function typeNote(type: string | undefined, requested: string | undefined): string {
  if (type === undefined || requested === undefined || type === requested) return "";
  return ` Its type is "${type}", not "${requested}": the server does not know that type and changed it.`;
}

export function renderSearch(query: string, results: Memory[], project: string | null, scope: "project" | "all", skipped?: number): string {
  const where = scope === "all" || !project ? "across all projects" : `in project ${project}`;
  const left = skippedLine(skipped);
  if (results.length === 0) return [`No memories match "${query}" ${where}.`, left].filter(Boolean).join("\n");
  const head = `${results.length} ${plural(results.length, "memory", "memories")} for "${query}" ${where}, best first:`;
  return [head, ...results.map((m, i) => renderMemoryLine(m, i + 1)), left].filter(Boolean).join("\n");
}

export function renderList(
  memories: Memory[],
  page: number,
  pageSize: number,
  hasMore: boolean,
  total: number | undefined,
  skipped?: number,
  cappedAt?: number,
): string {
  const of = total === undefined ? "" : ` of ${total}`;
  const left = skippedLine(skipped);
  const capped = cappedAt === undefined ? "" : cappedNote(cappedAt);
  if (memories.length === 0) {
    const empty = skipped
      ? `No readable memories on page ${page}.`
      : page === 1
        ? cappedAt === undefined
          ? "No memories stored yet."
          : "No memories match."
        : `Page ${page} is empty${total === undefined ? "" : ` (${total} ${plural(total, "memory", "memories")} in all)`}.`;
    return [empty, left, capped].filter(Boolean).join("\n");
  }
  const first = (page - 1) * pageSize + 1;
  // A hyphen, not an en dash: one character outside Latin-1 makes V8 hold the whole answer, and its JSON line,
  // as two-byte text, which costs 15–30 µs more per page of 20 to serialize and write (measured).
  const head = `Memories ${first}-${first + memories.length - 1}${of}, newest first (page ${page}):`;
  const tail = hasMore ? `More on page ${page + 1}.` : "";
  return [head, ...memories.map((m, i) => renderMemoryLine(m, first + i)), left, tail, capped].filter(Boolean).join("\n");
}

function cappedNote(cap: number): string {
  return (
    `The server returns at most ${cap.toLocaleString("en-US")} memories in one listing, and there are at least that many: ` +
    `this list is sorted from those ${cap.toLocaleString("en-US")} only, so others may be missing. Use search_memories to find a particular one.`
  );
}

function skippedLine(skipped: number | undefined): string {
  if (!skipped) return "";
  return `${skipped} ${plural(skipped, "record", "records")} from the server could not be read (no id or text) and ${plural(skipped, "was", "were")} left out.`;
}

export function renderHistory(id: string, events: readonly HistoryEvent[]): string {
  if (events.length === 0) return `No history is recorded for memory ${id}.`;
  const lines = events.map((event, i) => {
    const when = event.at ? `${event.at} ` : "";
    const what =
      event.old_content !== undefined && event.new_content !== undefined
        ? `"${preview(event.old_content)}" → "${preview(event.new_content)}"`
        : `"${preview(event.new_content ?? event.old_content ?? "")}"`;
    return `${i + 1}. ${when}${event.event}: ${what}`;
  });
  return [`History of memory ${id}, oldest first:`, ...lines].join("\n");
}

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return "(cannot be shown)";
  }
}

export function renderUpdate(memory: Memory, requestedType?: string): string {
  return `Updated memory ${memory.id}.${typeNote(memory.type, requestedType)}\n\n${renderMemory(memory)}`;
}

export function renderDelete(id: string): string {
  return `Deleted memory ${id}.`;
}

/** Whitespace other than the plain space (tabs, line breaks, no-break spaces, …), or two spaces in a row. */
const UNEVEN_SPACE = /[^\S ]| {2}/;

function preview(content: string): string {
  // Most texts are one line already: checking is far cheaper than rebuilding them (a search renders ten).
  const uneven = UNEVEN_SPACE.test(content) || content.startsWith(" ") || content.endsWith(" ");
  const oneLine = uneven ? content.replace(/\s+/g, " ").trim() : content;
  if (oneLine.length <= PREVIEW_CHARS) return oneLine;
  // Do not cut a surrogate pair (an emoji, say) in half.
  const end = /[\uD800-\uDBFF]/.test(oneLine.charAt(PREVIEW_CHARS - 1)) ? PREVIEW_CHARS - 1 : PREVIEW_CHARS;
  return `${oneLine.slice(0, end)}…`;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
