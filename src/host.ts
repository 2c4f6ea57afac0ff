import { spawn } from "node:child_process";
import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { resolve } from "node:path";
import type { HostContext, ProcessResult } from "./commands/context.js";
import { findExecutable } from "./invocation/find-executable.js";

const MAX_OUTPUT_CHARS = 1024 * 1024;
const PROCESS_DEADLINE_MS = 60_000;

export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== "win32") accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function runProcess(command: string, args: readonly string[]): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    let stdout = "";
    let stderr = "";
    const keep = (soFar: string, chunk: string) => (soFar.length < MAX_OUTPUT_CHARS ? soFar + chunk : soFar);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout = keep(stdout, chunk)));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = keep(stderr, chunk)));
    const timer = setTimeout(() => child.kill("SIGKILL"), PROCESS_DEADLINE_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}` });
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The real machine, for main(); tests build their own HostContext. */
export function processHost(): HostContext {
  const scriptPath = resolve(process.argv[1] ?? "");
  let realScriptPath = scriptPath;
  try {
    realScriptPath = realpathSync(scriptPath);
  } catch {
    // keep what node was given
  }
  return {
    platform: process.platform,
    home: homedir(),
    tmpdir: tmpdir(),
    now: () => Date.now(),
    execPath: process.execPath,
    scriptPath,
    realScriptPath,
    findExecutable: (name) => findExecutable(name, { env: process.env, platform: process.platform, isExecutableFile }),
    runProcess,
  };
}
