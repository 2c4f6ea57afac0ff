import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { runMinorGc } from "../core/minor-gc.js";

/** Quiet time after the last request before the first collection. */
export const SETTLE_MS = 1_000;
/** Quiet time between the two collections: V8 reads the allocation rate over its last 5 s. */
export const QUIET_MS = 6_000;

export interface IdleMemoryOptions {
  /** The requests still being answered (in-flight.ts). */
  inFlight: { readonly size: number };
  /** A young-generation collection; default core/minor-gc.ts's. */
  collect?: () => unknown;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => { unref?(): unknown };
  clearTimer?: (timer: unknown) => void;
}

/**
 * Gives the young generation back once the bridge has gone quiet. Under a burst of calls V8 grows
 * it to 32 MB and keeps it, and keeps it resident while the bridge then sits idle for hours (a
 * bridge per client window). V8 shrinks it at a collection that finds allocation slow over the last
 * 5 s, which an idle process never has: nothing allocates, so nothing collects. So, once nothing
 * has come in for SETTLE_MS and nothing is in flight, one collection marks the start of the quiet;
 * after QUIET_MS more without a request, a second one finds the rate low and shrinks it. Measured
 * by `npm run bench`: 105–110 MB under load, 77–82 MB 10 s after the last call (without it, 95–110
 * MB stayed resident for as long as we watched, a minute); each collection takes 2–9 ms.
 * Any request restarts the wait; a steady stream of calls never triggers either one. Nothing is
 * scheduled per call: the timer, unref'd, checks the time of the last request when it fires.
 * Returns the function that stops it.
 */
export function releaseMemoryWhenIdle(transport: Transport, options: IdleMemoryOptions): () => void {
  const collect = options.collect ?? runMinorGc;
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  let lastRequest = now();
  let sampledAt = Number.NEGATIVE_INFINITY;
  let timer: unknown;
  let stopped = false;

  const schedule = (ms: number) => {
    const handle = setTimer(fire, Math.max(0, ms));
    handle.unref?.();
    timer = handle;
  };
  function fire(): void {
    timer = undefined;
    const quietFor = now() - lastRequest;
    if (quietFor < SETTLE_MS) return schedule(SETTLE_MS - quietFor);
    if (options.inFlight.size > 0) return schedule(SETTLE_MS);
    if (sampledAt < lastRequest) {
      collect();
      sampledAt = now();
      return schedule(QUIET_MS);
    }
    collect();
    // Done until the next request.
  }

  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if ("method" in message && "id" in message) {
      lastRequest = now();
      if (timer === undefined && !stopped) schedule(SETTLE_MS);
    }
    receive?.(message, extra);
  };

  return () => {
    stopped = true;
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
  };
}
