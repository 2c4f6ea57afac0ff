/** A JSON-RPC id as MCP allows it: a string or an integer. */
export type JsonRpcId = string | number;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
/** An id longer than this is not worth answering to (MCP clients use short numbers or strings). */
const MAX_ID_BYTES = 256;
const MAX_KEY_BYTES = 8;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/**
 * Finds the top-level "id" member of a JSON object fed to it in pieces, keeping only a few bytes:
 * how a message too long to keep can still be answered. Bytes of multi-byte UTF-8 characters never
 * equal the ASCII bytes JSON's structure is made of, so scanning bytes is enough.
 */
export class TopLevelIdScanner {
  #depth = 0;
  #topIsObject: boolean | undefined;
  #inString = false;
  #escaped = false;
  /** What comes next among the top-level object's members. */
  #expect: "key" | "colon" | "value" | "after-value" = "key";
  #key: number[] | undefined;
  #lastKey = "";
  #value: number[] | undefined;
  #valueIsString = false;
  #id: JsonRpcId | undefined;

  /** The id read so far (the last one, as JSON.parse would keep it). */
  get id(): JsonRpcId | undefined {
    return this.#id;
  }

  push(bytes: Uint8Array): void {
    for (const byte of bytes) this.#byte(byte);
  }

  #byte(byte: number): void {
    if (this.#topIsObject === false) return;
    if (this.#inString) return this.#stringByte(byte);
    if (this.#value !== undefined) {
      // An unquoted value (a number, true, null…) ends at the first delimiter.
      if (byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isWhitespace(byte)) this.#finishValue();
      else return this.#capture(byte);
    }
    if (isWhitespace(byte)) return;
    if (this.#topIsObject === undefined) {
      this.#topIsObject = byte === OPEN_OBJECT;
      if (this.#topIsObject) this.#depth = 1;
      return;
    }
    const top = this.#depth === 1;
    if (top && this.#expect === "value") {
      this.#expect = "after-value";
      if (this.#lastKey === "id" && byte !== OPEN_OBJECT && byte !== OPEN_ARRAY) {
        this.#value = [byte];
        this.#valueIsString = byte === QUOTE;
        if (this.#valueIsString) this.#inString = true;
        return;
      }
    }
    switch (byte) {
      case QUOTE:
        this.#inString = true;
        if (top && this.#expect === "key") this.#key = [];
        return;
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        this.#depth++;
        return;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        this.#depth--;
        return;
      case COLON:
        if (top && this.#expect === "colon") this.#expect = "value";
        return;
      case COMMA:
        if (top) this.#expect = "key";
        return;
    }
  }

  #stringByte(byte: number): void {
    if (this.#value !== undefined) this.#capture(byte);
    else if (this.#key !== undefined && byte !== QUOTE && this.#key.length <= MAX_KEY_BYTES) this.#key.push(byte);
    if (this.#escaped) {
      this.#escaped = false;
      return;
    }
    if (byte === BACKSLASH) {
      this.#escaped = true;
      return;
    }
    if (byte !== QUOTE) return;
    this.#inString = false;
    if (this.#value !== undefined) {
      this.#finishValue();
    } else if (this.#key !== undefined) {
      this.#lastKey = String.fromCharCode(...this.#key);
      this.#key = undefined;
      this.#expect = "colon";
    }
  }

  #capture(byte: number): void {
    if (this.#value === undefined) return;
    if (this.#value.length >= MAX_ID_BYTES) {
      this.#value = undefined; // too long to be an id worth answering to; keep scanning
      return;
    }
    this.#value.push(byte);
  }

  #finishValue(): void {
    const raw = this.#value;
    this.#value = undefined;
    if (raw === undefined) return;
    try {
      const value: unknown = JSON.parse(Buffer.from(raw).toString("utf8"));
      if (typeof value === "string" || (typeof value === "number" && Number.isSafeInteger(value))) this.#id = value;
    } catch {
      // not a well-formed value: no id from it
    }
  }
}
