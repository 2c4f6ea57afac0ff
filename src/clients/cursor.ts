import { inHome } from "./os-dirs.js";
import { standardEntry, type ClientDescriptor } from "./types.js";

/** Global MCP servers: ~/.cursor/mcp.json on every OS (%USERPROFILE%\.cursor on Windows). */
export const cursor: ClientDescriptor = {
  id: "cursor",
  displayName: "Cursor",
  format: "jsonc",
  configPath: (host) => inHome(host, ".cursor", "mcp.json"),
  detectPaths: (host) => [inHome(host, ".cursor")],
  serversKey: ["mcpServers"],
  entry: standardEntry,
  restart: "restart-editor",
};
