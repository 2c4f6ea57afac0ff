/**
 * Wraps a response body on its way to the SDK's transport: caps it (per SSE event for an event
 * stream, which may stay open for hours; whole for JSON) and reports how it ended, so that a
 * call whose answer stream broke after it was sent can be told apart from one that was answered.
 */

export type StreamEnd =
  /** The server closed the stream normally. */
  | "done"
  /** The connection failed mid-stream (reset, socket closed, aborted). */
  | "broken"
  /** An event (or the whole body) exceeded the cap; the stream was cut. */
  | "too-large"
  /** The reader gave up on the body (the SDK cancels bodies it does not need). */
  | "cancelled";

export interface WatchOptions {
  /** "events": the cap applies to each SSE event; "whole": to the body. */
  mode: "events" | "whole";
  maxBytes: number;
  onEnd(end: StreamEnd): void;
}

export class TooLargeError extends Error {
  override name = "TooLargeError";
  constructor(readonly limitBytes: number) {
    super(`response larger than ${limitBytes} bytes`);
  }
}

const LF = 0x0a;
const CR = 0x0d;

/** Counts the bytes of the current SSE event; an empty line (LF, CRLF or CR) ends it. */
export class EventSizer {
  private eventBytes = 0;
  private lineBytes = 0;
  private afterCr = false;

  constructor(private readonly maxBytes: number) {}

  /** False once an event has grown beyond the cap. */
  add(chunk: Uint8Array): boolean {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === LF && this.afterCr) {
        this.afterCr = false;
        continue;
      }
      this.afterCr = byte === CR;
      if (byte === LF || byte === CR) {
        if (this.lineBytes === 0) this.eventBytes = 0;
        this.lineBytes = 0;
        continue;
      }
      this.lineBytes++;
      if (++this.eventBytes > this.maxBytes) return false;
    }
    return true;
  }
}

type NodeBody = AsyncIterable<Uint8Array> & { destroy(error?: Error): void; on(event: "error", listener: (error: Error) => void): unknown };

/**
 * A web stream for the SDK over a Node body stream (undici's), pulled one chunk at a time. Not
 * Readable.toWeb: on Node 20 it enqueues into a closed controller when data arrives after a cancel.
 */
export function watchStream(source: NodeBody, options: WatchOptions): ReadableStream<Uint8Array> {
  // Destroying undici's body emits an abort error; the iterator reports errors while it reads.
  source.on("error", () => undefined);
  const chunks = source[Symbol.asyncIterator]();
  const sizer = options.mode === "events" ? new EventSizer(options.maxBytes) : undefined;
  let total = 0;
  let ended = false;
  const end = (how: StreamEnd) => {
    if (ended) return;
    ended = true;
    options.onEnd(how);
  };
  const fits = (chunk: Uint8Array) => {
    if (sizer !== undefined) return sizer.add(chunk);
    total += chunk.byteLength;
    return total <= options.maxBytes;
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await chunks.next();
        } catch (error) {
          end("broken");
          controller.error(error);
          return;
        }
        if (next.done) {
          end("done");
          controller.close();
          return;
        }
        if (!fits(next.value)) {
          end("too-large");
          controller.error(new TooLargeError(options.maxBytes));
          source.destroy();
          return;
        }
        controller.enqueue(next.value);
      },
      cancel() {
        end("cancelled");
        source.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}
