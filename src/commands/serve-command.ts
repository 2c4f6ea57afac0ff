import { ConfigError } from "../config/errors.js";
import { configDirEnv } from "../config/config-dir.js";
import { loadSettings } from "../config/load.js";
import { runStdioServer } from "../mcp/stdio-server.js";
import { PACKAGE_NAME } from "../version.js";
import type { CommandSpec } from "./registry.js";
import { invocationOf } from "./shared/invocation-of.js";
import { ALL_SETTINGS } from "./shared/command-settings.js";
import { sessionFor } from "./shared/open-session.js";
import { usesRemoteMcp } from "./shared/remote-mcp.js";
import { serveRemoteMcp } from "./shared/serve-proxy.js";
import { settingsFor, type LoadedSettings } from "./shared/settings.js";

export const serveCommand: CommandSpec = {
  name: "serve",
  usage: ["[serve] [options]"],
  about: [
    "Speaks MCP over stdin/stdout. An MCP client (Claude Desktop, Claude Code, Cursor…) starts it; you",
    "normally never run it by hand. Logs go to stderr (--log-level). Only JSON-RPC is written to stdout.",
    "",
    "It answers `initialize` at once; the token, project and server are resolved on first use. A missing",
    "server or token never stops it: each tool call says what is wrong and what to run.",
    "",
    "A client entry (Claude Desktop's claude_desktop_config.json; `install` writes it for you):",
    `  "memory": { "command": "npx", "args": ["-y", "${PACKAGE_NAME}@0"],`,
    `              "env": { "MEMORY_BRIDGE_PROJECT_MODE": "auto" } }`,
  ],
  settings: ALL_SETTINGS,
  examples: (name) => [`${name} serve --log-level debug`, `${name} --endpoint https://memory.example.com/api`],
  async run(ctx, values) {
    let loaded: LoadedSettings;
    let setupProblem: string | undefined;
    try {
      loaded = settingsFor(ctx, values);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // Exiting would leave the client with a bare "server disconnected"; serving lets every tool
      // call, and memory_status, say exactly which setting is wrong.
      setupProblem = error.message;
      // Defaults for everything, but the same config dir: the token file and cache are where they were.
      loaded = { settings: loadSettings({ env: configDirEnv(ctx.env), platform: ctx.host.platform, home: ctx.host.home }), profileProblems: [] };
    }
    let opened = sessionFor(ctx, loaded, setupProblem);
    for (const problem of loaded.profileProblems) opened.logger.warn(problem);
    if (ctx.stdin.isTTY) {
      ctx.stderr.write(
        `${PACKAGE_NAME} is waiting for an MCP client on standard input (it speaks MCP on stdio: Claude Desktop, Claude Code, Cursor… start it); Ctrl+C quits. ` +
          `To set it up (server, token, clients), run: ${invocationOf(ctx).name} setup  (and see --help)\n`,
      );
    }
    if (setupProblem === undefined && usesRemoteMcp(loaded.settings) && ctx.prelude !== undefined) {
      // Cannot happen (mayServeRemoteMcp() errs towards true), but stdin was read and maybe answered already.
      setupProblem = "The bridge answered the MCP handshake before it read the settings that select a remote MCP server; restart it with --backend mcp.";
    }
    if (setupProblem === undefined && usesRemoteMcp(loaded.settings)) {
      const notStarted = await serveRemoteMcp(ctx, opened);
      if (notStarted === undefined) return 0;
      // As for an invalid setting: serve, so that every call and memory_status say what is wrong.
      setupProblem = notStarted.setupProblem;
      await opened.session.close().catch(() => undefined);
      opened = sessionFor(ctx, loaded, setupProblem);
    }
    const { session, logger } = opened;
    if (setupProblem) logger.error(setupProblem);
    // Discovery and backend detection run in the background; `initialize` never waits for them.
    session.warmUp();
    await runStdioServer({ session, logger, stdin: ctx.stdin, stdout: ctx.stdout, now: ctx.host.now, ...(ctx.prelude && { prelude: ctx.prelude }) });
    return 0;
  },
};
