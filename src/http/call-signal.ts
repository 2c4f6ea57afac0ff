/** setTimeout fires after 1 ms when given more than this (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One abort signal per call, fired when the call's deadline passes or the client cancels.
 * Every attempt and every backoff sleep of the call listens to it, so the deadline covers them all.
 */
export class CallSignal {
  readonly signal: AbortSignal;
  cancelled = false;
  expired = false;
  /** What `connectedProbe` said at the moment of the abort (whether a socket to the server was open). */
  connectedAtAbort = false;

  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #parent: AbortSignal | undefined;
  readonly #connectedProbe: () => boolean;

  constructor(remainingMs: number, parent: AbortSignal | undefined, connectedProbe: () => boolean) {
    this.signal = this.#controller.signal;
    this.#parent = parent;
    this.#connectedProbe = connectedProbe;
    this.#timer = setTimeout(this.#onDeadline, Math.min(remainingMs, MAX_TIMER_MS));
    parent?.addEventListener("abort", this.#onCancel, { once: true });
  }

  get aborted(): boolean {
    return this.cancelled || this.expired;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener("abort", this.#onCancel);
  }

  readonly #onDeadline = (): void => {
    if (this.aborted) return;
    this.expired = true;
    this.#abort();
  };

  readonly #onCancel = (): void => {
    if (this.aborted) return;
    this.cancelled = true;
    this.#abort();
  };

  #abort(): void {
    // Read before aborting: undici destroys the request's socket as soon as the signal fires.
    this.connectedAtAbort = this.#connectedProbe();
    this.#controller.abort();
  }
}
