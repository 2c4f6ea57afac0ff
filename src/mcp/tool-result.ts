import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { BridgeError } from "../core/errors.js";
import type { Logger } from "../log.js";
import { explain } from "./error-words.js";
import type { ToolOutcome } from "./tools.js";

export function successResult(outcome: ToolOutcome): CallToolResult {
  return { content: [{ type: "text", text: outcome.text }], structuredContent: outcome.structured };
}

/**
 * Every failure becomes a tool result with one plain sentence (contracts/tools.md "Errors"),
 * never a JSON-RPC error or a crash. BridgeErrors already carry that sentence.
 */
export function errorResult(tool: string, error: unknown, logger: Logger): CallToolResult {
  let text: string;
  if (error instanceof BridgeError) {
    text = explain(error);
    logger.info(`${tool} failed`, { error: error.name, message: error.message });
  } else {
    const detail = error instanceof Error ? error.message : String(error);
    text = `${tool} failed unexpectedly: ${detail}. Run: npx mcp-memory-bridge doctor — and report it if the problem persists.`;
    logger.error(`${tool} failed unexpectedly`, { error: error instanceof Error ? (error.stack ?? detail) : detail });
  }
  return { content: [{ type: "text", text }], isError: true };
}
