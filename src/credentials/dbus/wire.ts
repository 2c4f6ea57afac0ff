/**
 * The D-Bus wire format (specification, "Message Protocol"), as much of it as a few method calls
 * need: marshalling and unmarshalling of the basic types, arrays, structs, dict entries and
 * variants, and the message header. Little-endian on the way out; either byte order on the way in.
 * Structs and dict entries are JavaScript arrays; a variant is `{ signature, value }`.
 */

export type DbusValue = number | bigint | boolean | string | DbusValue[] | DbusVariant;
export interface DbusVariant {
  signature: string;
  value: DbusValue;
}

export const MessageType = { METHOD_CALL: 1, METHOD_RETURN: 2, ERROR: 3, SIGNAL: 4 } as const;
export const MessageFlag = { NO_REPLY_EXPECTED: 0x1, NO_AUTO_START: 0x2 } as const;

const HeaderField = {
  PATH: 1,
  INTERFACE: 2,
  MEMBER: 3,
  ERROR_NAME: 4,
  REPLY_SERIAL: 5,
  DESTINATION: 6,
  SENDER: 7,
  SIGNATURE: 8,
  UNIX_FDS: 9,
} as const;

/** Far below the specification's 128 MiB: nothing this client asks for comes near it. */
export const MAX_MESSAGE_BYTES = 1 << 20;
const FIXED_HEADER_BYTES = 16;

export class DbusWireError extends Error {
  override name = "DbusWireError";
}

export interface DbusMessage {
  type: number;
  flags: number;
  serial: number;
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  /** "" for an empty body. */
  signature: string;
  body: DbusValue[];
}

const ALIGNMENT: Record<string, number> = {
  y: 1, b: 4, n: 2, q: 2, i: 4, u: 4, x: 8, t: 8, d: 8, h: 4, s: 4, o: 4, g: 1, v: 1, a: 4, "(": 8, "{": 8,
};

/** Index just past the single complete type that starts at `start`. */
function endOfType(signature: string, start: number): number {
  const code = signature[start];
  if (code === undefined) throw new DbusWireError(`incomplete signature "${signature}"`);
  if (code === "a") return endOfType(signature, start + 1);
  if (code === "(" || code === "{") {
    const close = code === "(" ? ")" : "}";
    let i = start + 1;
    while (signature[i] !== close) {
      if (i >= signature.length) throw new DbusWireError(`unbalanced signature "${signature}"`);
      i = endOfType(signature, i);
    }
    return i + 1;
  }
  if (!(code in ALIGNMENT)) throw new DbusWireError(`unknown type code "${code}" in "${signature}"`);
  return start + 1;
}

/** The complete types of a signature, e.g. "sa{sv}i" → ["s", "a{sv}", "i"]. */
export function splitSignature(signature: string): string[] {
  const types: string[] = [];
  for (let i = 0; i < signature.length; ) {
    const end = endOfType(signature, i);
    types.push(signature.slice(i, end));
    i = end;
  }
  return types;
}

/** The member types of a struct "(…)" or dict entry "{…}". */
function memberTypes(type: string): string[] {
  return splitSignature(type.slice(1, -1));
}

const fail = (type: string, value: unknown): never => {
  throw new DbusWireError(`cannot marshal ${typeof value} as "${type}"`);
};

/** Appends values at offsets relative to the start of the buffer (a message or a body starts 8-aligned). */
export class DbusWriter {
  private buf = Buffer.alloc(256);
  private length = 0;

  get size(): number {
    return this.length;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + extra));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  align(boundary: number): void {
    const padding = (boundary - (this.length % boundary)) % boundary;
    this.ensure(padding);
    this.buf.fill(0, this.length, this.length + padding);
    this.length += padding;
  }

  private bytes(data: Buffer): void {
    this.ensure(data.length);
    data.copy(this.buf, this.length);
    this.length += data.length;
  }

  private uint32At(offset: number, value: number): void {
    this.buf.writeUInt32LE(value, offset);
  }

  write(type: string, value: DbusValue): void {
    const code = type[0];
    switch (code) {
      case "y":
        if (typeof value !== "number") fail(type, value);
        this.ensure(1);
        this.buf.writeUInt8(value as number, this.length);
        this.length += 1;
        return;
      case "b":
        if (typeof value !== "boolean") fail(type, value);
        this.write("u", value ? 1 : 0);
        return;
      case "n":
      case "q":
        if (typeof value !== "number") fail(type, value);
        this.align(2);
        this.ensure(2);
        if (code === "n") this.buf.writeInt16LE(value as number, this.length);
        else this.buf.writeUInt16LE(value as number, this.length);
        this.length += 2;
        return;
      case "i":
      case "u":
      case "h":
        if (typeof value !== "number") fail(type, value);
        this.align(4);
        this.ensure(4);
        if (code === "i") this.buf.writeInt32LE(value as number, this.length);
        else this.buf.writeUInt32LE(value as number, this.length);
        this.length += 4;
        return;
      case "x":
      case "t":
        if (typeof value !== "bigint" && typeof value !== "number") fail(type, value);
        this.align(8);
        this.ensure(8);
        if (code === "x") this.buf.writeBigInt64LE(BigInt(value as number | bigint), this.length);
        else this.buf.writeBigUInt64LE(BigInt(value as number | bigint), this.length);
        this.length += 8;
        return;
      case "d":
        if (typeof value !== "number") fail(type, value);
        this.align(8);
        this.ensure(8);
        this.buf.writeDoubleLE(value as number, this.length);
        this.length += 8;
        return;
      case "s":
      case "o": {
        if (typeof value !== "string") fail(type, value);
        const data = Buffer.from(value as string, "utf8");
        if (data.includes(0)) throw new DbusWireError("strings cannot contain NUL");
        this.write("u", data.length);
        this.bytes(data);
        this.bytes(Buffer.of(0));
        return;
      }
      case "g": {
        if (typeof value !== "string") fail(type, value);
        const data = Buffer.from(value as string, "ascii");
        if (data.length > 255) throw new DbusWireError("signature longer than 255 bytes");
        this.write("y", data.length);
        this.bytes(data);
        this.bytes(Buffer.of(0));
        return;
      }
      case "v": {
        const variant = value as DbusVariant;
        if (typeof variant !== "object" || variant === null || Array.isArray(variant)) fail(type, value);
        if (splitSignature(variant.signature).length !== 1) throw new DbusWireError("a variant holds exactly one complete type");
        this.write("g", variant.signature);
        this.write(variant.signature, variant.value);
        return;
      }
      case "a": {
        if (!Array.isArray(value)) fail(type, value);
        const element = type.slice(1);
        this.align(4);
        const lengthOffset = this.length;
        this.write("u", 0);
        this.align(ALIGNMENT[element[0]!] ?? 1);
        const start = this.length;
        for (const item of value as DbusValue[]) this.write(element, item);
        this.uint32At(lengthOffset, this.length - start);
        return;
      }
      case "(":
      case "{": {
        const members = memberTypes(type);
        if (!Array.isArray(value) || value.length !== members.length) fail(type, value);
        this.align(8);
        members.forEach((member, index) => this.write(member, (value as DbusValue[])[index]!));
        return;
      }
      default:
        throw new DbusWireError(`unsupported type "${type}"`);
    }
  }
}

/** Reads values at offsets relative to `base` (the start of the message or body). */
export class DbusReader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    private readonly littleEndian: boolean,
    private readonly base = 0,
    private readonly end = buf.length,
  ) {
    this.pos = base;
  }

  get offset(): number {
    return this.pos;
  }

  private need(count: number): void {
    if (this.pos + count > this.end) throw new DbusWireError("message truncated");
  }

  align(boundary: number): void {
    const relative = this.pos - this.base;
    const padding = (boundary - (relative % boundary)) % boundary;
    this.need(padding);
    this.pos += padding;
  }

  private u32(): number {
    this.align(4);
    this.need(4);
    const value = this.littleEndian ? this.buf.readUInt32LE(this.pos) : this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return value;
  }

  private text(length: number, encoding: BufferEncoding): string {
    this.need(length + 1);
    const value = this.buf.toString(encoding, this.pos, this.pos + length);
    if (this.buf[this.pos + length] !== 0) throw new DbusWireError("string not NUL-terminated");
    this.pos += length + 1;
    return value;
  }

  read(type: string): DbusValue {
    const code = type[0];
    const le = this.littleEndian;
    switch (code) {
      case "y":
        this.need(1);
        return this.buf[this.pos++]!;
      case "b": {
        const value = this.u32();
        if (value > 1) throw new DbusWireError("boolean out of range");
        return value === 1;
      }
      case "n":
      case "q": {
        this.align(2);
        this.need(2);
        const value =
          code === "n"
            ? le ? this.buf.readInt16LE(this.pos) : this.buf.readInt16BE(this.pos)
            : le ? this.buf.readUInt16LE(this.pos) : this.buf.readUInt16BE(this.pos);
        this.pos += 2;
        return value;
      }
      case "u":
      case "h":
        return this.u32();
      case "i": {
        this.align(4);
        this.need(4);
        const value = le ? this.buf.readInt32LE(this.pos) : this.buf.readInt32BE(this.pos);
        this.pos += 4;
        return value;
      }
      case "x":
      case "t":
      case "d": {
        this.align(8);
        this.need(8);
        const at = this.pos;
        this.pos += 8;
        if (code === "d") return le ? this.buf.readDoubleLE(at) : this.buf.readDoubleBE(at);
        if (code === "x") return le ? this.buf.readBigInt64LE(at) : this.buf.readBigInt64BE(at);
        return le ? this.buf.readBigUInt64LE(at) : this.buf.readBigUInt64BE(at);
      }
      case "s":
      case "o":
        return this.text(this.u32(), "utf8");
      case "g": {
        this.need(1);
        const length = this.buf[this.pos++]!;
        return this.text(length, "ascii");
      }
      case "v": {
        const signature = this.read("g") as string;
        if (splitSignature(signature).length !== 1) throw new DbusWireError("a variant holds exactly one complete type");
        return { signature, value: this.read(signature) };
      }
      case "a": {
        const length = this.u32();
        const element = type.slice(1);
        this.align(ALIGNMENT[element[0]!] ?? 1);
        const stop = this.pos + length;
        if (stop > this.end) throw new DbusWireError("message truncated");
        const items: DbusValue[] = [];
        while (this.pos < stop) items.push(this.read(element));
        if (this.pos !== stop) throw new DbusWireError("array length mismatch");
        return items;
      }
      case "(":
      case "{":
        this.align(8);
        return memberTypes(type).map((member) => this.read(member));
      default:
        throw new DbusWireError(`unsupported type "${type}"`);
    }
  }
}

/** Marshals `values` as the complete types of `signature`, e.g. ("ss", ["a", "b"]). */
export function marshal(signature: string, values: readonly DbusValue[]): Buffer {
  const types = splitSignature(signature);
  if (types.length !== values.length) throw new DbusWireError(`signature "${signature}" needs ${types.length} values, got ${values.length}`);
  const writer = new DbusWriter();
  types.forEach((type, index) => writer.write(type, values[index]!));
  return writer.toBuffer();
}

export type OutgoingMessage = Omit<DbusMessage, "signature" | "body" | "flags"> & {
  flags?: number;
  signature?: string;
  body?: readonly DbusValue[];
};

/** One complete message: header, padding to 8, body. */
export function encodeMessage(message: OutgoingMessage): Buffer {
  const signature = message.signature ?? "";
  const body = marshal(signature, message.body ?? []);
  const fields: DbusValue[] = [];
  const field = (code: number, type: string, value: string | number | undefined) => {
    if (value !== undefined) fields.push([code, { signature: type, value }]);
  };
  field(HeaderField.PATH, "o", message.path);
  field(HeaderField.INTERFACE, "s", message.interface);
  field(HeaderField.MEMBER, "s", message.member);
  field(HeaderField.ERROR_NAME, "s", message.errorName);
  field(HeaderField.REPLY_SERIAL, "u", message.replySerial);
  field(HeaderField.DESTINATION, "s", message.destination);
  field(HeaderField.SENDER, "s", message.sender);
  if (signature !== "") field(HeaderField.SIGNATURE, "g", signature);

  const header = new DbusWriter();
  header.write("y", "l".charCodeAt(0));
  header.write("y", message.type);
  header.write("y", message.flags ?? 0);
  header.write("y", 1); // protocol version
  header.write("u", body.length);
  header.write("u", message.serial);
  header.write("a(yv)", fields);
  header.align(8);
  const total = header.size + body.length;
  if (total > MAX_MESSAGE_BYTES) throw new DbusWireError("message too large");
  return Buffer.concat([header.toBuffer(), body]);
}

function endianOf(buf: Buffer): boolean {
  const mark = buf[0];
  if (mark === 0x6c) return true; // 'l'
  if (mark === 0x42) return false; // 'B'
  throw new DbusWireError("not a D-Bus message (bad endianness byte)");
}

/**
 * The total length of the message at the start of `buf`, or undefined while fewer than 16 bytes
 * have arrived. Throws for a message larger than MAX_MESSAGE_BYTES.
 */
export function messageByteLength(buf: Buffer): number | undefined {
  if (buf.length < FIXED_HEADER_BYTES) return undefined;
  const le = endianOf(buf);
  const bodyLength = le ? buf.readUInt32LE(4) : buf.readUInt32BE(4);
  const fieldsLength = le ? buf.readUInt32LE(12) : buf.readUInt32BE(12);
  const headerLength = FIXED_HEADER_BYTES + fieldsLength;
  const total = headerLength + ((8 - (headerLength % 8)) % 8) + bodyLength;
  if (total > MAX_MESSAGE_BYTES) throw new DbusWireError(`message of ${total} bytes is larger than this client accepts`);
  return total;
}

/** Decodes exactly one complete message. */
export function decodeMessage(buf: Buffer): DbusMessage {
  const total = messageByteLength(buf);
  if (total === undefined || buf.length < total) throw new DbusWireError("message truncated");
  const le = endianOf(buf);
  const header = new DbusReader(buf, le, 0, total);
  header.read("y");
  const type = header.read("y") as number;
  const flags = header.read("y") as number;
  const version = header.read("y") as number;
  if (version !== 1) throw new DbusWireError(`unsupported protocol version ${version}`);
  const bodyLength = header.read("u") as number;
  const serial = header.read("u") as number;
  const fields = header.read("a(yv)") as [number, DbusVariant][];
  header.align(8);
  const bodyStart = header.offset;

  const message: DbusMessage = { type, flags, serial, signature: "", body: [] };
  for (const [code, variant] of fields) {
    const value = variant.value;
    switch (code) {
      case HeaderField.PATH: message.path = value as string; break;
      case HeaderField.INTERFACE: message.interface = value as string; break;
      case HeaderField.MEMBER: message.member = value as string; break;
      case HeaderField.ERROR_NAME: message.errorName = value as string; break;
      case HeaderField.REPLY_SERIAL: message.replySerial = value as number; break;
      case HeaderField.DESTINATION: message.destination = value as string; break;
      case HeaderField.SENDER: message.sender = value as string; break;
      case HeaderField.SIGNATURE: message.signature = value as string; break;
      default: break; // UNIX_FDS and future fields: not used here
    }
  }
  const body = new DbusReader(buf, le, bodyStart, bodyStart + bodyLength);
  message.body = splitSignature(message.signature).map((bodyType) => body.read(bodyType));
  if (body.offset !== bodyStart + bodyLength) throw new DbusWireError("body length mismatch");
  return message;
}
