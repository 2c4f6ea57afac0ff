import { runtimeTokenStores } from "../credentials/token-stores.js";
import { createLogger } from "../log.js";
import { PACKAGE_NAME } from "../version.js";
import type { CommandSpec } from "./registry.js";
import { ConfigError } from "../config/errors.js";
import { loadSettings } from "../config/load.js";
import { settingsFor, type LoadedSettings } from "./load-settings.js";
import { serve } from "./serve.js";

export const serveCommand: CommandSpec = {
  name: "serve",
  help: [
    `Usage: ${PACKAGE_NAME} [serve] [options]`,
    "",
    "Speaks MCP over stdin/stdout. An MCP client (Claude Desktop, Claude Code, Cursor…) starts it; you",
    "normally never run it by hand. Logs go to stderr (--log-level). Only JSON-RPC is written to stdout.",
    "",
    "It answers `initialize` at once; the token, project and server are resolved on first use. A missing",
    "server or token never stops it: each tool call says what is wrong and what to run.",
    "",
    "Example client entry (Claude Desktop's claude_desktop_config.json):",
    `  "memory": { "command": "npx", "args": ["-y", "${PACKAGE_NAME}@0"],`,
    `              "env": { "MEMORY_BRIDGE_PROJECT_MODE": "auto" } }`,
    `(after \`${PACKAGE_NAME} login <URL>\`, which keeps the token in the OS keychain)`,
  ].join("\n"),
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
      loaded = { settings: loadSettings({ env: {} }), profileProblems: [] };
    }
    const { settings, profileProblems } = loaded;
    const logger = createLogger({ level: settings.logLevel, write: (line) => ctx.stderr.write(`${line}\n`) });
    if (setupProblem) logger.error(setupProblem);
    for (const problem of profileProblems) logger.warn(problem);
    const stores = runtimeTokenStores({ platform: process.platform, env: ctx.env, configDir: settings.configDir, logger });
    return serve(ctx, { settings, logger, stores, profileProblems, ...(setupProblem && { setupProblem }) });
  },
};
