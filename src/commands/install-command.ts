import { existsSync } from "node:fs";
import { entrySnippet } from "../clients/snippet.js";
import type { ClientDescriptor, ClientHost } from "../clients/types.js";
import { currentOsUserName } from "../config/os-user.js";
import { TOKEN_ENV_VARS } from "../credentials/env-token.js";
import { BridgeError } from "../core/errors.js";
import { assertTransportAllowed } from "../http/url.js";
import { clientLaunch, LaunchError, type ClientLaunch } from "../invocation/client-launch.js";
import { COMMAND_NAME, type Invocation } from "../invocation/how-started.js";
import { shellWord } from "../invocation/command-name.js";
import { VERSION } from "../version.js";
import type { CommandContext } from "./context.js";
import { settingsFor } from "./shared/settings.js";
import type { CommandSpec } from "./registry.js";
import { claudeCli, installWithClaudeCli } from "./shared/claude-cli.js";
import { installInFile, type ClientOutcome } from "./shared/client-config.js";
import { CLIENT_OPTIONS, clientHelpLines, startClientCommand } from "./shared/client-options.js";
import { clientProblem, restartSentence } from "./shared/client-words.js";
import { entryEnv } from "./shared/entry-env.js";
import { invocationOf } from "./shared/invocation-of.js";
import { INSTALL_SETTINGS } from "./shared/command-settings.js";

export const installCommand: CommandSpec = {
  name: "install",
  usage: ["install --client NAME… | all [--print] [--name NAME] [--global] [options]"],
  about: [
    "Adds the bridge to an MCP client's config file, so the client starts it. Every other server, key,",
    "comment and the file's formatting are kept; the previous file is kept as <file>.bak; running it",
    "again changes nothing; an entry it wrote before is updated in place. A file that is not valid",
    "JSON/TOML is left untouched. Restart the client afterwards: clients read their config at start.",
    "",
    "The entry runs this bridge the way it is installed here — `npx -y mcp-memory-bridge@<major>`, the",
    "global command (--global), or `node <checkout>/bin/mcp-memory-bridge.js` — with absolute paths and",
    "node's folder first on PATH (apps started from the desktop do not get your shell's PATH). Its env",
    "pins the endpoint and every other setting below that is in force and not a default; never the",
    "token, which stays in the OS keychain (run login first).",
    "",
    ...clientHelpLines("install"),
  ],
  options: {
    ...CLIENT_OPTIONS,
    print: { type: "boolean", description: "Show the entry and where it goes instead of writing it" },
    global: { type: "boolean", description: "Run the globally installed command (npm install -g) instead of npx: starts faster" },
  },
  settings: INSTALL_SETTINGS,
  availability: globalAvailability,
  examples: (name) => [
    `${name} install --client claude-desktop`,
    `${name} install --client cursor,vscode --endpoint https://memory.example.com/api`,
    `${name} install --client all`,
    `${name} install --client codex --print`,
  ],
  maxArguments: Number.POSITIVE_INFINITY,
  async run(ctx, values, positionals) {
    const start = startClientCommand(ctx, values, positionals, "install");
    if (start === 2) return 2;
    const { host, invocation, command, name, clients } = start;
    if (clients.length === 0) {
      ctx.stderr.write(`No MCP client was found on this machine (none of their config folders exists). Name one: ${command} install --client NAME (see --help).\n`);
      return 1;
    }

    const { settings } = settingsFor(ctx, values);
    if (settings.endpoint === undefined) {
      throw new BridgeError(`No memory server is configured, so there is nothing to point the client at. Log in first: ${command} login URL (or pass --endpoint URL).`);
    }
    assertTransportAllowed(settings.endpoint, settings.allowHttp);
    const launch = launchFor(ctx, invocation, values.global === true);
    if (launch === undefined) return 1;
    const env = { ...entryEnv({ settings, env: ctx.env, cwd: ctx.cwd, platform: ctx.host.platform, osUserName: currentOsUserName(ctx.env) }), ...launch.env };
    const fullLaunch: ClientLaunch = { ...launch, env };

    if (values.print) {
      for (const client of clients) printEntry(ctx, client, host, name, client.entry(fullLaunch));
      return 0;
    }

    let failed = false;
    for (const client of clients) {
      const entry = client.entry(fullLaunch);
      const file = client.configPath(host);
      try {
        const claude = claudeCli(client, ctx.host);
        const outcome = claude ? await installWithClaudeCli(ctx.host, claude, client, file, name, entry) : installInFile(client, file, name, entry);
        reportInstall(ctx, client, name, outcome, settings.endpoint);
      } catch (error) {
        const problem = clientProblem(client, file, error, { name, entry, commandName: command, installing: true });
        if (problem === undefined) throw error;
        ctx.stderr.write(`✗ ${problem}\n`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  },
};

function launchFor(ctx: CommandContext, invocation: Invocation, global: boolean): ClientLaunch | undefined {
  try {
    return tryLaunch(ctx, invocation, global);
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    ctx.stderr.write(`--global: ${noGlobalInstall(ctx, invocation)}, or leave out --global.\n`);
    return undefined;
  }
}

function tryLaunch(ctx: CommandContext, invocation: Invocation, global: boolean): ClientLaunch {
  return clientLaunch({
    invocation,
    platform: ctx.host.platform,
    execPath: ctx.host.execPath,
    env: ctx.env,
    major: VERSION.split(".")[0]!,
    global,
    exists: existsSync,
    findExecutable: (name) => ctx.host.findExecutable(name),
  });
}

function noGlobalInstall(ctx: CommandContext, invocation: Invocation): string {
  const checkout = invocation.kind === "checkout" ? ` (from this checkout: npm install -g ${shellWord(invocation.packageRoot, ctx.host.platform)})` : "";
  return `${COMMAND_NAME} is not installed globally (not on PATH, not in npm's global folder). Install it with npm install -g ${COMMAND_NAME}${checkout}`;
}

/** For install's and setup's --help: whether --global can work here. */
export async function globalAvailability(ctx: CommandContext): Promise<string[]> {
  const { invocation } = invocationOf(ctx);
  try {
    tryLaunch(ctx, invocation, true);
    return [];
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    return [`--global is not available here: ${noGlobalInstall(ctx, invocation)} to use it.`];
  }
}

function printEntry(ctx: CommandContext, client: ClientDescriptor, host: ClientHost, name: string, entry: Record<string, unknown>): void {
  ctx.stdout.write(`${client.displayName} — add to ${client.configPath(host)}:\n${entrySnippet(client, name, entry)}\n`);
  if (client.cli === "claude" && host.platform !== "win32") {
    ctx.stdout.write(`or run: claude mcp add-json --scope user ${name} ${shellWord(JSON.stringify(entry), host.platform)}\n`);
  }
  ctx.stdout.write("\n");
}

function reportInstall(ctx: CommandContext, client: ClientDescriptor, name: string, outcome: ClientOutcome, endpoint: string): void {
  const where = outcome.viaCli ? `${outcome.path} (through ${outcome.viaCli})` : outcome.path;
  const backup = outcome.backup ? `; the previous file is ${outcome.backup}` : "";
  if (outcome.action === "unchanged") {
    ctx.stdout.write(`✓ ${client.displayName}: "${name}" is already set up in ${where}; nothing changed.\n`);
    ctx.stdout.write(`  If ${client.displayName} does not list its memory tools yet: ${lowerFirst(restartSentence(client, name))}\n`);
    return;
  }
  ctx.stdout.write(`✓ ${client.displayName}: ${outcome.action} "${name}" (endpoint ${endpoint}) in ${where}${backup}.\n`);
  if (outcome.droppedEnv?.length) {
    const token = outcome.droppedEnv.some((name) => (TOKEN_ENV_VARS as readonly string[]).includes(name));
    const bak = token && outcome.backup ? ` ${outcome.backup} still holds that token: delete it once the client works.` : "";
    ctx.stdout.write(`  Removed from its env: ${outcome.droppedEnv.join(", ")} (the entry sets only non-secret settings; tokens belong in the keychain: run login).${bak}\n`);
  }
  ctx.stdout.write(`  ${restartSentence(client, name)}\n`);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
