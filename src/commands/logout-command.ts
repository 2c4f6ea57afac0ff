import { createFileStore } from "../credentials/file-store.js";
import type { KeychainProblemKind } from "../credentials/keychain-problem.js";
import { BridgeError } from "../core/errors.js";
import { keychainWords } from "../mcp/keychain-words.js";
import { KEYCHAIN_SERVICE } from "../credentials/token-store.js";
import { invocationOf } from "./shared/invocation-of.js";
import type { CommandSpec } from "./registry.js";
import { endpointArgument } from "./shared/endpoint-argument.js";
import { stderrLogger } from "./shared/open-session.js";
import { settingsFor } from "./shared/settings.js";

/** Problems that mean no keychain can be reached from this process (another session may still hold a token). */
const NO_KEYCHAIN_HERE = new Set<KeychainProblemKind>(["no-dbus", "no-secret-service", "module-missing"]);

export const logoutCommand: CommandSpec = {
  name: "logout",
  usage: ["logout [URL] [options]"],
  about: [
    "Removes the token stored for URL (default: the current endpoint) from the OS keychain — through",
    "every keychain module that can reach it — and from the insecure token file. Says so when there was",
    "none. A token set in the environment (MEMORY_BRIDGE_TOKEN) is not touched: unset it yourself.",
  ],
  settings: ["endpoint", "logLevel"],
  examples: (name) => [`${name} logout`, `${name} logout https://memory.example.com/api`],
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
    const file = createFileStore({ configDir: settings.configDir, logger, platform, loginCommand: `${invocationOf(ctx).name} login` });
    if (await file.delete(endpoint)) removedFrom.push(`the insecure token file ${file.path}`);

    const problem = keychain.problem;
    if (removedFrom.length > 0) ctx.stdout.write(`✓ Removed the token for ${endpoint} from ${removedFrom.join(" and ")}.\n`);
    else if (!problem) ctx.stdout.write(`No token was stored for ${endpoint}; nothing to remove.\n`);
    if (ctx.env.MEMORY_BRIDGE_TOKEN || ctx.env.MCP_MEMORY_API_KEY) {
      ctx.stdout.write("! A token is still set in this environment (MEMORY_BRIDGE_TOKEN / MCP_MEMORY_API_KEY); unset it to log out fully.\n");
    }
    if (problem && NO_KEYCHAIN_HERE.has(problem.kind)) {
      // Another session (a desktop login, a dbus-run-session) may hold a token this one cannot see.
      const unseen = `Could not look for a token for ${endpoint} in the keychain (${problem.message.replace(/\.$/, "")}), so one that login stored there was not removed`;
      if (removedFrom.length > 0) ctx.stdout.write(`! ${unseen}, if there is one.\n`);
      else throw new BridgeError(`${unseen}: run \`${invocationOf(ctx).name} logout ${endpoint}\` where login ran (its desktop session or dbus-run-session), or delete the keyring item (service "${KEYCHAIN_SERVICE}", account "${endpoint}") with your keyring tool.`);
    } else if (problem) {
      // A locked or refusing keychain may still hold a token: say so rather than claim success.
      throw new BridgeError(`Could not check the keychain for a token for ${endpoint}: ${keychainWords(problem, { command: invocationOf(ctx).name })}`);
    }
    return 0;
  },
};
