import type { Logger } from "../log.js";
import type { InFlightRequests } from "./in-flight.js";

/** Beyond every call's own deadline: only a bug (or a client that stopped reading) could need it. */
const MARGIN_MS = 5000;

export interface StdioShutdown {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  inFlight: InFlightRequests;
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
    await bounded(flushed(steps.stdout), MARGIN_MS, () => steps.logger.warn("stdout is not being read; exiting without flushing"));
  }
  await bounded(steps.release(), MARGIN_MS, () => steps.logger.debug("releasing took too long; exiting anyway"));
}

function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    if (!stream.writable) return resolve();
    stream.write("", () => resolve());
  });
}

async function bounded(work: Promise<unknown>, ms: number, onLate: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onLate();
      resolve();
    }, ms);
    timer.unref();
  });
  await Promise.race([work.then(noop, noop), late]);
  clearTimeout(timer);
}

function noop(): void {}
