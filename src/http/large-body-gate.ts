/**
 * Memory bound across concurrent responses. Each body may buffer up to `freeBytes` on its own;
 * past that it needs the one permit, so only one call at a time holds a large answer. The others
 * wait (their sockets paused by backpressure) until it is released or their deadline passes.
 *
 * The permit belongs to an owner — the call's request context — so a second large body in the same
 * call goes on at once instead of waiting for itself. The holder needs nothing else to finish, so
 * waiting can never deadlock.
 */
export class LargeBodyGate {
  #owner: object | undefined;
  readonly #waiting: { owner: object; grant: () => void; signal: AbortSignal; onAbort: () => void }[] = [];

  constructor(readonly freeBytes: number) {}

  /**
   * Resolves with a release function once `owner` holds the permit (a no-op release when it held it
   * already); rejects when `signal` aborts first.
   */
  acquire(owner: object, signal: AbortSignal): Promise<() => void> {
    if (this.#owner === owner) return Promise.resolve(() => undefined);
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#owner === undefined) {
      this.#owner = owner;
      return Promise.resolve(this.#releaser(owner));
    }
    return new Promise((resolve, reject) => {
      const entry = {
        owner,
        signal,
        grant: () => resolve(this.#releaser(owner)),
        onAbort: () => {
          const index = this.#waiting.indexOf(entry);
          if (index !== -1) this.#waiting.splice(index, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener("abort", entry.onAbort, { once: true });
      this.#waiting.push(entry);
    });
  }

  #releaser(owner: object): () => void {
    let released = false;
    return () => {
      if (released || this.#owner !== owner) return;
      released = true;
      const next = this.#waiting.shift();
      this.#owner = next?.owner;
      if (next === undefined) return;
      next.signal.removeEventListener("abort", next.onAbort);
      next.grant();
    };
  }
}
