import { inHome } from "./os-dirs.js";
import { standardEntry, type ClientDescriptor } from "./types.js";

/** Cascade's MCP servers: ~/.codeium/windsurf/mcp_config.json on every OS. */
export const windsurf: ClientDescriptor = {
  id: "windsurf",
  displayName: "Windsurf",
  format: "jsonc",
  configPath: (host) => inHome(host, ".codeium", "windsurf", "mcp_config.json"),
  detectPaths: (host) => [inHome(host, ".codeium", "windsurf")],
  serversKey: ["mcpServers"],
  entry: standardEntry,
  restart: "restart-editor",
};
