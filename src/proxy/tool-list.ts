import type { ServerCapabilities, Tool } from "@modelcontextprotocol/sdk/types.js";

/**
 * The local side's answers built from the remote's: the capabilities announced to the client and
 * the tool list with our own memory_status. Pure.
 */

export const STATUS_TOOL_NAME = "memory_status";

export const STATUS_TOOL: Tool = {
  name: STATUS_TOOL_NAME,
  title: "Memory server status",
  description:
    "Reports how the bridge reaches the remote memory server: the endpoint, whether it is reachable and an MCP session is " +
    "established, how many tools it offers, and whether it accepts the stored token. Call it when a memory tool fails.",
  inputSchema: { type: "object", properties: {} },
  annotations: { title: "Memory server status", readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

/**
 * The remote's capabilities (or the cached ones), minus `tasks` (task-augmented calls would
 * outlive the per-call deadline), with tools always present and `listChanged` on: the bridge adds
 * memory_status and announces the remote's list once it is back.
 */
export function advertisedCapabilities(remote: Record<string, unknown> | undefined): ServerCapabilities {
  const { tasks: _tasks, tools, ...rest } = remote ?? {};
  const remoteTools = typeof tools === "object" && tools !== null ? tools : {};
  return { ...rest, tools: { ...remoteTools, listChanged: true } } as ServerCapabilities;
}

/** The list the client sees: the remote's tools and memory_status (ours wins over a remote tool of that name). */
export function withStatusTool(tools: readonly Tool[]): Tool[] {
  return [...tools.filter((tool) => tool.name !== STATUS_TOOL_NAME), STATUS_TOOL];
}

/** The tools of a tools/list result, keeping only entries shaped like tools. */
export function toolsOf(result: Record<string, unknown>): Tool[] {
  const tools = result["tools"];
  if (!Array.isArray(tools)) return [];
  return tools.filter((t): t is Tool => typeof t === "object" && t !== null && typeof (t as { name?: unknown }).name === "string");
}

/** Equal lists (names, schemas, descriptions) need no list_changed. */
export function sameTools(a: readonly Tool[], b: readonly Tool[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
