import type { LargeBodyGate } from "./large-body-gate.js";

/** A response body stream as undici hands it over. */
export interface BodyStream extends AsyncIterable<Buffer> {
  destroy(error?: Error): unknown;
}

export interface BodyText {
  text: string;
  /** The body went on past the limit and was cut there (truncate mode only). */
  truncated: boolean;
  /** Set when the body took the large-body permit: call it once the text is no longer held. */
  release?: () => void;
}

/** Thrown by readBody in "fail" mode once the body passes the limit; the stream is destroyed. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly limitBytes: number) {
    super(`the response body passed ${limitBytes} bytes`);
  }
}

export interface BodyLimit {
  maxBytes: number;
  /** "fail": an answer the caller needs whole; "truncate": an error body only quoted in part. */
  mode: "fail" | "truncate";
  /** Holds back bodies past the gate's free bytes while another call holds a large one. */
  gate?: { gate: LargeBodyGate; owner: object };
  signal: AbortSignal;
}

/**
 * Reads a body as UTF-8 text without ever holding more than `maxBytes` of it. The chunks are kept
 * as Buffers until the end: memory outside V8's heap, which V8 counts towards its next collection,
 * so a body abandoned at the limit is freed promptly. Leaving early (the limit, an abort) destroys
 * the stream, which ends the request and its connection.
 */
export async function readBody(body: BodyStream, limit: BodyLimit): Promise<BodyText> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let release: (() => void) | undefined;
  try {
    for await (const chunk of body) {
      const before = bytes;
      bytes += chunk.length;
      if (bytes > limit.maxBytes) {
        if (limit.mode === "fail") throw new BodyTooLargeError(limit.maxBytes);
        chunks.push(chunk.subarray(0, limit.maxBytes - before));
        body.destroy();
        return { text: decode(chunks, true), truncated: true };
      }
      if (release === undefined && limit.gate !== undefined && bytes > limit.gate.gate.freeBytes) {
        release = await limit.gate.gate.acquire(limit.gate.owner, limit.signal);
      }
      chunks.push(chunk);
    }
    const text = decode(chunks, false);
    return release === undefined ? { text, truncated: false } : { text, truncated: false, release };
  } catch (error) {
    chunks.length = 0;
    body.destroy();
    release?.();
    throw error;
  }
}

/** Decodes the chunks; a character cut in half at a limit is left out. */
function decode(chunks: Buffer[], cut: boolean): string {
  const all = Buffer.concat(chunks);
  chunks.length = 0;
  if (!cut) return all.toString("utf8");
  return new TextDecoder("utf-8").decode(all, { stream: true });
}

/** A declared Content-Length over the limit: refused before a byte of the body is read. */
export function declaredTooLarge(contentLength: string | string[] | undefined, maxBytes: number): boolean {
  const value = Array.isArray(contentLength) ? contentLength[0] : contentLength;
  return value !== undefined && /^\d+$/.test(value.trim()) && Number(value) > maxBytes;
}
