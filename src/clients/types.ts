import type { ClientLaunch } from "../invocation/client-launch.js";

/** Where a client looks for its files: injected, so every OS can be computed anywhere. */
export interface ClientHost {
  platform: NodeJS.Platform;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** What to tell the user after a change: the client reads its config when it starts. */
export type RestartKind =
  /** A desktop app: quit it completely and open it again. */
  | "quit-app"
  /** An editor: reload the window or restart it. */
  | "restart-editor"
  /** A terminal agent: start a new session. */
  | "new-session";

/** One MCP client: adding another is one more descriptor in ./registry.ts. */
export interface ClientDescriptor {
  /** `--client` name, e.g. "claude-desktop". */
  id: string;
  /** As the client calls itself, e.g. "Claude Desktop". */
  displayName: string;
  /** json: strict JSON (comments refused); jsonc: comments and trailing commas allowed; toml. */
  format: "json" | "jsonc" | "toml";
  /** The user-level config file on this OS. */
  configPath(host: ClientHost): string;
  /** Any of these existing means the client is installed here (what `--client all` looks for). */
  detectPaths(host: ClientHost): string[];
  /** The key of the object that maps server names to entries, e.g. ["mcpServers"]. */
  serversKey: readonly string[];
  /** The entry in this client's shape. */
  entry(launch: ClientLaunch): Record<string, unknown>;
  restart: RestartKind;
  /** A CLI that edits the config itself and should be preferred when it is on PATH. */
  cli?: "claude";
}

/** `{command, args, env}`, the shape most clients share (env left out when empty). */
export function standardEntry(launch: ClientLaunch): Record<string, unknown> {
  return {
    command: launch.command,
    args: launch.args,
    ...(Object.keys(launch.env).length > 0 && { env: launch.env }),
  };
}
