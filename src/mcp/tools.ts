import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type * as z from "zod";
import type { CallContext } from "../backends/types.js";
import { BridgeError } from "../core/errors.js";
import type { Session } from "../session/session.js";
import { renderDelete, renderList, renderMemory, renderSearch, renderStore, renderUpdate } from "./render.js";
import * as s from "./schemas.js";
import { collectStatus, renderStatus } from "./status.js";

type Shape = Record<string, z.ZodType>;

export interface ToolOutcome {
  structured: Record<string, unknown>;
  text: string;
}

export interface ToolDefinition<In extends Shape = Shape> {
  name: string;
  title: string;
  description: string;
  inputSchema: In;
  outputSchema: Shape;
  annotations: ToolAnnotations;
  /** Needs a project id in force (manual mode without an id fails here, with the reason). */
  scoped: boolean;
  run(args: z.infer<z.ZodObject<In>>, ctx: CallContext, session: Session): Promise<ToolOutcome>;
}

function define<In extends Shape>(tool: ToolDefinition<In>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}

export const TOOLS: ToolDefinition[] = [
  define({
    name: "store_memory",
    title: "Store a memory",
    description:
      "Save something worth remembering across conversations to long-term memory: a decision and its reason, a fact about this codebase, " +
      "a user preference, how a problem was solved. Write one self-contained statement per memory. Memories belong to the current project " +
      "(the repository being worked in) unless the bridge runs in global mode. Identical content is stored only once. Returns the memory's id " +
      "(and the ids of its parts when the server splits a long text), and the type the server kept if it changed it.",
    inputSchema: s.storeInput,
    outputSchema: s.storeOutput,
    annotations: { title: "Store a memory", readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    scoped: true,
    async run(args, ctx, session) {
      if (ctx.project.provisional) {
        // Storing now could file the memory under the wrong project (or none).
        throw new BridgeError(
          "Nothing was stored: the client did not say which workspace it is in (its roots/list request timed out), so the project is uncertain. Try again.",
        );
      }
      const backend = await session.backend.get();
      const result = await backend.store(args, ctx);
      const project = ctx.project.id;
      return {
        structured: {
          id: result.id,
          stored: true,
          deduplicated: result.deduplicated,
          project,
          ...(result.ids && { ids: result.ids }),
          ...(result.type !== undefined && { type: result.type }),
        },
        text: renderStore(result, project),
      };
    },
  }),
  define({
    name: "search_memories",
    title: "Search memories",
    description:
      "Search long-term memory by meaning (semantic search, not exact words). Use it before answering questions about earlier decisions, " +
      "conventions, preferences or context that may have been saved in past conversations, and before storing something to avoid duplicates. " +
      "Searches the current project by default; scope \"all\" searches every project. Results come best match first.",
    inputSchema: s.searchInput,
    outputSchema: s.searchOutput,
    annotations: { title: "Search memories", readOnlyHint: true, openWorldHint: false },
    scoped: true,
    async run(args, ctx, session) {
      const backend = await session.backend.get();
      const results = await backend.search(args, ctx);
      const project = ctx.project.id;
      const skipped = results.skipped;
      return {
        structured: { results: [...results], project, ...(skipped && { skipped }) },
        text: renderSearch(args.query, results, project, args.scope, skipped),
      };
    },
  }),
  define({
    name: "list_memories",
    title: "List memories",
    description:
      "List the current project's memories, newest first, one page at a time. Use it to browse what has been remembered; " +
      "use search_memories to find something specific.",
    inputSchema: s.listInput,
    outputSchema: s.listOutput,
    annotations: { title: "List memories", readOnlyHint: true, openWorldHint: false },
    scoped: true,
    async run(args, ctx, session) {
      const backend = await session.backend.get();
      const result = await backend.list(args, ctx);
      const structured = { ...result, page: args.page, page_size: args.page_size };
      return { structured, text: renderList(result.memories, args.page, args.page_size, result.has_more, result.total, result.skipped) };
    },
  }),
  define({
    name: "get_memory",
    title: "Get a memory",
    description: "Fetch one memory in full (text, tags, type, metadata, timestamps) by its id.",
    inputSchema: s.getInput,
    outputSchema: s.getOutput,
    annotations: { title: "Get a memory", readOnlyHint: true, openWorldHint: false },
    scoped: true,
    async run(args, ctx, session) {
      const memory = await (await session.backend.get()).get(args.id, ctx);
      return { structured: { memory }, text: renderMemory(memory) };
    },
  }),
  define({
    name: "update_memory",
    title: "Update a memory",
    description:
      "Change an existing memory: its tags (the list given replaces the old one), type, metadata, or — where the backend allows — its text. " +
      "Give the id and at least one field to change. Returns the memory as it is after the update.",
    inputSchema: s.updateInput,
    outputSchema: s.updateOutput,
    annotations: { title: "Update a memory", readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    scoped: true,
    async run(args, ctx, session) {
      if (args.content === undefined && args.tags === undefined && args.type === undefined && args.metadata === undefined) {
        throw new BridgeError("update_memory needs at least one of content, tags, type or metadata besides id.");
      }
      const memory = await (await session.backend.get()).update(args, ctx);
      return { structured: { memory }, text: renderUpdate(memory, args.type) };
    },
  }),
  define({
    name: "delete_memory",
    title: "Delete a memory",
    description: "Permanently delete one memory by its id, e.g. when it is wrong or obsolete. This cannot be undone.",
    inputSchema: s.deleteInput,
    outputSchema: s.deleteOutput,
    annotations: { title: "Delete a memory", readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    scoped: true,
    async run(args, ctx, session) {
      await (await session.backend.get()).delete(args.id, ctx);
      return { structured: { id: args.id, deleted: true }, text: renderDelete(args.id) };
    },
  }),
  define({
    name: "memory_status",
    title: "Memory connection status",
    description:
      "Show how the memory bridge is set up: the server URL and backend, the current project and how it was chosen, where the token " +
      "comes from (never the token), and whether the server is reachable. Use it when other memory tools fail, or to check which project is active.",
    inputSchema: {},
    outputSchema: s.statusOutput,
    annotations: { title: "Memory connection status", readOnlyHint: true, openWorldHint: false },
    scoped: false,
    async run(_args, ctx, session) {
      const status = await collectStatus(session, ctx);
      return { structured: status as unknown as Record<string, unknown>, text: renderStatus(status) };
    },
  }),
];
