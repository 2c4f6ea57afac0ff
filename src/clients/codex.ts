import { pathFor } from "../invocation/how-started.js";
import { inHome } from "./os-dirs.js";
import { standardEntry, type ClientDescriptor } from "./types.js";

/** OpenAI Codex (CLI, IDE extension, app): `[mcp_servers.<name>]` in $CODEX_HOME/config.toml (default ~/.codex). */
export const codex: ClientDescriptor = {
  id: "codex",
  displayName: "Codex",
  format: "toml",
  configPath: (host) => {
    const dir = host.env.CODEX_HOME;
    return dir ? pathFor(host.platform).join(dir, "config.toml") : inHome(host, ".codex", "config.toml");
  },
  detectPaths: (host) => [host.env.CODEX_HOME || inHome(host, ".codex")],
  serversKey: ["mcp_servers"],
  entry: standardEntry,
  restart: "new-session",
};
