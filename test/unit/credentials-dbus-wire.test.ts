import { describe, expect, it } from "vitest";
import { describeDbusAddress, parseDbusAddress, socketPathOf, unescapeDbusValue } from "../../src/credentials/dbus/address.js";
import { saslExternalInitialResponse } from "../../src/credentials/dbus/connection.js";
import {
  DbusWireError,
  decodeMessage,
  encodeMessage,
  marshal,
  MAX_MESSAGE_BYTES,
  messageByteLength,
  MessageType,
  splitSignature,
} from "../../src/credentials/dbus/wire.js";

/** Hex groups (spaces ignored) and NUL-terminated strings, concatenated. */
const bytes = (...parts: (string | Buffer)[]) =>
  Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part.replace(/\s+/g, ""), "hex") : part)));
const z = (text: string) => Buffer.from(`${text}\0`, "ascii");

describe("parseDbusAddress", () => {
  it("reads unix:path with a guid", () => {
    expect(parseDbusAddress("unix:path=/run/user/1000/bus,guid=0123456789abcdef")).toEqual({
      ok: true,
      address: { kind: "path", path: "/run/user/1000/bus" },
    });
  });

  it("reads unix:abstract and gives node:net its leading NUL", () => {
    const parsed = parseDbusAddress("unix:abstract=/tmp/dbus-AbCdEf,guid=42");
    expect(parsed).toEqual({ ok: true, address: { kind: "abstract", name: "/tmp/dbus-AbCdEf" } });
    if (parsed.ok) {
      expect(socketPathOf(parsed.address)).toBe("\0/tmp/dbus-AbCdEf");
      expect(describeDbusAddress(parsed.address)).toBe("@/tmp/dbus-AbCdEf");
    }
  });

  it("undoes %-escapes in values", () => {
    expect(parseDbusAddress("unix:path=/tmp/with%20space%2ccomma")).toEqual({ ok: true, address: { kind: "path", path: "/tmp/with space,comma" } });
    expect(unescapeDbusValue("%e2%82%ac")).toBe("€");
    expect(unescapeDbusValue("bad%2")).toBeUndefined();
  });

  it("takes the first usable entry of a ;-separated list", () => {
    expect(parseDbusAddress("tcp:host=localhost,port=1234;unix:path=/b;unix:path=/c")).toEqual({ ok: true, address: { kind: "path", path: "/b" } });
  });

  it("missing or blank → missing (no D-Bus session)", () => {
    expect(parseDbusAddress(undefined)).toMatchObject({ ok: false, reason: "missing", detail: "DBUS_SESSION_BUS_ADDRESS is not set" });
    expect(parseDbusAddress("  ")).toMatchObject({ ok: false, reason: "missing" });
  });

  it("only transports a client cannot connect to → unsupported, naming them", () => {
    expect(parseDbusAddress("tcp:host=127.0.0.1,port=55556;launchd:env=X")).toMatchObject({
      ok: false,
      reason: "unsupported",
      detail: expect.stringContaining("tcp, launchd"),
    });
    expect(parseDbusAddress("unix:tmpdir=/tmp")).toMatchObject({ ok: false, reason: "unsupported" });
  });

  it("garbage → invalid", () => {
    expect(parseDbusAddress("not an address")).toMatchObject({ ok: false, reason: "invalid" });
    expect(parseDbusAddress("unix:path")).toMatchObject({ ok: false, reason: "invalid" });
  });
});

describe("SASL EXTERNAL", () => {
  it("sends the uid as hex of its decimal ASCII form", () => {
    expect(saslExternalInitialResponse(1000)).toBe("31303030");
    expect(saslExternalInitialResponse(0)).toBe("30");
  });
});

describe("D-Bus message marshalling (golden bytes, assembled by hand from the specification)", () => {
  it("org.freedesktop.DBus.Hello", () => {
    const message = encodeMessage({
      type: MessageType.METHOD_CALL,
      serial: 1,
      path: "/org/freedesktop/DBus",
      interface: "org.freedesktop.DBus",
      member: "Hello",
      destination: "org.freedesktop.DBus",
    });
    expect(message.toString("hex")).toBe(
      bytes(
        "6c 01 00 01  00000000  01000000  6d000000", // 'l', METHOD_CALL, no flags, v1; body 0; serial 1; fields 109 bytes
        "01 01 6f 00  15000000", z("/org/freedesktop/DBus"), "0000", // PATH (o)
        "02 01 73 00  14000000", z("org.freedesktop.DBus"), "000000", // INTERFACE (s)
        "03 01 73 00  05000000", z("Hello"), "0000", // MEMBER (s)
        "06 01 73 00  14000000", z("org.freedesktop.DBus"), "000000", // DESTINATION (s), then pad to 8
      ).toString("hex"),
    );
    expect(message.length).toBe(128);
  });

  it("org.freedesktop.DBus.NameHasOwner(s) with its body", () => {
    const message = encodeMessage({
      type: MessageType.METHOD_CALL,
      serial: 2,
      path: "/org/freedesktop/DBus",
      interface: "org.freedesktop.DBus",
      member: "NameHasOwner",
      destination: "org.freedesktop.DBus",
      signature: "s",
      body: ["org.freedesktop.secrets"],
    });
    expect(message.toString("hex")).toBe(
      bytes(
        "6c 01 00 01  1c000000  02000000  7f000000", // body 28 bytes; serial 2; fields 127 bytes
        "01 01 6f 00  15000000", z("/org/freedesktop/DBus"), "0000",
        "02 01 73 00  14000000", z("org.freedesktop.DBus"), "000000",
        "03 01 73 00  0c000000", z("NameHasOwner"), "000000",
        "06 01 73 00  14000000", z("org.freedesktop.DBus"), "000000",
        "08 01 67 00  01", z("s"), // SIGNATURE (g) "s"
        "00", // pad the header to 8
        "17000000", z("org.freedesktop.secrets"), // body: one string
      ).toString("hex"),
    );
  });

  it("aligns a string after a string in a body (Properties.Get(ss))", () => {
    expect(marshal("ss", ["ab", "c"]).toString("hex")).toBe(bytes("02000000", z("ab"), "00", "01000000", z("c")).toString("hex"));
  });

  it("marshals arrays of structs with the element padding outside the length", () => {
    // a(yu): length 8 counts from the 8-aligned first struct, not from right after the length.
    expect(marshal("a(yu)", [[[1, 2]]]).toString("hex")).toBe(bytes("08000000", "00000000", "01 000000 02000000").toString("hex"));
  });

  it("rejects values that do not fit the signature", () => {
    expect(() => marshal("s", [1])).toThrow(DbusWireError);
    expect(() => marshal("ss", ["only one"])).toThrow(/needs 2 values/);
    expect(() => marshal("s", ["nul\0inside"])).toThrow(/NUL/);
  });
});

describe("D-Bus message unmarshalling", () => {
  it("decodes a big-endian METHOD_RETURN carrying a boolean", () => {
    const reply = bytes(
      "42 02 00 01  00000004  00000007  0000000f", // 'B', METHOD_RETURN; body 4; serial 7; fields 15
      "05 01 75 00  00000002", // REPLY_SERIAL (u) 2
      "08 01 67 00  01", z("b"), // SIGNATURE "b"
      "00",
      "00000001", // true
    );
    expect(messageByteLength(reply)).toBe(36);
    expect(decodeMessage(reply)).toEqual({ type: MessageType.METHOD_RETURN, flags: 0, serial: 7, replySerial: 2, signature: "b", body: [true] });
  });

  it("round-trips what it encodes, variants and dictionaries included", () => {
    const body = ["x", [["Locked", { signature: "b", value: true }], ["Label", { signature: "s", value: "Login" }]], ["a", "b"], 7n, -3];
    const encoded = encodeMessage({
      type: MessageType.ERROR,
      serial: 9,
      replySerial: 4,
      errorName: "org.example.Error",
      destination: ":1.5",
      signature: "sa{sv}asxi",
      body,
    });
    expect(decodeMessage(encoded)).toMatchObject({ type: MessageType.ERROR, serial: 9, replySerial: 4, errorName: "org.example.Error", body });
  });

  it("needs 16 bytes to know a length, and refuses oversized or truncated messages", () => {
    expect(messageByteLength(Buffer.alloc(15))).toBeUndefined();
    const huge = bytes("6c 02 00 01", "00001000", "01000000", "00000000"); // body of 1 MiB
    expect(() => messageByteLength(huge)).toThrow(/larger than this client accepts/);
    expect(MAX_MESSAGE_BYTES).toBe(1 << 20);
    const hello = encodeMessage({ type: MessageType.METHOD_CALL, serial: 1, path: "/", member: "Hello" });
    expect(() => decodeMessage(hello.subarray(0, hello.length - 1))).toThrow(/truncated/);
    expect(() => messageByteLength(bytes("00".repeat(16)))).toThrow(/endianness/);
  });

  it("reads strings bounded by the buffer", () => {
    const message = encodeMessage({ type: MessageType.METHOD_RETURN, serial: 1, replySerial: 1, signature: "s", body: ["A"] });
    message.writeUInt32LE(0xff, message.length - 6); // the string's length, now past the end of the body
    expect(() => decodeMessage(message)).toThrow(/truncated/);
  });

  it("splits signatures into complete types", () => {
    expect(splitSignature("sa{sv}(iu)aas")).toEqual(["s", "a{sv}", "(iu)", "aas"]);
    expect(() => splitSignature("a")).toThrow(DbusWireError);
    expect(() => splitSignature("(i")).toThrow(DbusWireError);
  });
});
