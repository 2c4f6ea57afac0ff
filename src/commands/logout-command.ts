import { createFileStore } from "../credentials/file-store.js";
import type { KeychainProblemKind } from "../credentials/keychain-problem.js";
import { BridgeError } from "../core/errors.js";
import { keychainWords } from "../mcp/keychain-words.js";
import { PACKAGE_NAME } from "../version.js";
import type { CommandSpec } from "./registry.js";
import { endpointArgument } from "./shared/endpoint-argument.js";
import { stderrLogger } from "./shared/open-session.js";
import { settingsFor } from "./shared/settings.js";

/** Problems that mean this machine has no keychain at all, so none can hold a token. */
const NO_KEYCHAIN_HERE = new Set<KeychainProblemKind>(["no-dbus", "no-secret-service", "module-missing"]);

export const logoutCommand: CommandSpec = {
  name: "logout",
  help: [
    `Usage: ${PACKAGE_NAME} logout [URL] [options]`,
    "",
    "Removes the token stored for URL (default: the current endpoint) from the OS keychain — through",
    "every keychain module that can reach it — and from the insecure token file. Says so when there was",
    "none. A token set in the environment (MEMORY_BRIDGE_TOKEN) is not touched: unset it yourself.",
    "",
    "Examples:",
    `  ${PACKAGE_NAME} logout`,
    `  ${PACKAGE_NAME} logout https://memory.example.com/api`,
  ].join("\n"),
  maxArguments: 1,
  async run(ctx, values, positionals) {
    const { settings } = settingsFor(ctx, values);
    const logger = stderrLogger(ctx, settings);
    const platform = ctx.host.platform;
    const endpoint = endpointArgument(ctx, "logout", positionals, settings.endpoint);
    if (endpoint === 2) return 2;

    const removedFrom: string[] = [];
    const keychain = await ctx.keychain({ platform, env: ctx.env, logger });
    for (const store of keychain.stores) {
      if (await store.delete(endpoint)) removedFrom.push(`the OS keychain (${store.name})`);
    }
    const file = createFileStore({ configDir: settings.configDir, logger, platform });
    if (await file.delete(endpoint)) removedFrom.push(`the insecure token file ${file.path}`);

    if (removedFrom.length > 0) ctx.stdout.write(`✓ Removed the token for ${endpoint} from ${removedFrom.join(" and ")}.\n`);
    else if (!keychain.problem || NO_KEYCHAIN_HERE.has(keychain.problem.kind)) {
      ctx.stdout.write(`No token was stored for ${endpoint}; nothing to remove.\n`);
    }
    if (ctx.env.MEMORY_BRIDGE_TOKEN || ctx.env.MCP_MEMORY_API_KEY) {
      ctx.stdout.write("! A token is still set in this environment (MEMORY_BRIDGE_TOKEN / MCP_MEMORY_API_KEY); unset it to log out fully.\n");
    }
    if (keychain.problem && !NO_KEYCHAIN_HERE.has(keychain.problem.kind)) {
      // A locked or refusing keychain may still hold a token: say so rather than claim success.
      throw new BridgeError(`Could not check the keychain for a token for ${endpoint}: ${keychainWords(keychain.problem)}`);
    }
    return 0;
  },
};
