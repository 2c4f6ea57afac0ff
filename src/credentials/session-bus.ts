import { existsSync } from "node:fs";
import type { Env } from "../core/env.js";

/**
 * The session bus address to use. MCP clients built on the MCP SDK start servers with only HOME,
 * LOGNAME, PATH, SHELL, TERM and USER, so DBUS_SESSION_BUS_ADDRESS is usually missing even on a
 * desktop whose keyring is running. Like sd-bus and GDBus, fall back to the user bus socket:
 * `$XDG_RUNTIME_DIR/bus`, or `/run/user/<uid>/bus` when XDG_RUNTIME_DIR is unset too.
 */
export function sessionBusAddress(
  env: Env,
  uid: number | undefined = process.getuid?.(),
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  const explicit = env.DBUS_SESSION_BUS_ADDRESS?.trim();
  if (explicit) return explicit;
  const runtimeDir = env.XDG_RUNTIME_DIR?.trim() || (uid === undefined ? undefined : `/run/user/${uid}`);
  if (!runtimeDir) return undefined;
  const socket = `${runtimeDir}/bus`;
  return exists(socket) ? `unix:path=${socket}` : undefined;
}

/**
 * Makes the session bus findable by the native keychain modules, which read the real process
 * environment: when the address had to be derived and `env` is `target` (process.env), it is
 * exported there.
 * Returns the environment the probe should see.
 */
export function withSessionBus(env: Env, target: NodeJS.ProcessEnv = process.env): Env {
  if (env.DBUS_SESSION_BUS_ADDRESS?.trim()) return env;
  const derived = sessionBusAddress(env);
  if (!derived) return env;
  // Only the real process environment is changed; a test's own env object never leaks into it.
  if (env === target) target.DBUS_SESSION_BUS_ADDRESS = derived;
  return { ...env, DBUS_SESSION_BUS_ADDRESS: derived };
}
