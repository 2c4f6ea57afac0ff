import { TopLevelIdScanner, type JsonRpcId } from "./top-level-id.js";

export type LineEvent =
  | { kind: "line"; text: string }
  /** A line longer than the limit: not kept, only scanned for its id. */
  | { kind: "too-long"; bytes: number; id: JsonRpcId | undefined };

const NEWLINE = 0x0a;

/**
 * Splits stdin into newline-delimited messages, holding at most `maxBytes` of one. A longer line
 * is dropped as it streams past (its id, if it has one, is read on the way) and the lines after it
 * are read as usual: one huge message does not end the conversation.
 */
export class LineReader {
  #pieces: Buffer[] = [];
  #bytes = 0;
  #scanner: TopLevelIdScanner | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly emit: (event: LineEvent) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      this.#take(chunk.subarray(start, newline === -1 ? chunk.length : newline));
      if (newline === -1) return;
      this.#finishLine();
      start = newline + 1;
    }
  }

  /** The input ended: a last line without a newline is still a message. */
  end(): void {
    if (this.#bytes > 0) this.#finishLine();
  }

  #take(part: Buffer): void {
    if (part.length === 0) return;
    this.#bytes += part.length;
    if (this.#scanner !== undefined) {
      this.#scanner.push(part);
    } else if (this.#bytes > this.maxBytes) {
      this.#scanner = new TopLevelIdScanner();
      for (const piece of this.#pieces) this.#scanner.push(piece);
      this.#scanner.push(part);
      this.#pieces = [];
    } else {
      this.#pieces.push(part);
    }
  }

  #finishLine(): void {
    const event: LineEvent =
      this.#scanner !== undefined
        ? { kind: "too-long", bytes: this.#bytes, id: this.#scanner.id }
        : { kind: "line", text: Buffer.concat(this.#pieces, this.#bytes).toString("utf8").replace(/\r$/, "") };
    this.#pieces = [];
    this.#bytes = 0;
    this.#scanner = undefined;
    this.emit(event);
  }
}
