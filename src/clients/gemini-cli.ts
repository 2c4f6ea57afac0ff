import { inHome } from "./os-dirs.js";
import { standardEntry, type ClientDescriptor } from "./types.js";

/** Gemini CLI's user settings, ~/.gemini/settings.json (comments allowed). */
export const geminiCli: ClientDescriptor = {
  id: "gemini-cli",
  displayName: "Gemini CLI",
  format: "jsonc",
  configPath: (host) => inHome(host, ".gemini", "settings.json"),
  detectPaths: (host) => [inHome(host, ".gemini")],
  serversKey: ["mcpServers"],
  entry: standardEntry,
  restart: "new-session",
};
