import { pathFor } from "../invocation/how-started.js";
import { xdgConfigHome } from "./os-dirs.js";
import { standardEntry, type ClientDescriptor } from "./types.js";

/**
 * Zed's settings.json (JSON with comments): `context_servers`. ~/.config/zed on macOS,
 * $XDG_CONFIG_HOME/zed on Linux, %APPDATA%\Zed on Windows.
 */
function zedDir(host: Parameters<ClientDescriptor["configPath"]>[0]): string {
  const p = pathFor(host.platform);
  if (host.platform === "win32") return p.join(host.env.APPDATA || p.join(host.home, "AppData", "Roaming"), "Zed");
  if (host.platform === "darwin") return p.join(host.home, ".config", "zed");
  return p.join(xdgConfigHome(host), "zed");
}

export const zed: ClientDescriptor = {
  id: "zed",
  displayName: "Zed",
  format: "jsonc",
  configPath: (host) => pathFor(host.platform).join(zedDir(host), "settings.json"),
  detectPaths: (host) => [zedDir(host)],
  serversKey: ["context_servers"],
  entry: standardEntry,
  restart: "restart-editor",
};
