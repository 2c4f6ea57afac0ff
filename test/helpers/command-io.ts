import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { runCli, runCommand as runOneCommand } from "../../src/cli.js";
import type { CommandContext } from "../../src/commands/context.js";
import type { CommandSpec } from "../../src/commands/registry.js";
import { loadHttpClient } from "../../src/http/load-client.js";
import { fakeHost, type FakeHost } from "./fake-host.js";
import { fakeKeychain, type FakeKeychain } from "./fake-keychain.js";

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
  host: FakeHost;
}

export interface CommandOptions {
  env?: Record<string, string>;
  host?: Parameters<typeof fakeHost>[0];
  cwd?: string;
  /** The keychain the command sees (default: an empty one in memory). */
  keychain?: FakeKeychain;
  /** Standard input, ended after this text (default: empty). */
  input?: string;
  /** Standard input is a terminal. */
  tty?: boolean;
  /** The stdin stream itself, for a command that reads it over time (serve). */
  stdin?: NodeJS.ReadableStream;
  /** Called with stdout as it is written (serve's replies). */
  onStdout?: (chunk: string) => void;
  /** Stands in for discovery (default: the real one, which MEMORY_BRIDGE_DISCOVERY=0 keeps serve and status from running). */
  discover?: CommandContext["discover"];
}

/** A fresh temp directory to use as HOME. */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "bridge-home-"));
}

function context(argv: string[], options: CommandOptions) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const output = { stdout: "", stderr: "" };
  stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output.stdout += chunk;
    options.onStdout?.(chunk);
  });
  stderr.setEncoding("utf8").on("data", (chunk: string) => (output.stderr += chunk));
  const host = fakeHost(options.host);
  let stdin = options.stdin;
  if (stdin === undefined) {
    const input = new PassThrough();
    input.end(options.input ?? "");
    stdin = input;
  }
  const ctx: CommandContext = {
    argv,
    // No discovery unless a test asks: it would probe this machine's ports and send mDNS on its interfaces.
    env: { MEMORY_BRIDGE_DISCOVERY: "0", ...options.env },
    cwd: options.cwd ?? host.home,
    stdin: Object.assign(stdin, { isTTY: options.tty ?? false }),
    stdout,
    stderr,
    host,
    keychain: (options.keychain ?? fakeKeychain()).open,
    http: loadHttpClient,
    ...(options.discover && { discover: options.discover }),
  };
  return { ctx, output, host };
}

/** Runs the CLI in-process (argv parsing included) with an injected host and environment. */
export async function runCommand(argv: string[], options: CommandOptions = {}): Promise<CommandRun> {
  const { ctx, output, host } = context(argv, options);
  const code = await runCli(ctx);
  return { code, ...output, host };
}

/** Calls one command directly (its own and the global options parsed as cli.ts does), in-process. */
export async function runDirect(command: CommandSpec, args: string[], options: CommandOptions = {}): Promise<CommandRun> {
  const { ctx, output, host } = context([command.name, ...args], options);
  const code = await runOneCommand(command, ctx, args);
  return { code, ...output, host };
}

/** A fresh HOME with the bridge's config directory in it, and the environment that points there. */
export function tempMachine(): { home: string; configDir: string; env: Record<string, string> } {
  const home = tempHome();
  const configDir = join(home, "config");
  return { home, configDir, env: { MEMORY_BRIDGE_CONFIG_DIR: configDir } };
}

/** The platforms every command is tested on, by injection. */
export const PLATFORMS = ["linux", "darwin", "win32"] as const;
