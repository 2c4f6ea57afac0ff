import { ErrorCode, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";

export interface Serialized {
  line: string;
  /** Why the message itself could not be encoded, when `line` carries a replacement. */
  problem?: string;
}

/**
 * One message as a line. A response that cannot be encoded (a value nested thousands deep overflows
 * JSON.stringify's stack; a cycle or a BigInt throws) is replaced by an error answer for the same
 * id, so the request still gets exactly one answer: an isError tool result for tools/call (what
 * the model reads), a JSON-RPC internal error for anything else.
 */
export function serializeSafely(message: JSONRPCMessage, method: string | undefined): Serialized {
  try {
    return { line: serializeMessage(message) };
  } catch (error) {
    if (!("id" in message) || message.id === undefined || "method" in message) throw error;
    const problem = error instanceof RangeError ? "a value in it is nested too deeply" : error instanceof Error ? error.message : String(error);
    const text = `The answer could not be encoded as JSON (${problem}), so it cannot be shown; the memory server sent data the bridge cannot pass on. Try a narrower request, or look at the record on the server.`;
    const replacement: JSONRPCMessage =
      method === "tools/call"
        ? { jsonrpc: "2.0", id: message.id, result: { content: [{ type: "text", text }], isError: true } }
        : { jsonrpc: "2.0", id: message.id, error: { code: ErrorCode.InternalError, message: text } };
    return { line: serializeMessage(replacement), problem };
  }
}
