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

interface MethodCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: readonly DbusValue[];
}

export interface DbusConnection {
  /** Resolves with the METHOD_RETURN; rejects with DbusCallError for an ERROR reply. */
  call(call: MethodCall): Promise<DbusMessage>;
  /** Destroys the socket; pending calls reject. Safe to call twice. */
  close(): void;
}

const MAX_SASL_LINE = 4096;

/** `AUTH EXTERNAL` takes the uid as ASCII decimal, hex-encoded: uid 1000 → "31303030". */
export function saslExternalInitialResponse(uid: number): string {
  return Buffer.from(String(uid), "ascii").toString("hex");
}

/**
 * Connects, authenticates as `uid` (the bus checks it against the socket's peer credentials) and
 * says Hello. Aborting `signal` destroys the socket and rejects whatever is pending.
 */
export async function connectDbus(address: DbusSocketAddress, { uid, signal }: { uid: number; signal?: AbortSignal }): Promise<DbusConnection> {
  const where = describeDbusAddress(address);
  if (signal?.aborted) throw new DbusConnectionError("aborted", "aborted");

  const socket = net.createConnection({ path: socketPathOf(address) });
  const pending = new Map<number, { resolve: (m: DbusMessage) => void; reject: (e: Error) => void }>();
  let authenticated!: { resolve: () => void; reject: (e: Error) => void };
  const authentication = new Promise<void>((resolve, reject) => (authenticated = { resolve, reject }));
  let closedError: DbusConnectionError | undefined;
  let connected = false;
  let inSasl = true;
  let serial = 0;
  let inbox: Buffer = Buffer.alloc(0);

  const shutdown = (error: DbusConnectionError) => {
    if (closedError) return;
    closedError = error;
    socket.destroy();
    signal?.removeEventListener("abort", onAbort);
    authenticated.reject(error); // no-op once authenticated
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  const onAbort = () => shutdown(new DbusConnectionError("aborted", "aborted"));
  signal?.addEventListener("abort", onAbort, { once: true });

  // SASL: a NUL byte, AUTH EXTERNAL with the uid, wait for OK, then BEGIN (binary protocol from then on).
  socket.once("connect", () => {
    connected = true;
    socket.write(`\0AUTH EXTERNAL ${saslExternalInitialResponse(uid)}\r\n`);
  });
  socket.on("error", (error: NodeJS.ErrnoException) => {
    const why = error.code ?? error.message;
    shutdown(
      connected
        ? new DbusConnectionError(`cannot talk to the D-Bus session bus at ${where}: ${why}`, "io", error.code)
        : new DbusConnectionError(`cannot connect to the D-Bus session bus at ${where}: ${why}`, "connect", error.code),
    );
  });
  socket.on("close", () => shutdown(new DbusConnectionError(`the D-Bus session bus at ${where} closed the connection`, "io")));

  const readSaslLines = () => {
    for (let end = inbox.indexOf("\r\n"); inSasl && end >= 0; end = inbox.indexOf("\r\n")) {
      const line = inbox.subarray(0, end).toString("ascii");
      inbox = inbox.subarray(end + 2);
      if (line === "OK" || line.startsWith("OK ")) {
        socket.write("BEGIN\r\n");
        inSasl = false;
        authenticated.resolve();
      } else if (line.startsWith("DATA")) {
        socket.write("DATA\r\n");
      } else {
        throw new DbusConnectionError(`the D-Bus session bus refused authentication (${line.slice(0, 200)})`, "auth");
      }
    }
    if (inSasl && inbox.length > MAX_SASL_LINE) throw new DbusConnectionError("the bus sent an overlong authentication line", "auth");
  };

  const readMessages = () => {
    for (let length = messageByteLength(inbox); length !== undefined && inbox.length >= length; length = messageByteLength(inbox)) {
      const message = decodeMessage(inbox.subarray(0, length));
      inbox = inbox.subarray(length);
      const waiter = message.replySerial === undefined ? undefined : pending.get(message.replySerial);
      if (!waiter || (message.type !== MessageType.METHOD_RETURN && message.type !== MessageType.ERROR)) continue;
      pending.delete(message.replySerial!);
      if (message.type === MessageType.METHOD_RETURN) waiter.resolve(message);
      else waiter.reject(new DbusCallError(message.errorName ?? "org.freedesktop.DBus.Error.Failed", typeof message.body[0] === "string" ? message.body[0] : ""));
    }
  };

  socket.on("data", (chunk: Buffer) => {
    inbox = inbox.length === 0 ? chunk : Buffer.concat([inbox, chunk]);
    try {
      if (inSasl) readSaslLines();
      if (!inSasl) readMessages();
    } catch (error) {
      shutdown(error instanceof DbusConnectionError ? error : new DbusConnectionError(`bad message from the bus: ${(error as Error).message}`, "io"));
    }
  });

  const call = (request: MethodCall): Promise<DbusMessage> => {
    if (closedError) return Promise.reject(closedError);
    serial += 1;
    const bytes = encodeMessage({ type: MessageType.METHOD_CALL, serial, ...request });
    return new Promise<DbusMessage>((resolve, reject) => {
      pending.set(serial, { resolve, reject });
      socket.write(bytes);
    });
  };

  await authentication;
  await call({ destination: BUS_NAME, path: BUS_PATH, interface: BUS_NAME, member: "Hello" });
  return { call, close: () => shutdown(new DbusConnectionError("connection closed", "aborted")) };
}
