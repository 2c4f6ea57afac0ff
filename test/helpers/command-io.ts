import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { runCli } from "../../src/cli.js";
import type { CommandContext } from "../../src/commands/context.js";
import { fakeHost, type FakeHost } from "./fake-host.js";

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
  host: FakeHost;
}

/** A fresh temp directory to use as HOME. */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "bridge-home-"));
}

/** Runs the CLI in-process (argv parsing included) with an injected host and environment. */
export async function runCommand(argv: string[], options: { env?: Record<string, string>; host?: Parameters<typeof fakeHost>[0]; cwd?: string } = {}): Promise<CommandRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const host = fakeHost(options.host);
  const ctx: CommandContext = {
    argv,
    env: { ...options.env },
    cwd: options.cwd ?? host.home,
    stdin: Object.assign(new PassThrough(), { isTTY: false }),
    stdout,
    stderr,
    host,
  };
  const code = await runCli(ctx);
  return { code, stdout: out, stderr: err, host };
}
