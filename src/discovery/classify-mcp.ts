import { isObject, parseJson } from "./json.js";
import type { ProbeAnswer } from "./probe-request.js";

/**
 * A remote MCP endpoint (a path ending in /mcp) is recognised by its answer to an unauthenticated
 * `initialize` (Streamable HTTP): a JSON-RPC result, as JSON or as an SSE event, or a 401 that
 * carries WWW-Authenticate (mcp-memory-service's /mcp needs auth even for `initialize`).
 */

export const INITIALIZE_ID = 1;

export function initializeRequestBody(clientVersion: string): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    id: INITIALIZE_ID,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "mcp-memory-bridge", version: clientVersion },
    },
  });
}

export type McpClassification =
  | { kind: "mcp"; authRequired: boolean; serverName?: string; version?: string }
  | { kind: "not-mcp" };

export function classifyMcpInitialize(answer: ProbeAnswer): McpClassification {
  const response = answer.response;
  if (response === undefined) return { kind: "not-mcp" };
  if (response.status === 401 && response.headers.get("www-authenticate") !== null) {
    return { kind: "mcp", authRequired: true };
  }
  if (response.status !== 200) return { kind: "not-mcp" };
  const message = initializeResult(response.text, response.headers.get("content-type") ?? "");
  if (message === undefined) return { kind: "not-mcp" };
  const info = isObject(message.serverInfo) ? message.serverInfo : {};
  return {
    kind: "mcp",
    authRequired: false,
    ...(typeof info.name === "string" ? { serverName: info.name } : {}),
    ...(typeof info.version === "string" ? { version: info.version } : {}),
  };
}

/** True once the text holds a complete SSE event carrying the initialize result (the stream may stay open). */
export function hasInitializeEvent(text: string): boolean {
  return sseMessages(text).some((m) => resultOf(m) !== undefined);
}

function initializeResult(text: string, contentType: string): Record<string, unknown> | undefined {
  if (/^text\/event-stream\b/i.test(contentType.trim())) {
    for (const message of sseMessages(text)) {
      const result = resultOf(message);
      if (result !== undefined) return result;
    }
    return undefined;
  }
  return resultOf(parseJson(text));
}

function resultOf(message: unknown): Record<string, unknown> | undefined {
  if (!isObject(message) || message.jsonrpc !== "2.0" || message.id !== INITIALIZE_ID) return undefined;
  const result = message.result;
  return isObject(result) && typeof result.protocolVersion === "string" ? result : undefined;
}

/** The JSON data of each complete event (an event ends with a blank line). */
function sseMessages(text: string): unknown[] {
  const events = text.replace(/\r\n?/g, "\n").split("\n\n");
  events.pop(); // the last piece is not terminated yet (or is empty)
  return events.map((event) => {
    const data = event
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).replace(/^ /, ""))
      .join("\n");
    return parseJson(data);
  });
}
