import type { Logger } from "../log.js";
import type { InFlightRequests } from "./in-flight.js";

/** Beyond every call's own deadline: only a bug (or a client that stopped reading) could need it. */
const MARGIN_MS = 5000;

export interface StdioShutdown {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  inFlight: InFlightRequests;
  /** The transport's own queue (answers to lines that were not requests are not counted in flight). */
  drained?: () => Promise<void>;
  /** The per-call deadline: every call in flight ends within it. */
  timeoutMs: number;
  logger: Logger;
  /** Ends what serves the calls (sessions, pools), once they are answered. */
  release(): Promise<void>;
}

/**
 * The end of a stdio MCP server (contracts/cli.md "Lifecycle"): stop reading, answer every call in
 * flight, flush stdout, then release the rest. `canDeliver` false skips the waiting (stdout is gone).
 */
export async function shutDownStdio(steps: StdioShutdown, canDeliver = true): Promise<void> {
  steps.stdin.pause();
  if (canDeliver) {
    await bounded(steps.inFlight.idle(), steps.timeoutMs + MARGIN_MS, () =>
      steps.logger.warn("some calls did not finish in time; exiting anyway", { inFlight: steps.inFlight.size }),
    );
    // A client that stopped reading stdout cannot be waited for forever.
    const delivered = (steps.drained?.() ?? Promise.resolve()).then(() => flushed(steps.stdout));
    await bounded(delivered, MARGIN_MS, () => steps.logger.warn("stdout is not being read; exiting without flushing"));
  }
  await bounded(steps.release(), MARGIN_MS, () => steps.logger.debug("releasing took too long; exiting anyway"));
}

function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    if (!stream.writable) return resolve();
    stream.write("", () => resolve());
  });
}

/**
 * Waits for `work`, at most `ms`. The timer is not unref'd: when `work` can never settle (a call
 * stuck on something that holds no handle), it is what keeps the process alive until it fires, so
 * the process still exits 0 instead of Node ending it with 13 for an unsettled await.
 */
async function bounded(work: Promise<unknown>, ms: number, onLate: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onLate();
      resolve();
    }, ms);
  });
  await Promise.race([work.then(noop, noop), late]);
  clearTimeout(timer);
}

function noop(): void {}
