/**
 * The D-Bus wire format (specification, "Message Protocol"): every basic type, arrays, structs,
 * dict entries and variants, and the message header. Little-endian on the way out; either byte
 * order on the way in, since a bus answers in its own. Structs and dict entries are JavaScript
 * arrays; a variant is `{ signature, value }`.
 */

export type DbusValue = number | bigint | boolean | string | DbusValue[] | DbusVariant;
export interface DbusVariant {
  signature: string;
  value: DbusValue;
}

export const MessageType = { METHOD_CALL: 1, METHOD_RETURN: 2, ERROR: 3, SIGNAL: 4 } as const;

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

export type OutgoingMessage = Omit<DbusMessage, "signature" | "body" | "flags"> & {
  flags?: number;
  signature?: string;
  body?: readonly DbusValue[];
};

/** Far below the specification's 128 MiB: nothing this client asks for comes near it. */
export const MAX_MESSAGE_BYTES = 1 << 20;
const FIXED_HEADER_BYTES = 16;

export class DbusWireError extends Error {
  override name = "DbusWireError";
}

/** Header field codes 1–8 (specification order); 9, UNIX_FDS, and later ones are skipped. */
const HEADER_FIELDS = [
  ["path", "o"], ["interface", "s"], ["member", "s"], ["errorName", "s"],
  ["replySerial", "u"], ["destination", "s"], ["sender", "s"], ["signature", "g"],
] as const;

type FixedType = [
  size: number,
  read: "Uint8" | "Int16" | "Uint16" | "Int32" | "Uint32" | "BigInt64" | "BigUint64" | "Float64",
  write: "writeUInt8" | "writeInt16LE" | "writeUInt16LE" | "writeInt32LE" | "writeUInt32LE" | "writeBigInt64LE" | "writeBigUInt64LE" | "writeDoubleLE",
];
/** Fixed-size types: byte size (also their alignment), DataView getter (either byte order), Buffer writer (range-checked). */
const FIXED: Record<string, FixedType> = {
  y: [1, "Uint8", "writeUInt8"], b: [4, "Uint32", "writeUInt32LE"], n: [2, "Int16", "writeInt16LE"],
  q: [2, "Uint16", "writeUInt16LE"], i: [4, "Int32", "writeInt32LE"], u: [4, "Uint32", "writeUInt32LE"],
  h: [4, "Uint32", "writeUInt32LE"], x: [8, "BigInt64", "writeBigInt64LE"], t: [8, "BigUint64", "writeBigUInt64LE"],
  d: [8, "Float64", "writeDoubleLE"],
};
const ALIGNMENT: Record<string, number> = { s: 4, o: 4, g: 1, v: 1, a: 4, "(": 8, "{": 8 };
const alignmentOf = (type: string): number => FIXED[type[0]!]?.[0] ?? ALIGNMENT[type[0]!] ?? 1;
const padding = (offset: number, boundary: number) => (boundary - (offset % boundary)) % boundary;

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
  if (!(code in FIXED) && !(code in ALIGNMENT)) throw new DbusWireError(`unknown type code "${code}" in "${signature}"`);
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

const oneCompleteType = (signature: string) => {
  if (splitSignature(signature).length !== 1) throw new DbusWireError("a variant holds exactly one complete type");
};

/** Appends values little-endian; offsets count from the start of what is written (a message or a body starts 8-aligned). */
class Writer {
  private readonly parts: Buffer[] = [];
  length = 0;

  private put(bytes: Buffer): Buffer {
    this.parts.push(bytes);
    this.length += bytes.length;
    return bytes;
  }

  align(boundary: number): void {
    this.put(Buffer.alloc(padding(this.length, boundary)));
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }

  write(type: string, value: DbusValue): void {
    const code = type[0]!;
    const fail = () => new DbusWireError(`cannot marshal ${typeof value} as "${type}"`);
    const fixed = FIXED[code];
    if (fixed) {
      const [size, , method] = fixed;
      const big = code === "x" || code === "t";
      const fits = code === "b" ? typeof value === "boolean" : typeof value === "number" || (big && typeof value === "bigint");
      if (!fits) throw fail();
      this.align(size);
      this.put(Buffer.alloc(size))[method]((big ? BigInt(value as number | bigint) : Number(value)) as never, 0);
      return;
    }
    switch (code) {
      case "s":
      case "o":
      case "g": {
        if (typeof value !== "string") throw fail();
        const data = Buffer.from(value, code === "g" ? "ascii" : "utf8");
        if (data.includes(0)) throw new DbusWireError("strings cannot contain NUL");
        if (code === "g" && data.length > 255) throw new DbusWireError("signature longer than 255 bytes");
        this.write(code === "g" ? "y" : "u", data.length);
        this.put(Buffer.concat([data, Buffer.of(0)]));
        return;
      }
      case "v": {
        if (typeof value !== "object" || value === null || Array.isArray(value)) throw fail();
        oneCompleteType(value.signature);
        this.write("g", value.signature);
        this.write(value.signature, value.value);
        return;
      }
      case "a": {
        if (!Array.isArray(value)) throw fail();
        const element = type.slice(1);
        this.align(4);
        const length = this.put(Buffer.alloc(4));
        // The padding before the first element is not counted in the array's length.
        this.align(alignmentOf(element));
        const start = this.length;
        for (const item of value) this.write(element, item);
        length.writeUInt32LE(this.length - start);
        return;
      }
      default: {
        // "(" or "{": members in order, the whole 8-aligned.
        const members = splitSignature(type.slice(1, -1));
        if (!Array.isArray(value) || value.length !== members.length) throw fail();
        this.align(8);
        members.forEach((member, index) => this.write(member, value[index]!));
      }
    }
  }
}

/** Reads values from `buf[base, end)`; alignment counts from `base` (the start of the message or body). */
class Reader {
  private pos: number;
  private readonly view: DataView;

  constructor(
    private readonly buf: Buffer,
    private readonly littleEndian: boolean,
    private readonly base = 0,
    private readonly end = buf.length,
  ) {
    this.pos = base;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }

  get offset(): number {
    return this.pos;
  }

  private take(count: number): number {
    if (this.pos + count > this.end) throw new DbusWireError("message truncated");
    const at = this.pos;
    this.pos += count;
    return at;
  }

  align(boundary: number): void {
    this.take(padding(this.pos - this.base, boundary));
  }

  private text(length: number, encoding: BufferEncoding): string {
    const at = this.take(length + 1);
    if (this.buf[at + length] !== 0) throw new DbusWireError("string not NUL-terminated");
    return this.buf.toString(encoding, at, at + length);
  }

  read(type: string): DbusValue {
    const code = type[0]!;
    const fixed = FIXED[code];
    if (fixed) {
      const [size, getter] = fixed;
      this.align(size);
      const value = this.view[`get${getter}`](this.take(size), this.littleEndian);
      if (code !== "b") return value;
      if (value !== 0 && value !== 1) throw new DbusWireError("boolean out of range");
      return value === 1;
    }
    switch (code) {
      case "s":
      case "o":
        return this.text(this.read("u") as number, "utf8");
      case "g":
        return this.text(this.read("y") as number, "ascii");
      case "v": {
        const signature = this.read("g") as string;
        oneCompleteType(signature);
        return { signature, value: this.read(signature) };
      }
      case "a": {
        const length = this.read("u") as number;
        const element = type.slice(1);
        this.align(alignmentOf(element));
        const stop = this.pos + length;
        if (stop > this.end) throw new DbusWireError("message truncated");
        const items: DbusValue[] = [];
        while (this.pos < stop) items.push(this.read(element));
        if (this.pos !== stop) throw new DbusWireError("array length mismatch");
        return items;
      }
      default:
        this.align(8);
        return splitSignature(type.slice(1, -1)).map((member) => this.read(member));
    }
  }
}

/** Marshals `values` as the complete types of `signature`, e.g. ("ss", ["a", "b"]). */
export function marshal(signature: string, values: readonly DbusValue[]): Buffer {
  const types = splitSignature(signature);
  if (types.length !== values.length) throw new DbusWireError(`signature "${signature}" needs ${types.length} values, got ${values.length}`);
  const writer = new Writer();
  types.forEach((type, index) => writer.write(type, values[index]!));
  return writer.toBuffer();
}

/** One complete message: header, padding to 8, body. */
export function encodeMessage(message: OutgoingMessage): Buffer {
  const signature = message.signature ?? "";
  const body = marshal(signature, message.body ?? []);
  const fields: DbusValue[] = [];
  HEADER_FIELDS.forEach(([key, type], index) => {
    const value = key === "signature" ? signature || undefined : message[key];
    if (value !== undefined) fields.push([index + 1, { signature: type, value }]);
  });
  const header = new Writer();
  for (const byte of ["l".charCodeAt(0), message.type, message.flags ?? 0, 1]) header.write("y", byte); // 1: protocol version
  header.write("u", body.length);
  header.write("u", message.serial);
  header.write("a(yv)", fields);
  header.align(8);
  if (header.length + body.length > MAX_MESSAGE_BYTES) throw new DbusWireError("message too large");
  return Buffer.concat([header.toBuffer(), body]);
}

function isLittleEndian(buf: Buffer): boolean {
  if (buf[0] === 0x6c) return true; // 'l'
  if (buf[0] === 0x42) return false; // 'B'
  throw new DbusWireError("not a D-Bus message (bad endianness byte)");
}

/**
 * The total length of the message at the start of `buf`, or undefined while fewer than 16 bytes
 * have arrived. Throws for a message larger than MAX_MESSAGE_BYTES.
 */
export function messageByteLength(buf: Buffer): number | undefined {
  if (buf.length < FIXED_HEADER_BYTES) return undefined;
  const le = isLittleEndian(buf);
  const bodyLength = le ? buf.readUInt32LE(4) : buf.readUInt32BE(4);
  const fieldsLength = le ? buf.readUInt32LE(12) : buf.readUInt32BE(12);
  const headerLength = FIXED_HEADER_BYTES + fieldsLength;
  const total = headerLength + padding(headerLength, 8) + bodyLength;
  if (total > MAX_MESSAGE_BYTES) throw new DbusWireError(`message of ${total} bytes is larger than this client accepts`);
  return total;
}

/** Decodes exactly one complete message. */
export function decodeMessage(buf: Buffer): DbusMessage {
  const total = messageByteLength(buf);
  if (total === undefined || buf.length < total) throw new DbusWireError("message truncated");
  const le = isLittleEndian(buf);
  const header = new Reader(buf, le, 0, total);
  const [, type, flags, version] = [0, 1, 2, 3].map(() => header.read("y") as number);
  if (version !== 1) throw new DbusWireError(`unsupported protocol version ${version}`);
  const bodyLength = header.read("u") as number;
  const message: DbusMessage = { type: type!, flags: flags!, serial: header.read("u") as number, signature: "", body: [] };
  for (const [code, variant] of header.read("a(yv)") as [number, DbusVariant][]) {
    const key = HEADER_FIELDS[code - 1]?.[0];
    if (key !== undefined) Object.assign(message, { [key]: variant.value });
  }
  header.align(8);
  const bodyStart = header.offset;
  const body = new Reader(buf, le, bodyStart, bodyStart + bodyLength);
  message.body = splitSignature(message.signature).map((bodyType) => body.read(bodyType));
  if (body.offset !== bodyStart + bodyLength) throw new DbusWireError("body length mismatch");
  return message;
}
