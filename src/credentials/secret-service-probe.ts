import type { Env } from "../core/env.js";
import { describeDbusAddress, parseDbusAddress } from "./dbus/address.js";
import { BUS_NAME, BUS_PATH, connectDbus, DbusCallError, DbusConnectionError, type DbusConnection } from "./dbus/connection.js";
import type { DbusVariant } from "./dbus/wire.js";

/**
 * Is a Secret Service (gnome-keyring, KWallet, KeePassXC…) reachable on the session bus, with an
 * unlocked default collection? Asked before either keychain module touches the keychain on Linux,
 * because @napi-rs/keyring falls back to the kernel keyutils keyring when it finds none (which
 * does not survive a reboot), and keytar reads a locked keyring as "no token" without an error.
 *
 * Pure JavaScript over node:net: no dependency, no external program, bounded by one timeout.
 */

export type SecretServiceProbeReason = "no-dbus" | "no-secret-service" | "locked" | "timeout" | "error";
export type SecretServiceProbe = { ok: true } | { ok: false; reason: SecretServiceProbeReason; detail: string };

export interface ProbeOptions {
  env: Env;
  /** Total budget for connect, authentication and every call. Default 1500 ms. */
  timeoutMs?: number;
  /** For SASL EXTERNAL; default process.getuid(). */
  uid?: number;
}

const SECRETS_BUS_NAME = "org.freedesktop.secrets";
const SECRETS_PATH = "/org/freedesktop/secrets";
/** The specification's fixed path of the default collection. */
export const DEFAULT_COLLECTION_PATH = "/org/freedesktop/secrets/aliases/default";
const COLLECTION_INTERFACE = "org.freedesktop.Secret.Collection";
const SERVICE_INTERFACE = "org.freedesktop.Secret.Service";
const DEFAULT_PROBE_TIMEOUT_MS = 1500;

/** Connection failures meaning "there is no bus listening there". */
const NO_BUS_CODES = new Set(["ENOENT", "ECONNREFUSED", "ENOTDIR", "ENOTSOCK", "ECONNRESET"]);
/** Errors meaning "no such object": the alias (or the collection it names) does not exist. */
const NO_OBJECT_ERRORS = new Set([
  "org.freedesktop.DBus.Error.UnknownObject",
  "org.freedesktop.DBus.Error.UnknownMethod",
  "org.freedesktop.DBus.Error.UnknownInterface",
  "org.freedesktop.Secret.Error.NoSuchObject",
]);
const NO_SERVICE_ERRORS = new Set(["org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner"]);

class ProbeVerdict extends Error {
  constructor(readonly result: SecretServiceProbe & { ok: false }) {
    super(result.detail);
  }
}
const verdict = (reason: SecretServiceProbeReason, detail: string) => new ProbeVerdict({ ok: false, reason, detail });

async function lockedProperty(bus: DbusConnection, path: string): Promise<boolean> {
  const reply = await bus.call({
    destination: SECRETS_BUS_NAME,
    path,
    interface: "org.freedesktop.DBus.Properties",
    member: "Get",
    signature: "ss",
    body: [COLLECTION_INTERFACE, "Locked"],
  });
  const variant = reply.body[0] as DbusVariant | undefined;
  if (variant?.signature !== "b") throw verdict("error", `the Secret Service answered Locked with type "${variant?.signature ?? "none"}"`);
  return variant.value === true;
}

async function askTheBus(bus: DbusConnection): Promise<SecretServiceProbe> {
  const owned = await bus.call({
    destination: BUS_NAME, path: BUS_PATH, interface: BUS_NAME, member: "NameHasOwner", signature: "s", body: [SECRETS_BUS_NAME],
  });
  if (owned.body[0] !== true) {
    const activatable = await bus.call({ destination: BUS_NAME, path: BUS_PATH, interface: BUS_NAME, member: "ListActivatableNames" });
    const names = Array.isArray(activatable.body[0]) ? activatable.body[0] : [];
    if (!names.includes(SECRETS_BUS_NAME)) {
      throw verdict("no-secret-service", `nothing owns ${SECRETS_BUS_NAME} on the session bus and no service file can start it`);
    }
    // Activatable: the next call starts it, as libsecret's first call would.
  }

  let locked: boolean;
  try {
    locked = await lockedProperty(bus, DEFAULT_COLLECTION_PATH);
  } catch (error) {
    if (!(error instanceof DbusCallError) || !NO_OBJECT_ERRORS.has(error.errorName)) throw error;
    // Not every implementation exports the alias path: ask for the alias instead.
    const alias = await bus.call({
      destination: SECRETS_BUS_NAME, path: SECRETS_PATH, interface: SERVICE_INTERFACE, member: "ReadAlias", signature: "s", body: ["default"],
    });
    const path = alias.body[0];
    if (typeof path !== "string" || path === "/") {
      throw verdict("locked", "the Secret Service has no default keyring yet, and creating one needs a password prompt");
    }
    locked = await lockedProperty(bus, path);
  }
  return locked ? { ok: false, reason: "locked", detail: "the default keyring of the Secret Service is locked" } : { ok: true };
}

function classify(error: unknown, where: string): SecretServiceProbe & { ok: false } {
  if (error instanceof ProbeVerdict) return error.result;
  if (error instanceof DbusConnectionError) {
    if (error.stage === "connect" && error.code !== undefined && NO_BUS_CODES.has(error.code)) {
      return { ok: false, reason: "no-dbus", detail: `no D-Bus session bus is listening at ${where} (${error.code})` };
    }
    return { ok: false, reason: "error", detail: error.message };
  }
  if (error instanceof DbusCallError) {
    if (NO_SERVICE_ERRORS.has(error.errorName) || error.errorName.startsWith("org.freedesktop.DBus.Error.Spawn.")) {
      return { ok: false, reason: "no-secret-service", detail: `the Secret Service could not be reached: ${error.message}` };
    }
    if (error.errorName === "org.freedesktop.Secret.Error.IsLocked") {
      return { ok: false, reason: "locked", detail: error.message };
    }
    return { ok: false, reason: "error", detail: `the D-Bus call failed: ${error.message}` };
  }
  return { ok: false, reason: "error", detail: error instanceof Error ? error.message : String(error) };
}

export async function probeSecretService(options: ProbeOptions): Promise<SecretServiceProbe> {
  const parsed = parseDbusAddress(options.env.DBUS_SESSION_BUS_ADDRESS);
  if (!parsed.ok) {
    return { ok: false, reason: parsed.reason === "missing" ? "no-dbus" : "error", detail: parsed.detail };
  }
  const uid = options.uid ?? process.getuid?.();
  if (uid === undefined) return { ok: false, reason: "error", detail: "this platform has no uid for D-Bus authentication" };
  const where = describeDbusAddress(parsed.address);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;

  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<SecretServiceProbe>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, reason: "timeout", detail: `the D-Bus session bus at ${where} did not answer within ${timeoutMs} ms` });
    }, timeoutMs);
  });
  let bus: DbusConnection | undefined;
  const work = (async (): Promise<SecretServiceProbe> => {
    try {
      bus = await connectDbus(parsed.address, { uid, signal: controller.signal });
      return await askTheBus(bus);
    } catch (error) {
      return classify(error, where);
    }
  })();
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
    controller.abort();
    bus?.close();
  }
}
