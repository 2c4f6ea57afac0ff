import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage, messageByteLength, MessageType, type DbusMessage, type DbusValue } from "../../src/credentials/dbus/wire.js";
import { DEFAULT_COLLECTION_PATH, probeSecretService } from "../../src/credentials/secret-service-probe.js";

/**
 * A scripted D-Bus bus on a Unix socket in a temp dir: SASL EXTERNAL, then each method call is
 * answered by `answer` (a reply, an error, or silence). Records the calls and whether the client
 * closed its connection.
 */
type Answer = { signature?: string; body?: DbusValue[] } | { error: string; message?: string } | "silence";

interface FakeBus {
  address: string;
  calls: DbusMessage[];
  authLines: string[];
  clientClosed: Promise<void>;
  close(): Promise<void>;
}

const dirs: string[] = [];
const buses: FakeBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function fakeBus(answer: (call: DbusMessage) => Answer, options: { rejectAuth?: boolean } = {}): Promise<FakeBus> {
  const dir = mkdtempSync(join(tmpdir(), "fake-dbus-"));
  dirs.push(dir);
  const path = join(dir, "bus");
  const calls: DbusMessage[] = [];
  const authLines: string[] = [];
  const sockets = new Set<net.Socket>();
  let closed!: () => void;
  const clientClosed = new Promise<void>((resolve) => (closed = resolve));
  let serial = 100;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => {
      sockets.delete(socket);
      closed();
    });
    socket.on("error", () => undefined);
    let buffer = Buffer.alloc(0);
    let binary = false;
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (!binary) {
        const end = buffer.indexOf("\r\n");
        if (end < 0) return;
        const line = buffer.subarray(0, end).toString("latin1").replace(/^\0/, "");
        buffer = buffer.subarray(end + 2);
        authLines.push(line);
        if (line.startsWith("AUTH")) socket.write(options.rejectAuth ? "REJECTED EXTERNAL\r\n" : "OK 0123456789abcdef0123456789abcdef\r\n");
        if (line === "BEGIN") binary = true;
      }
      for (;;) {
        const length = messageByteLength(buffer);
        if (length === undefined || buffer.length < length) return;
        const call = decodeMessage(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        calls.push(call);
        const reply = call.member === "Hello" ? { signature: "s", body: [":1.42"] } : answer(call);
        if (reply === "silence") continue;
        const base = { serial: ++serial, replySerial: call.serial, destination: ":1.42" };
        if ("error" in reply) {
          socket.write(encodeMessage({ ...base, type: MessageType.ERROR, errorName: reply.error, signature: "s", body: [reply.message ?? ""] }));
        } else {
          socket.write(encodeMessage({ ...base, type: MessageType.METHOD_RETURN, signature: reply.signature ?? "", body: reply.body ?? [] }));
        }
        if (call.member === "Hello") {
          // The bus follows Hello with a NameAcquired signal; the client must ignore it.
          socket.write(encodeMessage({ type: MessageType.SIGNAL, serial: ++serial, path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus", member: "NameAcquired", signature: "s", body: [":1.42"] }));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const bus: FakeBus = {
    address: `unix:path=${path},guid=0123456789abcdef0123456789abcdef`,
    calls,
    authLines,
    clientClosed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  buses.push(bus);
  return bus;
}

const secretServiceBus = (options: { owned?: boolean; activatable?: boolean; locked?: boolean | "no-alias-object" | "no-default" }) =>
  fakeBus((call) => {
    switch (call.member) {
      case "NameHasOwner":
        return { signature: "b", body: [options.owned ?? true] };
      case "ListActivatableNames":
        return { signature: "as", body: [options.activatable ? ["org.freedesktop.DBus", "org.freedesktop.secrets"] : ["org.freedesktop.DBus"]] };
      case "Get":
        if (call.path === DEFAULT_COLLECTION_PATH && (options.locked === "no-alias-object" || options.locked === "no-default")) {
          return { error: "org.freedesktop.DBus.Error.UnknownObject", message: "no such object" };
        }
        return { signature: "v", body: [{ signature: "b", value: options.locked === true }] };
      case "ReadAlias":
        return { signature: "o", body: [options.locked === "no-default" ? "/" : "/org/freedesktop/secrets/collection/login"] };
      default:
        return { error: "org.freedesktop.DBus.Error.UnknownMethod" };
    }
  });

describe("probeSecretService", () => {
  it("ok: Hello, NameHasOwner, then Locked=false on the default alias; closes the socket", async () => {
    const bus = await secretServiceBus({ owned: true, locked: false });
    const result = await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, uid: 1000 });
    expect(result).toEqual({ ok: true });
    expect(bus.authLines).toEqual(["AUTH EXTERNAL 31303030", "BEGIN"]);
    expect(bus.calls.map((c) => c.member)).toEqual(["Hello", "NameHasOwner", "Get"]);
    const get = bus.calls[2]!;
    expect(get).toMatchObject({
      destination: "org.freedesktop.secrets",
      path: "/org/freedesktop/secrets/aliases/default",
      interface: "org.freedesktop.DBus.Properties",
      signature: "ss",
      body: ["org.freedesktop.Secret.Collection", "Locked"],
    });
    await bus.clientClosed;
  });

  it("locked: Locked=true", async () => {
    const bus = await secretServiceBus({ locked: true });
    expect(await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, uid: 1000 })).toMatchObject({ ok: false, reason: "locked" });
  });

  it("no Secret Service: not owned and not activatable", async () => {
    const bus = await secretServiceBus({ owned: false, activatable: false });
    const result = await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, uid: 1000 });
    expect(result).toMatchObject({ ok: false, reason: "no-secret-service" });
    expect(bus.calls.map((c) => c.member)).toEqual(["Hello", "NameHasOwner", "ListActivatableNames"]);
  });

  it("activatable but not running: goes on and asks (which starts it)", async () => {
    const bus = await secretServiceBus({ owned: false, activatable: true, locked: false });
    expect(await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, uid: 1000 })).toEqual({ ok: true });
    expect(bus.calls.map((c) => c.member)).toEqual(["Hello", "NameHasOwner", "ListActivatableNames", "Get"]);
  });

  it("activation that fails to spawn → no-secret-service", async () => {
    const bus = await fakeBus((call) =>
      call.member === "NameHasOwner" ? { signature: "b", body: [false] }
      : call.member === "ListActivatableNames" ? { signature: "as", body: [["org.freedesktop.secrets"]] }
      : { error: "org.freedesktop.DBus.Error.Spawn.ChildExited", message: "Process org.freedesktop.secrets exited with status 1" },
    );
    expect(await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, uid: 1000 })).toMatchObject({
      ok: false,
      reason: "no-secret-service",
      detail: expect.stringContaining("Spawn.ChildExited"),
    });
  });

  it("no alias object: falls back to ReadAlias and asks the collection it names", async () => {
    const bus = await secretServiceBus({ locked: "no-alias-object" });
    expect(await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, uid: 1000 })).toEqual({ ok: true });
    expect(bus.calls.map((c) => [c.member, c.path])).toEqual([
      ["Hello", "/org/freedesktop/DBus"],
      ["NameHasOwner", "/org/freedesktop/DBus"],
      ["Get", "/org/freedesktop/secrets/aliases/default"],
      ["ReadAlias", "/org/freedesktop/secrets"],
      ["Get", "/org/freedesktop/secrets/collection/login"],
    ]);
  });

  it("no default collection at all → locked (creating one needs a prompt)", async () => {
    const bus = await secretServiceBus({ locked: "no-default" });
    expect(await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, uid: 1000 })).toMatchObject({
      ok: false,
      reason: "locked",
      detail: expect.stringContaining("no default keyring"),
    });
  });

  it("a bus that never answers → timeout within the budget, and the socket is closed", async () => {
    const bus = await fakeBus(() => "silence");
    const started = Date.now();
    const result = await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, uid: 1000, timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, reason: "timeout", detail: expect.stringContaining("200 ms") });
    expect(Date.now() - started).toBeLessThan(1500);
    await bus.clientClosed;
  });

  it("refused authentication → error", async () => {
    const bus = await fakeBus(() => ({}), { rejectAuth: true });
    expect(await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, uid: 1000 })).toMatchObject({
      ok: false,
      reason: "error",
      detail: expect.stringContaining("refused authentication"),
    });
  });

  it("an unexpected reply type → error", async () => {
    const bus = await fakeBus((call) =>
      call.member === "NameHasOwner" ? { signature: "b", body: [true] } : { signature: "v", body: [{ signature: "s", value: "yes" }] },
    );
    expect(await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, uid: 1000 })).toMatchObject({ ok: false, reason: "error" });
  });

  it("no DBUS_SESSION_BUS_ADDRESS → no-dbus without touching anything", async () => {
    expect(await probeSecretService({ env: {} })).toEqual({ ok: false, reason: "no-dbus", detail: "DBUS_SESSION_BUS_ADDRESS is not set" });
  });

  it("an address where nothing listens → no-dbus", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fake-dbus-"));
    dirs.push(dir);
    expect(await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/nothing` }, uid: 1000 })).toMatchObject({
      ok: false,
      reason: "no-dbus",
      detail: expect.stringContaining("ENOENT"),
    });
    expect(await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: `unix:abstract=mcp-memory-bridge-test-${process.pid}-nothing` }, uid: 1000 })).toMatchObject({
      ok: false,
      reason: "no-dbus",
    });
  });

  it("an address with only unsupported transports → error", async () => {
    expect(await probeSecretService({ env: { DBUS_SESSION_BUS_ADDRESS: "tcp:host=127.0.0.1,port=1" } })).toMatchObject({ ok: false, reason: "error" });
  });
});
