import type { ClientDescriptor } from "../clients/types.js";
import type { CommandContext } from "./context.js";
import type { CommandSpec } from "./registry.js";
import { claudeCli, uninstallWithClaudeCli } from "./shared/claude-cli.js";
import { uninstallFromFile, type ClientOutcome } from "./shared/client-config.js";
import { CLIENT_OPTIONS, clientHelpLines, startClientCommand } from "./shared/client-options.js";
import { clientProblem } from "./shared/client-words.js";

export const uninstallCommand: CommandSpec = {
  name: "uninstall",
  usage: ["uninstall --client NAME… | all [--name NAME] [options]"],
  about: [
    "Removes the bridge's entry from an MCP client's config file, and nothing else: other servers, keys,",
    "comments and formatting stay; the previous file is kept as <file>.bak. An entry of that name that",
    "runs something other than this bridge is left alone. The token stays in the keychain: to remove it",
    "too, run logout.",
    "",
    ...clientHelpLines("uninstall"),
  ],
  options: { ...CLIENT_OPTIONS },
  settings: [],
  examples: (name) => [`${name} uninstall --client cursor`, `${name} uninstall --client all && ${name} logout`],
  maxArguments: Number.POSITIVE_INFINITY,
  async run(ctx, values, positionals) {
    const start = startClientCommand(ctx, values, positionals, "uninstall");
    if (start === 2) return 2;
    const { host, command, name, clients, all } = start;

    let failed = false;
    let removed = 0;
    for (const client of clients) {
      const file = client.configPath(host);
      try {
        const claude = claudeCli(client, ctx.host);
        const outcome = claude ? await uninstallWithClaudeCli(ctx.host, claude, client, file, name) : uninstallFromFile(client, file, name);
        if (outcome.action === "removed") removed++;
        // With `all`, clients that never had the entry are not worth a line each.
        if (outcome.action === "removed" || !all) reportUninstall(ctx, client, name, outcome);
      } catch (error) {
        const problem = clientProblem(client, file, error, { name, commandName: command, installing: false });
        if (problem === undefined) throw error;
        ctx.stderr.write(`✗ ${problem}\n`);
        failed = true;
      }
    }
    if (all && removed === 0 && !failed) ctx.stdout.write(`No client found here has an entry named "${name}"; nothing to remove.\n`);
    return failed ? 1 : 0;
  },
};

function reportUninstall(ctx: CommandContext, client: ClientDescriptor, name: string, outcome: ClientOutcome): void {
  const where = outcome.viaCli ? `${outcome.path} (through ${outcome.viaCli})` : outcome.path;
  if (outcome.action === "absent") {
    ctx.stdout.write(`${client.displayName}: no entry named "${name}" in ${where}; nothing to remove.\n`);
    return;
  }
  const backup = outcome.backup ? `; the previous file is ${outcome.backup}` : "";
  ctx.stdout.write(`✓ ${client.displayName}: removed "${name}" from ${where}${backup}. Restart ${client.displayName} for it to take effect.\n`);
}
