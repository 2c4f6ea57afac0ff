/**
 * Base class of every failure the bridge reports. Lower layers (config/, credentials/, http/,
 * backends/) raise it with a `code` and the facts as fields; `message` states those facts in one
 * plain sentence (for logs) and never names a command, flag or tool. The sentence a person reads,
 * with what to do next, is written from the code and facts at the edge (mcp/error-words.ts,
 * commands/). Neither ever contains a token.
 */
export class BridgeError extends Error {
  override name = "BridgeError";
  /** What failed, for the edge to choose its words by; "bridge" when `message` is already the sentence to show. */
  readonly code: string;

  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? "bridge";
  }
}

/** Something about the set-up (an unsupported backend, a missing project id) stops the call. */
export class SetupError extends BridgeError {
  override name = "SetupError";
}
