import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { CallToolResult, JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { ToolCall } from "./server.js";
import type { JsonRpcId } from "./top-level-id.js";

/**
 * Answers the common tools/call — a tool on offer, arguments that pass its schema, no task or _meta
 * — without the SDK's per-call layers: it checks each message against JSON-RPC schemas three times
 * more (our intake already did), parses the request twice more, and checks our own result against
 * the result and output schemas (our code builds it from those shapes, and clients check it too).
 * That was a fifth of the bridge's CPU on a search (npm run bench). The reply is what the SDK
 * would send: `{ result, jsonrpc, id }`, nothing sent once the client has cancelled.
 *
 * Everything else goes to the SDK as before, so it answers an unknown tool, bad arguments (with
 * its own wording), task requests and every other method. Install after `server.connect`; the
 * reply goes through `transport.send` as it is when the call ends (so wrappers see it).
 */
export function answerToolCallsDirectly(transport: Transport, toolCall: (name: string) => ToolCall | undefined): void {
  const receive = transport.onmessage;
  const onclose = transport.onclose;
  const running = new Map<JsonRpcId, AbortController>();

  transport.onclose = () => {
    for (const controller of running.values()) controller.abort();
    running.clear();
    onclose?.();
  };

  transport.onmessage = (message, extra) => {
    const direct = directCall(message);
    const tool = direct && toolCall(direct.name);
    const parsed = checked(tool, direct?.args);
    if (!direct || parsed === undefined || running.has(direct.id)) {
      if ("method" in message && message.method === "notifications/cancelled") cancel(message.params);
      receive?.(message, extra);
      return;
    }
    const { id } = direct;
    const controller = new AbortController();
    running.set(id, controller);
    // Started in a microtask, as the SDK starts its handlers: a notification that came first (initialized,
    // roots changed) has had its handler run by then.
    void Promise.resolve()
      .then(() => tool!.run(parsed.data, controller.signal))
      .catch((error: unknown): CallToolResult => ({ content: [{ type: "text", text: error instanceof Error ? error.message : String(error) }], isError: true }))
      .then((result) => {
        if (running.get(id) === controller) running.delete(id);
        if (controller.signal.aborted) return;
        return transport.send({ result, jsonrpc: "2.0", id } as JSONRPCMessage);
      })
      .catch((error: unknown) => transport.onerror?.(error instanceof Error ? error : new Error(String(error))));
  };

  function cancel(params: unknown): void {
    const { requestId, reason } = (params ?? {}) as { requestId?: JsonRpcId; reason?: unknown };
    if (requestId === undefined) return;
    running.get(requestId)?.abort(reason);
  }
}

/** The arguments as the tool's schema reads them; a schema that throws (an async check) leaves the call to the SDK. */
function checked(tool: ToolCall | undefined, args: Record<string, unknown> | undefined): { data: Record<string, unknown> } | undefined {
  if (tool === undefined || args === undefined) return undefined;
  try {
    const parsed = tool.input.safeParse(args);
    return parsed.success ? { data: parsed.data } : undefined;
  } catch {
    return undefined;
  }
}

/** A tools/call this path can answer: an id, a tool name, arguments that are a plain object (or none). */
function directCall(message: JSONRPCMessage): { id: JsonRpcId; name: string; args: Record<string, unknown> } | undefined {
  if (!("method" in message) || message.method !== "tools/call" || !("id" in message) || message.id === undefined) return undefined;
  const params = message.params as Record<string, unknown> | undefined;
  if (typeof params !== "object" || params === null || typeof params.name !== "string") return undefined;
  if ("task" in params || "_meta" in params) return undefined;
  // Only absent arguments mean none; anything else that is not an object (null included) is the SDK's to refuse.
  const args = params.arguments === undefined ? {} : params.arguments;
  if (!isPlainObject(args)) return undefined;
  return { id: message.id as JsonRpcId, name: params.name, args };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
