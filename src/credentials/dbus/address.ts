/**
 * DBUS_SESSION_BUS_ADDRESS parsing (D-Bus specification, "Server Addresses"): a `;`-separated list
 * of `transport:key=value,…` entries whose values may be %-escaped. Only the Unix-socket transports
 * a client can connect to are supported: `unix:path=…` and Linux's `unix:abstract=…`.
 */

export type DbusSocketAddress = { kind: "path"; path: string } | { kind: "abstract"; name: string };

export type DbusAddressResult =
  | { ok: true; address: DbusSocketAddress }
  /** missing: no address at all; unsupported: only transports this client cannot use; invalid: not an address. */
  | { ok: false; reason: "missing" | "unsupported" | "invalid"; detail: string };

/** Undoes the address %-escaping (each `%XX` is one byte); undefined for a malformed escape. */
export function unescapeDbusValue(value: string): string | undefined {
  if (/%(?![0-9a-fA-F]{2})/.test(value)) return undefined;
  const parts = value.split(/%([0-9a-fA-F]{2})/); // odd indexes hold the escaped bytes' hex
  return Buffer.concat(parts.map((part, i) => (i % 2 === 1 ? Buffer.of(parseInt(part, 16)) : Buffer.from(part, "utf8")))).toString("utf8");
}

function parseEntry(entry: string): { transport: string; params: Map<string, string> } | undefined {
  const colon = entry.indexOf(":");
  if (colon <= 0) return undefined;
  const params = new Map<string, string>();
  const rest = entry.slice(colon + 1);
  if (rest !== "") {
    for (const pair of rest.split(",")) {
      const eq = pair.indexOf("=");
      if (eq <= 0) return undefined;
      const value = unescapeDbusValue(pair.slice(eq + 1));
      if (value === undefined) return undefined;
      params.set(pair.slice(0, eq), value);
    }
  }
  return { transport: entry.slice(0, colon), params };
}

/** The first entry of `value` this client can connect to. */
export function parseDbusAddress(value: string | undefined): DbusAddressResult {
  const trimmed = value?.trim() ?? "";
  if (trimmed === "") return { ok: false, reason: "missing", detail: "DBUS_SESSION_BUS_ADDRESS is not set" };
  const entries = trimmed.split(";").filter((entry) => entry !== "");
  const seen: string[] = [];
  let malformed = 0;
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (parsed === undefined) {
      malformed++;
      continue;
    }
    seen.push(parsed.transport);
    if (parsed.transport !== "unix") continue;
    const path = parsed.params.get("path");
    if (path) return { ok: true, address: { kind: "path", path } };
    const name = parsed.params.get("abstract");
    if (name) return { ok: true, address: { kind: "abstract", name } };
  }
  if (seen.length === 0 || malformed === entries.length) {
    return { ok: false, reason: "invalid", detail: "DBUS_SESSION_BUS_ADDRESS is not a D-Bus address" };
  }
  return {
    ok: false,
    reason: "unsupported",
    detail: `DBUS_SESSION_BUS_ADDRESS names no unix:path= or unix:abstract= socket (transports: ${[...new Set(seen)].join(", ")})`,
  };
}

/** What node:net connects to: a filesystem path, or a Linux abstract name with its leading NUL. */
export function socketPathOf(address: DbusSocketAddress): string {
  return address.kind === "path" ? address.path : `\0${address.name}`;
}

/** For messages: the address without escapes, abstract names shown with a leading `@` like ss(8). */
export function describeDbusAddress(address: DbusSocketAddress): string {
  return address.kind === "path" ? address.path : `@${address.name}`;
}
