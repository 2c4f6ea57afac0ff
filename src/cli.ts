import { parseArgs } from "node:util";
import { BridgeError } from "./core/errors.js";
import { ConfigError } from "./config/errors.js";
import { globalFlagOptions } from "./config/flags.js";
import type { CommandContext, ExitCode } from "./commands/context.js";
import type { CommandSpec } from "./commands/registry.js";
import type { StdinPrelude } from "./mcp/stdin-prelude.js";
import { loadKeychain } from "./credentials/load-keychain.js";
import { processHost } from "./host.js";
import { loadHttpClient } from "./http/load-client.js";
import { explain } from "./mcp/error-words.js";
import { VERSION } from "./version.js";
import { closestWord } from "./commands/shared/closest-word.js";
import { idleFlagNotes, mayBeIdle } from "./commands/shared/idle-flags.js";
import { helpText, parseOptionsOf } from "./commands/shared/command-help.js";
import { shellWord } from "./invocation/command-name.js";

/** Summaries for `--help`; each command's module loads only when it runs, to keep start-up small. */
export const COMMANDS: { name: string; summary: string; load: () => Promise<CommandSpec> }[] = [
  { name: "serve", summary: "Run the stdio MCP server (the default; an MCP client starts it)", load: async () => (await import("./commands/serve-command.js")).serveCommand },
  { name: "setup", summary: "Set everything up in one go: find the server, log in, add the bridge to your MCP clients", load: async () => (await import("./commands/setup-command.js")).setupCommand },
  { name: "login", summary: "Check a token against the server and store it in the OS keychain", load: async () => (await import("./commands/login-command.js")).loginCommand },
  { name: "logout", summary: "Remove the stored token for an endpoint from every store", load: async () => (await import("./commands/logout-command.js")).logoutCommand },
  { name: "status", summary: "Show the endpoint, backend, project, where the token comes from, and reachability", load: async () => (await import("./commands/status-command.js")).statusCommand },
  { name: "doctor", summary: "Check everything the bridge needs, with a fix for each problem", load: async () => (await import("./commands/doctor-command.js")).doctorCommand },
  { name: "discover", summary: "List the memory servers found on this machine and the local network (mDNS)", load: async () => (await import("./commands/discover-command.js")).discoverCommand },
  { name: "project", summary: "Show the project id this directory resolves to, and why", load: async () => (await import("./commands/project-command.js")).projectCommand },
  { name: "install", summary: "Add the bridge to an MCP client's config (Claude Desktop, Cursor, VS Code, …)", load: async () => (await import("./commands/install-command.js")).installCommand },
  { name: "uninstall", summary: "Remove the bridge's entry from an MCP client's config", load: async () => (await import("./commands/uninstall-command.js")).uninstallCommand },
];

function usage(name: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    `Usage: ${name} [command] [options]`,
    "",
    "Use a remote memory server from any MCP client, safely. With no command it runs `serve`, which is",
    `what an MCP client starts; to set everything up, run: ${name} setup`,
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    `Run \`${name} <command> --help\` for what a command does, its options and examples (e.g. \`${name} login --help\`).`,
    `${name} --version prints the version (${VERSION}).`,
  ].join("\n");
}

/** argv (without node and script) → exit code. The only place exit codes are decided. */
export async function runCli(ctx: CommandContext): Promise<ExitCode> {
  const [first, ...rest] = ctx.argv;
  if (first === "--version" || first === "-v") {
    ctx.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (first === "help" && rest[0] !== undefined && COMMANDS.some((c) => c.name === rest[0])) {
    return runCli({ ...ctx, argv: [rest[0], "--help"] });
  }
  if (first === "--help" || first === "-h" || first === "help") {
    ctx.stdout.write(`${usage(await commandNameOf(ctx))}\n`);
    return 0;
  }
  const named = first !== undefined && !first.startsWith("-") ? COMMANDS.find((c) => c.name === first) : undefined;
  if (first !== undefined && !first.startsWith("-") && !named) {
    const guess = closestWord(first, COMMANDS.map((c) => c.name));
    const name = await commandNameOf(ctx);
    ctx.stderr.write(
      guess !== undefined && !guess.includes(" ")
        ? `Unknown command "${first}". Did you mean "${guess}"? Run: ${name} ${[guess, ...rest].map(quoted(ctx)).join(" ")}\n`
        : `Unknown command "${first}". Run: ${name} --help\n`,
    );
    return 2;
  }
  if (!named && first !== undefined) {
    // Flags before the command (`--endpoint URL status`): move the command to the front.
    const loose = parseArgs({ args: ctx.argv, options: globalFlagOptions, allowPositionals: true, strict: false });
    const candidate = loose.positionals[0];
    if (candidate !== undefined && COMMANDS.some((c) => c.name === candidate)) {
      const index = ctx.argv.indexOf(candidate);
      return runCli({ ...ctx, argv: [candidate, ...ctx.argv.slice(0, index), ...ctx.argv.slice(index + 1)] });
    }
  }
  return runCommand(await (named ?? COMMANDS[0]!).load(), ctx, named ? rest : ctx.argv);
}

/** One command with its arguments: parsed against its options and the global flags, then run. */
export async function runCommand(command: CommandSpec, ctx: CommandContext, args: string[]): Promise<ExitCode> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: parseOptionsOf(command),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    ctx.stderr.write(`${await parseProblem(ctx, command, args, error)}\n`);
    return 2;
  }
  if (parsed.positionals.length > (command.maxArguments ?? 0)) {
    const extra = parsed.positionals.slice(command.maxArguments ?? 0).join(" ");
    ctx.stderr.write(`Unexpected argument "${extra}" for ${command.name}. Run: ${await commandNameOf(ctx)} ${command.name} --help\n`);
    return 2;
  }
  if (parsed.values.version) {
    ctx.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (parsed.values.help) {
    ctx.stdout.write(`${await helpText(command, ctx, await commandNameOf(ctx))}\n`);
    return 0;
  }
  try {
    if (mayBeIdle(parsed.values)) {
      const { settingsFor } = await import("./commands/shared/settings.js");
      for (const note of idleFlagNotes(parsed.values, settingsFor(ctx, parsed.values).settings)) ctx.stderr.write(`${note}\n`);
    }
    return await command.run(ctx, parsed.values as Record<string, unknown>, parsed.positionals);
  } catch (error) {
    if (error instanceof BridgeError) {
      ctx.stderr.write(`${explain(error, { command: await commandNameOf(ctx) })}\n`);
      // A bad value typed on the command line is a usage error; anything else the user can fix.
      return error instanceof ConfigError && error.source === "flag" ? 2 : 1;
    }
    throw error;
  }
}

/** Entry point of the bundled CLI (bin/mcp-memory-bridge.js, through serve-start.ts). */
export async function main(prelude?: StdinPrelude): Promise<void> {
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch {
    process.stderr.write("The current directory no longer exists; change to another directory and run again.\n");
    process.exit(1);
  }
  // A client that closed our stderr must not take the bridge down: logging just stops.
  process.stderr.on("error", () => undefined);
  const code = await runCli({
    argv: process.argv.slice(2),
    env: process.env,
    cwd,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    host: processHost(),
    keychain: loadKeychain,
    http: loadHttpClient,
    ...(prelude && { prelude }),
  });
  // Let piped output drain before exiting: process.exit() does not wait for it.
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  process.exit(code);
}

/** How to name this command in a message (loaded only when a message needs it). */
async function commandNameOf(ctx: CommandContext): Promise<string> {
  const { invocationOf } = await import("./commands/shared/invocation-of.js");
  return invocationOf(ctx).name;
}

function quoted(ctx: CommandContext): (word: string) => string {
  return (word) => shellWord(word, ctx.host.platform);
}

/**
 * A command line the parser refused, in words: an unknown option gets the nearest one this command
 * takes and the corrected command; anything else, the parser's own sentence and the command's help.
 */
async function parseProblem(ctx: CommandContext, command: CommandSpec, args: string[], error: unknown): Promise<string> {
  const name = await commandNameOf(ctx);
  const unknown = (error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /'(-[^']*)'/.exec((error as Error).message)?.[1] : undefined;
  if (unknown === undefined) return `${error instanceof Error ? error.message : String(error)}. Run: ${name} ${command.name} --help`;
  const setting = unknown.startsWith("--") && Object.hasOwn(globalFlagOptions, unknown.slice(2)) ? globalFlagOptions[unknown.slice(2)] : undefined;
  if (setting !== undefined) {
    const rest = withoutFlag(args, unknown, setting.type === "string");
    return `${command.name} does not use ${unknown} (\`${name} ${command.name} --help\` lists what it reads): leave it out. Run: ${name} ${[command.name, ...rest].map(quoted(ctx)).join(" ")}`;
  }
  const flags = Object.keys(parseOptionsOf(command)).map((flag) => `--${flag}`);
  const guess = unknown.startsWith("--") ? closestWord(unknown, flags) : undefined;
  if (guess === undefined || guess.includes(" ")) return `Unknown option ${unknown} for ${command.name}. Run: ${name} ${command.name} --help`;
  const corrected = args.map((arg) => (arg === unknown ? guess : arg.startsWith(`${unknown}=`) ? `${guess}${arg.slice(unknown.length)}` : arg));
  return `Unknown option ${unknown} for ${command.name}. Did you mean ${guess}? Run: ${name} ${[command.name, ...corrected].map(quoted(ctx)).join(" ")}`;
}

/** `args` without `flag` (and its value, when it takes one and it is not written `--flag=value`). */
function withoutFlag(args: readonly string[], flag: string, takesValue: boolean): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) {
      if (takesValue) i++;
    } else if (!args[i]!.startsWith(`${flag}=`)) {
      kept.push(args[i]!);
    }
  }
  return kept;
}
