import { pathFor } from "../invocation/how-started.js";
import { appDataDir } from "./os-dirs.js";
import { standardEntry, type ClientDescriptor } from "./types.js";

/** Settings → Developer → Edit Config. Strict JSON (the app refuses comments). */
export const claudeDesktop: ClientDescriptor = {
  id: "claude-desktop",
  displayName: "Claude Desktop",
  format: "json",
  configPath: (host) => pathFor(host.platform).join(appDataDir(host), "Claude", "claude_desktop_config.json"),
  detectPaths: (host) => [pathFor(host.platform).join(appDataDir(host), "Claude")],
  serversKey: ["mcpServers"],
  entry: standardEntry,
  restart: "quit-app",
};
