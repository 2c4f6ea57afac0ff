/**
 * Base class of every failure the bridge explains to a person. `message` is one plain sentence
 * that says what failed and what to do next; it never contains a token.
 */
export class BridgeError extends Error {
  override name = "BridgeError";
}
