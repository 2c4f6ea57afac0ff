/**
 * Base class of every failure the bridge explains to a person. `message` is one plain sentence
 * that says what failed and what to do next; it never contains a token.
 */
export class BridgeError extends Error {
  override name = "BridgeError";
}

/** Something about the set-up (no endpoint, an unsupported backend, a missing project id) stops the call. */
export class SetupError extends BridgeError {
  override name = "SetupError";
}
