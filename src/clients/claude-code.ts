import { pathFor } from "../invocation/how-started.js";
import { inHome } from "./os-dirs.js";
import { standardEntry, type ClientDescriptor } from "./types.js";

/**
 * User scope: the top-level `mcpServers` of ~/.claude.json ($CLAUDE_CONFIG_DIR/.claude.json when
 * set). Claude Code rewrites that file while it runs, so its own CLI (`claude mcp add-json --scope
 * user`) is preferred when it is on PATH.
 */
export const claudeCode: ClientDescriptor = {
  id: "claude-code",
  displayName: "Claude Code",
  format: "json",
  configPath: (host) => {
    const dir = host.env.CLAUDE_CONFIG_DIR;
    return dir ? pathFor(host.platform).join(dir, ".claude.json") : inHome(host, ".claude.json");
  },
  detectPaths: (host) => [inHome(host, ".claude"), inHome(host, ".claude.json")],
  serversKey: ["mcpServers"],
  entry: (launch) => ({ type: "stdio", ...standardEntry(launch) }),
  restart: "new-session",
  cli: "claude",
};
