import { BridgeError } from "../core/errors.js";

/**
 * Why a relayed call failed, as facts. No sentences here: the edge (mcp/proxy-messages.ts) words
 * them; `message` is for logs only.
 */
export type ProxyFact =
  /** No session with the remote server could be established in time. `cause`: a Node/undici code, an HTTP status, "timeout"… */
  | { code: "unavailable"; endpoint: string; cause?: string }
  /** The server refused the token: a 401/403 on the HTTP level, or the Mem0 MCP server's `❌ Authentication failed`. */
  | { code: "auth-rejected"; endpoint: string; status?: number; reason?: string; tokenSent: boolean }
  /** The request was sent, then its answer was lost (stream broke, connection reset): it may or may not have run. */
  | { code: "outcome-unknown"; endpoint: string; method: string; cause?: string }
  /** No answer within the per-call deadline. `sent`: the request had gone out (so it may have run). */
  | { code: "deadline"; endpoint: string; method: string; timeoutMs: number; sent: boolean }
  /** One answer (or one SSE event) was larger than the cap. */
  | { code: "too-large"; endpoint: string; limitBytes: number }
  /** A redirect the proxy does not follow, so that the token stays with its origin. */
  | { code: "redirect-refused"; endpoint: string; targetOrigin?: string; tooMany?: boolean }
  /** The remote answered with an HTTP status the protocol does not expect. */
  | { code: "http-status"; endpoint: string; status: number; reason?: string }
  /** The remote spoke something else than MCP, or a protocol version this bridge does not know. */
  | { code: "protocol"; endpoint: string; detail: string };

export type ProxyFailureCode = ProxyFact["code"];

export class ProxyError extends BridgeError {
  override name = "ProxyError";
  declare readonly code: ProxyFailureCode;

  constructor(readonly fact: ProxyFact) {
    super(`${fact.code} (${fact.endpoint})`, { code: fact.code });
  }
}

/** A JSON-RPC error the remote answered; relayed to the client unchanged. */
export class RemoteRpcError extends Error {
  override name = "RemoteRpcError";

  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}
