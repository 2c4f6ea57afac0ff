import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { spawn } from "node:child_process";

/** Async, never spawnSync: the fixture answers from this same event loop. */
export function runCli(bin: string, env: NodeJS.ProcessEnv, args: string[], input = "", extraEnv: Record<string, string> = {}): Promise<CliRun> {
  return runProgram(process.execPath, [bin, ...args], { ...env, ...extraEnv }, input);
}

/** A command line a message printed, run through the shell as a user would paste it. */
export function runPrinted(commandLine: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  return runProgram("/bin/sh", ["-c", commandLine], env, "");
}

type CliRun = { code: number | null; stdout: string; stderr: string };

function runProgram(program: string, args: string[], env: NodeJS.ProcessEnv, input: string): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(program, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}


/**
 * serve connected to the SDK's client, started as an MCP client starts it: no token in its
 * environment, only the keychain of this sandbox. `stderr()` is what it logged so far.
 */
export async function connectServe(bin: string, name: string, extraEnv: Record<string, string> = {}): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? "",
      MEMORY_BRIDGE_CONFIG_DIR: process.env.MEMORY_BRIDGE_CONFIG_DIR ?? "",
      MEMORY_BRIDGE_LOG_LEVEL: "debug",
      ...extraEnv,
    },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}
