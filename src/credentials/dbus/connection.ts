import net from "node:net";
import { describeDbusAddress, socketPathOf, type DbusSocketAddress } from "./address.js";
import { decodeMessage, encodeMessage, messageByteLength, MessageType, type DbusMessage, type DbusValue } from "./wire.js";

/**
 * A minimal D-Bus client over a Unix socket: SASL EXTERNAL authentication, `Hello`, and method
 * calls matched to their replies by serial. Signals and anything else the bus sends are ignored.
 * No reconnects, no fd passing: just enough to ask a few questions and hang up.
 */

export const BUS_NAME = "org.freedesktop.DBus";
export const BUS_PATH = "/org/freedesktop/DBus";

/** Why the connection could not be used. `code` is the socket error code for stage "connect". */
export class DbusConnectionError extends Error {
  override name = "DbusConnectionError";
  constructor(
    message: string,
    readonly stage: "connect" | "auth" | "io" | "aborted",
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The remote side answered with an ERROR message. */
export class DbusCallError extends Error {
  override name = "DbusCallError";
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message === "" ? errorName : `${errorName}: ${message}`);
  }
}

export interface MethodCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: readonly DbusValue[];
  flags?: number;
}

export interface DbusConnection {
  /** The unique name the bus gave this connection (the reply to Hello). */
  readonly uniqueName: string;
  /** Resolves with the METHOD_RETURN; rejects with DbusCallError for an ERROR reply. */
  call(call: MethodCall): Promise<DbusMessage>;
  /** Destroys the socket; pending calls reject. Safe to call twice. */
  close(): void;
}

export interface ConnectOptions {
  /** The uid whose decimal form SASL EXTERNAL sends (the bus checks it against the socket's peer credentials). */
  uid: number;
  /** Aborting destroys the socket and rejects whatever is pending. */
  signal?: AbortSignal;
}

const MAX_SASL_LINE = 4096;

/** `AUTH EXTERNAL` takes the uid as ASCII decimal, hex-encoded: uid 1000 → "31303030". */
export function saslExternalInitialResponse(uid: number): string {
  return Buffer.from(String(uid), "ascii").toString("hex");
}

export async function connectDbus(address: DbusSocketAddress, options: ConnectOptions): Promise<DbusConnection> {
  const { uid, signal } = options;
  const where = describeDbusAddress(address);
  if (signal?.aborted) throw new DbusConnectionError("aborted", "aborted");

  const socket = net.createConnection({ path: socketPathOf(address) });
  let closedError: DbusConnectionError | undefined;
  let serial = 0;
  let inbox: Buffer = Buffer.alloc(0);
  let authenticated = false;
  const pending = new Map<number, { resolve: (m: DbusMessage) => void; reject: (e: Error) => void }>();
  let onAuthLine: ((line: string) => void) | undefined;
  let onClosed: ((error: DbusConnectionError) => void) | undefined;

  const shutdown = (error: DbusConnectionError) => {
    if (closedError) return;
    closedError = error;
    socket.destroy();
    signal?.removeEventListener("abort", onAbort);
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
    onClosed?.(error);
  };
  const onAbort = () => shutdown(new DbusConnectionError("aborted", "aborted"));
  signal?.addEventListener("abort", onAbort, { once: true });

  let connected = false;
  socket.once("connect", () => (connected = true));
  socket.on("error", (error: NodeJS.ErrnoException) => {
    const stage = connected ? "io" : "connect";
    shutdown(new DbusConnectionError(`cannot ${stage === "connect" ? "connect to" : "talk to"} the D-Bus session bus at ${where}: ${error.code ?? error.message}`, stage, error.code));
  });
  socket.on("close", () => shutdown(new DbusConnectionError(`the D-Bus session bus at ${where} closed the connection`, "io")));

  const drainMessages = () => {
    for (;;) {
      let length: number | undefined;
      try {
        length = messageByteLength(inbox);
      } catch (error) {
        shutdown(new DbusConnectionError(`bad message from the bus: ${(error as Error).message}`, "io"));
        return;
      }
      if (length === undefined || inbox.length < length) return;
      const raw = inbox.subarray(0, length);
      inbox = inbox.subarray(length);
      let message: DbusMessage;
      try {
        message = decodeMessage(raw);
      } catch (error) {
        shutdown(new DbusConnectionError(`bad message from the bus: ${(error as Error).message}`, "io"));
        return;
      }
      if (message.type !== MessageType.METHOD_RETURN && message.type !== MessageType.ERROR) continue;
      const waiter = message.replySerial === undefined ? undefined : pending.get(message.replySerial);
      if (!waiter) continue;
      pending.delete(message.replySerial!);
      if (message.type === MessageType.ERROR) {
        const text = typeof message.body[0] === "string" ? message.body[0] : "";
        waiter.reject(new DbusCallError(message.errorName ?? "org.freedesktop.DBus.Error.Failed", text));
      } else {
        waiter.resolve(message);
      }
    }
  };

  socket.on("data", (chunk: Buffer) => {
    inbox = inbox.length === 0 ? chunk : Buffer.concat([inbox, chunk]);
    if (authenticated) {
      drainMessages();
      return;
    }
    for (;;) {
      const end = inbox.indexOf("\r\n");
      if (end < 0) {
        if (inbox.length > MAX_SASL_LINE) shutdown(new DbusConnectionError("the bus sent an overlong authentication line", "auth"));
        return;
      }
      const line = inbox.subarray(0, end).toString("ascii");
      inbox = inbox.subarray(end + 2);
      onAuthLine?.(line);
      if (authenticated || closedError) return;
    }
  });

  const call = (request: MethodCall): Promise<DbusMessage> => {
    if (closedError) return Promise.reject(closedError);
    serial += 1;
    const bytes = encodeMessage({
      type: MessageType.METHOD_CALL,
      serial,
      flags: request.flags ?? 0,
      path: request.path,
      interface: request.interface,
      member: request.member,
      destination: request.destination,
      signature: request.signature ?? "",
      body: request.body ?? [],
    });
    return new Promise<DbusMessage>((resolve, reject) => {
      pending.set(serial, { resolve, reject });
      socket.write(bytes);
    });
  };

  // SASL: a NUL byte, AUTH EXTERNAL with the uid, wait for OK, then BEGIN (binary protocol from then on).
  await new Promise<void>((resolve, reject) => {
    onClosed = reject;
    onAuthLine = (line) => {
      if (line.startsWith("OK ") || line === "OK") {
        socket.write("BEGIN\r\n");
        authenticated = true;
        onAuthLine = undefined;
        resolve();
        if (inbox.length > 0) drainMessages();
      } else if (line.startsWith("DATA")) {
        socket.write("DATA\r\n");
      } else {
        shutdown(new DbusConnectionError(`the D-Bus session bus refused authentication (${line.slice(0, 200)})`, "auth"));
      }
    };
    socket.once("connect", () => {
      socket.write(`\0AUTH EXTERNAL ${saslExternalInitialResponse(uid)}\r\n`);
    });
  });
  onClosed = undefined;

  const hello = await call({ destination: BUS_NAME, path: BUS_PATH, interface: BUS_NAME, member: "Hello" });
  const uniqueName = typeof hello.body[0] === "string" ? hello.body[0] : "";

  return {
    uniqueName,
    call,
    close: () => shutdown(new DbusConnectionError("connection closed", "aborted")),
  };
}
