/**
 * What the proxy knows about the Mem0 MCP server (contracts/backends.md §5, snorlak1/mem0-server-mcp):
 * how to recognise it, how its tool results say they failed, and its cheapest authenticated call.
 */

/** The names FastMCP gives its tools (main.py). */
export const MEM0_MCP_TOOL_NAMES = [
  "add_coding_preference",
  "get_all_coding_preferences",
  "search_coding_preferences",
  "delete_memory",
  "get_memory_history",
  "link_memories",
  "get_related_memories",
  "analyze_memory_intelligence",
  "create_component",
  "link_component_dependency",
  "analyze_component_impact",
  "create_decision",
  "get_decision_rationale",
] as const;

/** FastMCP("mem0-mcp") reports this serverInfo.name. */
export const MEM0_MCP_SERVER_NAME = "mem0-mcp";

/** Names only the Mem0 MCP server uses; a server listing all of them is taken for it. */
const DISTINCTIVE = ["add_coding_preference", "get_all_coding_preferences", "search_coding_preferences"];

/** True when a tools/list answer is the Mem0 MCP server's (→ default auth scheme x-mcp-token). */
export function listsMem0McpTools(tools: readonly unknown[]): boolean {
  const names = new Set(tools.map((t) => (typeof t === "object" && t !== null ? (t as { name?: unknown }).name : undefined)));
  return DISTINCTIVE.every((name) => names.has(name));
}

/**
 * Its cheapest authenticated call: every tool checks the token first, and this one is read-only
 * and answers `[]` for an id mem0's history table never saw — no embedding, no LLM, no write.
 */
export const MEM0_MCP_TOKEN_CHECK = {
  name: "get_memory_history",
  arguments: { memory_id: "00000000-0000-0000-0000-000000000000" },
} as const;

export type Mem0ResultKind =
  | { kind: "ok" }
  /** An ordinary text starting ❌ (main.py's error answers). */
  | { kind: "failed" }
  /** `❌ Authentication failed: <reason>` — the call did not run. */
  | { kind: "auth-failed"; reason: string };

const AUTH_FAILED = "❌ Authentication failed";

/** How a Mem0 MCP tool result failed, if it did: judged by its first text block, as main.py writes one. */
export function classifyMem0Result(result: { content?: unknown; isError?: unknown }): Mem0ResultKind {
  const text = firstText(result.content)?.trimStart();
  if (text === undefined || !text.startsWith("❌")) return { kind: "ok" };
  if (text.startsWith(AUTH_FAILED)) {
    const reason = text.slice(AUTH_FAILED.length).replace(/^:\s*/, "").trim();
    return { kind: "auth-failed", reason: reason.slice(0, 500) };
  }
  return { kind: "failed" };
}

/** The owner named by auth.py's user id mismatch text ("This token belongs to 'alice', …"). */
export function tokenOwnerIn(reason: string): string | undefined {
  return /This token belongs to '([^']{1,200})'/.exec(reason)?.[1];
}

function firstText(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  for (const block of content) {
    if (typeof block === "object" && block !== null && (block as { type?: unknown }).type === "text") {
      const text = (block as { text?: unknown }).text;
      if (typeof text === "string") return text;
    }
  }
  return undefined;
}
