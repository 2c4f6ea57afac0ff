/**
 * Child processes for the benchmark: every child is tracked so that it is killed when the
 * benchmark exits, whether it finished, failed or was interrupted.
 */
import { execFileSync, spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Readable } from "node:stream";

const children = new Set<ChildProcess>();

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Spawns `node <args>` with piped stdio and tracks it. stderr is kept (last 8 KiB) for error reports. */
export function spawnNode(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Child {
  const proc = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
  children.add(proc);
  proc.once("exit", () => children.delete(proc));
  // A failed spawn emits 'error' (and maybe no 'exit'); the caller sees it through waitExit/firstLine.
  proc.once("error", () => children.delete(proc));
  return new Child(proc);
}

export class Child {
  private stderrTail = "";

  constructor(readonly proc: ChildProcessWithoutNullStreams) {
    proc.stderr.setEncoding("utf8");
    proc.stderr.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-8192);
    });
    // Writes to a child that died are reported through its exit, not as an unhandled error.
    proc.stdin.on("error", () => undefined);
  }

  get pid(): number {
    if (this.proc.pid === undefined) throw new Error("child process has no pid (spawn failed)");
    return this.proc.pid;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  get alive(): boolean {
    return alive(this.proc);
  }

  /** Resolves true once the process has exited, false after `ms`. */
  waitExit(ms: number): Promise<boolean> {
    if (!this.alive) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.proc.off("exit", onExit);
        resolve(false);
      }, ms);
      const onExit = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.proc.once("exit", onExit);
    });
  }

  /** Closes stdin (the polite way to stop both the bridge and the fixture), then escalates. */
  async stop(graceMs = 3000): Promise<void> {
    if (!this.alive) return;
    this.proc.stdin.end();
    if (await this.waitExit(graceMs)) return;
    this.proc.kill("SIGTERM");
    if (await this.waitExit(1000)) return;
    this.proc.kill("SIGKILL");
    await this.waitExit(1000);
  }
}

/** Kills every child still running. Synchronous, so it is safe in an 'exit' handler. */
export function killAllChildren(): void {
  for (const child of children) {
    if (!alive(child)) continue;
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** The first line a stream prints, or an error after `ms` or when the stream ends first. */
export function firstLine(stream: Readable, ms: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const cleanup = () => {
      clearTimeout(timer);
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
    };
    const onData = (chunk: Buffer | string) => {
      buffered += typeof chunk === "string" ? chunk : chunk.toString("utf8");
      const nl = buffered.indexOf("\n");
      if (nl < 0) return;
      cleanup();
      resolve(buffered.slice(0, nl));
    };
    const onEnd = () => {
      cleanup();
      reject(new Error(`${what}: output ended before a line arrived`));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no line within ${ms} ms`));
    }, ms);
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.once("error", onError);
  });
}

/** Resident set size of a process in bytes: /proc/<pid>/status VmRSS on Linux, else `ps -o rss=`. */
export function rssBytes(pid: number): { bytes: number; source: string } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (match?.[1]) return { bytes: Number(match[1]) * 1024, source: "/proc/<pid>/status VmRSS" };
  } catch {
    // not Linux, or no procfs: fall through
  }
  const out = execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8", timeout: 5000 }).trim();
  const kb = Number(out);
  if (!Number.isFinite(kb) || kb <= 0) throw new Error(`could not read the RSS of pid ${pid} (ps printed "${out}")`);
  return { bytes: kb * 1024, source: "ps -o rss=" };
}

let clockTicks: number | undefined;

/** CPU time (user + system) a process has used so far, in milliseconds; undefined where /proc is missing. */
export function cpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8", timeout: 2000 }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return Number.isFinite(ticks) ? (ticks * 1000) / clockTicks : undefined;
}
