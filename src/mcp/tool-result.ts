import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { BridgeError } from "../core/errors.js";
import type { Logger } from "../log.js";
import { explain, type ExplainOptions } from "./error-words.js";
import type { ToolOutcome } from "./tools.js";

export function successResult(outcome: ToolOutcome): CallToolResult {
  return { content: [{ type: "text", text: outcome.text }], structuredContent: outcome.structured };
}

/**
 * Every failure becomes a tool result with one plain sentence (contracts/tools.md "Errors"),
 * never a JSON-RPC error or a crash. BridgeErrors already carry that sentence.
 */
export function errorResult(tool: string, error: unknown, logger: Logger, words: ExplainOptions): CallToolResult {
  let text: string;
  if (error instanceof BridgeError) {
    text = explain(error, words);
    logger.info(`${tool} failed`, { error: error.name, message: error.message });
  } else {
    const detail = error instanceof Error ? error.message : String(error);
    text = `${tool} failed unexpectedly: ${detail}. Run: ${words.command} doctor — and report it if the problem persists.`;
    // One line at error level (where it happened, not the whole stack); the stack at debug level.
    const name = error instanceof Error ? error.name : typeof error;
    logger.error(`${tool} failed unexpectedly`, { error: name, message: detail, at: firstFrame(error) });
    if (error instanceof Error && error.stack) logger.debug(`${tool} failure stack`, { stack: error.stack });
  }
  return { content: [{ type: "text", text }], isError: true };
}

function firstFrame(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.stack === undefined) return undefined;
  return error.stack.split("\n").find((line) => line.trimStart().startsWith("at "))?.trim();
}
