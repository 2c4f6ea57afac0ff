import {
  ErrorCode,
  JSONRPCErrorResponseSchema,
  JSONRPCNotificationSchema,
  JSONRPCRequestSchema,
  JSONRPCResultResponseSchema,
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
} from "@modelcontextprotocol/sdk/types.js";
import type { JsonRpcId } from "./top-level-id.js";

/** What to do with one line from the client. */
export type Intake =
  | { kind: "message"; message: JSONRPCMessage; ignored?: string[] }
  /** Not a message the server can act on: answer with this error (JSON-RPC 2.0 §5.1). */
  | { kind: "reply"; reply: JSONRPCErrorResponse; problem: string }
  /** A broken response to one of the server's own requests: nothing to answer; its request times out. */
  | { kind: "drop"; problem: string };

const MEMBERS = ["jsonrpc", "id", "method", "params", "result", "error"] as const;

/**
 * Reads one line as JSON-RPC 2.0. Malformed JSON gets -32700 and anything else that is not a valid
 * request -32600, with the request's id when one can be read; MCP omits the id it cannot read
 * (JSON-RPC 2.0 would send null, which MCP clients reject). Members other than JSON-RPC's own are
 * left out rather than failing the request (the SDK's schemas are strict about them).
 */
export function readLine(line: string): Intake {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return reply(undefined, ErrorCode.ParseError, "Parse error: the message is not valid JSON", "a line that is not JSON");
  }
  if (Array.isArray(value)) {
    return reply(undefined, ErrorCode.InvalidRequest, "Invalid Request: batches are not supported; send one message per line", "a JSON-RPC batch");
  }
  if (typeof value !== "object" || value === null) {
    return reply(undefined, ErrorCode.InvalidRequest, "Invalid Request: a message must be a JSON object", "a JSON value that is not an object");
  }
  const raw = value as Record<string, unknown>;
  const known: Record<string, unknown> = {};
  for (const member of MEMBERS) if (member in raw) known[member] = raw[member];
  const ignored = Object.keys(raw).filter((key) => !(MEMBERS as readonly string[]).includes(key));
  const id = readableId(raw["id"]);

  if ("method" in raw) {
    const schema = "id" in raw ? JSONRPCRequestSchema : JSONRPCNotificationSchema;
    const parsed = schema.safeParse(known);
    if (!parsed.success) {
      const why = firstIssue(parsed.error.issues);
      return reply(id, ErrorCode.InvalidRequest, `Invalid Request: ${why}`, `an invalid request (${why})`);
    }
    return message(parsed.data, ignored);
  }
  if ("result" in raw || "error" in raw) {
    const parsed = ("result" in raw ? JSONRPCResultResponseSchema : JSONRPCErrorResponseSchema).safeParse(known);
    if (!parsed.success) return { kind: "drop", problem: `an invalid response (${firstIssue(parsed.error.issues)})` };
    return message(parsed.data, ignored);
  }
  return reply(id, ErrorCode.InvalidRequest, "Invalid Request: no method", "an object with neither a method nor a result");
}

function message(data: JSONRPCMessage, ignored: string[]): Intake {
  return ignored.length === 0 ? { kind: "message", message: data } : { kind: "message", message: data, ignored };
}

/** The error reply for a request that cannot be read, with its id when it has a usable one. */
export function errorReply(id: JsonRpcId | undefined, code: number, text: string): JSONRPCErrorResponse {
  return { jsonrpc: "2.0", ...(id !== undefined && { id }), error: { code, message: text } };
}

function reply(id: JsonRpcId | undefined, code: number, text: string, problem: string): Intake {
  return { kind: "reply", reply: errorReply(id, code, text), problem };
}

function readableId(value: unknown): JsonRpcId | undefined {
  if (typeof value === "string" || (typeof value === "number" && Number.isSafeInteger(value))) return value;
  return undefined;
}

function firstIssue(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  if (issue === undefined) return "not a JSON-RPC 2.0 message";
  const where = issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ` : "";
  return `${where}${issue.message}`;
}
