import type { EarlyAnswer } from "./initialize-answer.js";

/**
 * What the bin read from stdin before the server started (src/serve-start.ts): the server reads
 * these bytes first, as if they had just arrived, and then the rest of stdin, which was left paused.
 */
export interface StdinPrelude {
  bytes: Buffer;
  /** stdin ended (or failed) while it was read, or failed before the server took it over. */
  ended: boolean;
  /** The first line was `initialize` and this answer was already written: the SDK's own is not sent again. */
  answered?: EarlyAnswer;
  /**
   * SIGINT and SIGTERM are held from the start until the server handles them itself: it calls this
   * once its own handlers are in place, and stops at once for a signal that came before.
   */
  takeSignal(): NodeJS.Signals | undefined;
}

/** The longest first line read ahead; a longer one is left for the server (and its --max-message-bytes). */
const MAX_FIRST_LINE_BYTES = 64 * 1024;

/**
 * Reads stdin up to the end of its first line (or its end, or MAX_FIRST_LINE_BYTES), then pauses it.
 * Resolves with the bytes read, whether stdin ended, and the first line's text when there was one;
 * `interrupted` (a signal) ends the wait early.
 */
export function readFirstLine(stdin: NodeJS.ReadableStream, interrupted: Promise<unknown>): Promise<{ bytes: Buffer; ended: boolean; line?: string }> {
  return new Promise((resolve) => {
    let done = false;
    const pieces: Buffer[] = [];
    let size = 0;
    const finish = (ended: boolean, newline = -1) => {
      if (done) return;
      done = true;
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.off("error", onEnd);
      stdin.pause();
      // An error while the CLI loads, before the server listens: without this it would be thrown, and
      // the server would then wait on a stdin that already failed.
      let failedLater = false;
      if (!ended) stdin.once("error", () => (failedLater = true));
      const bytes = Buffer.concat(pieces, size);
      const line = newline === -1 ? undefined : bytes.subarray(0, newline).toString("utf8").replace(/\r$/, "");
      resolve({
        bytes,
        get ended() {
          return ended || failedLater;
        },
        ...(line !== undefined && { line }),
      });
    };
    const onData = (chunk: Buffer | string) => {
      const piece = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      const at = piece.indexOf(0x0a);
      pieces.push(piece);
      size += piece.length;
      if (at !== -1) finish(false, size - piece.length + at);
      else if (size > MAX_FIRST_LINE_BYTES) finish(false);
    };
    const onEnd = () => finish(true);
    stdin.on("data", onData);
    stdin.once("end", onEnd);
    stdin.once("error", onEnd);
    void interrupted.then(() => finish(false));
  });
}
