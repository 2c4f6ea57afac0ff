import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN } from "./harness.js";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI once, with a clean environment: a temp HOME and config dir, and a D-Bus
 * address that leads nowhere so no test can reach the real user's keychain.
 */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliRun> {
  return runIsolated(process.execPath, [BIN, ...args], options);
}

/**
 * Runs a command line a message printed, through the shell, exactly as a user would paste it
 * (same clean environment as runCli): a suggestion that does not run as printed fails here.
 */
export function runPrinted(commandLine: string, options: RunOptions = {}): Promise<CliRun> {
  return runIsolated("/bin/sh", ["-c", commandLine], options);
}

interface RunOptions {
  env?: Record<string, string>;
  input?: string;
  cwd?: string;
}

function runIsolated(program: string, args: string[], options: RunOptions): Promise<CliRun> {
  const home = mkdtempSync(join(tmpdir(), "bridge-cli-home-"));
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    MEMORY_BRIDGE_CONFIG_DIR: join(home, "config"),
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, "no-bus")}`,
    // No discovery unless a test asks: it would probe this machine's ports and send mDNS on its interfaces.
    MEMORY_BRIDGE_DISCOVERY: "0",
    ...options.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, cwd: options.cwd ?? home, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}
