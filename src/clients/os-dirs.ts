import { pathFor } from "../invocation/how-started.js";
import type { ClientHost } from "./types.js";

/**
 * Where desktop apps keep their settings: %APPDATA% on Windows, ~/Library/Application Support on
 * macOS, $XDG_CONFIG_HOME (default ~/.config) elsewhere.
 */
export function appDataDir(host: ClientHost): string {
  const p = pathFor(host.platform);
  if (host.platform === "win32") return host.env.APPDATA || p.join(host.home, "AppData", "Roaming");
  if (host.platform === "darwin") return p.join(host.home, "Library", "Application Support");
  return xdgConfigHome(host);
}

/** $XDG_CONFIG_HOME when it is an absolute path (as the spec asks), else ~/.config. */
export function xdgConfigHome(host: ClientHost): string {
  const p = pathFor(host.platform);
  const xdg = host.env.XDG_CONFIG_HOME;
  return xdg && p.isAbsolute(xdg) ? xdg : p.join(host.home, ".config");
}

/** `home` joined with `parts`, with the host's separator. */
export function inHome(host: ClientHost, ...parts: string[]): string {
  return pathFor(host.platform).join(host.home, ...parts);
}
