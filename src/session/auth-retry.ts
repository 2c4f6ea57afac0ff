import { AuthError } from "../http/errors.js";
import type { SessionToken } from "./token.js";

export type Outcome<T> = { value: T } | { error: unknown };

/**
 * Runs `call`; when its outcome shows the server turned the token away (`rejected`) and looking
 * the token up again finds a different one, runs it once more, with that one. The one place the
 * 401 → refresh → retry rule lives: tool calls and status use it alike.
 */
export async function withAuthRetry<T>(token: SessionToken, call: () => Promise<T>, rejected: (outcome: Outcome<T>) => boolean): Promise<T> {
  const seen = token.version;
  let outcome: Outcome<T>;
  try {
    outcome = { value: await call() };
  } catch (error) {
    outcome = { error };
  }
  if (rejected(outcome) && (await token.refresh(seen))) return call();
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}

/** A call that failed with 401: not processed, so it can run again with another token. */
export function unauthorized(outcome: Outcome<unknown>): boolean {
  return "error" in outcome && outcome.error instanceof AuthError && outcome.error.status === 401;
}
