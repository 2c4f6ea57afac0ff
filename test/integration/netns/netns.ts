/**
 * A throwaway Linux network namespace holding only `lo`, with multicast on and a 224.0.0.0/4 route,
 * so real mDNS runs between processes inside it and never reaches the machine's interfaces.
 * Processes run in it through `ip netns exec`; close() ends them (by pid) and deletes it.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";

export const INSTALL_HINT = "install iproute2 (apt-get install iproute2) and run as root";

export type NetnsSupport = { ok: true } | { ok: false; reason: string };

/** Whether namespaces can be made here: tries to make (and delete) one. */
export function netnsSupport(): NetnsSupport {
  if (process.platform !== "linux") return { ok: false, reason: "network namespaces exist only on Linux" };
  if (process.getuid?.() !== 0) return { ok: false, reason: `making a network namespace needs root; ${INSTALL_HINT}` };
  try {
    execFileSync("ip", ["-V"], { stdio: "ignore" });
  } catch {
    return { ok: false, reason: `the ip command is missing; ${INSTALL_HINT}` };
  }
  const name = uniqueName();
  try {
    execFileSync("ip", ["netns", "add", name], { stdio: "pipe" });
    execFileSync("ip", ["netns", "del", name], { stdio: "pipe" });
  } catch (error) {
    return { ok: false, reason: `ip netns add failed (${String((error as { stderr?: unknown }).stderr ?? error).trim()})` };
  }
  return { ok: true };
}

function uniqueName(): string {
  return `mmb-test-${process.pid}-${randomBytes(4).toString("hex")}`;
}

export interface NetnsProcess {
  /** Resolves with the JSON after `prefix` on the first stdout line that starts with it. */
  line(prefix: string, timeoutMs: number): Promise<unknown>;
  stderr(): string;
}

export class Netns {
  private readonly children: ChildProcessWithoutNullStreams[] = [];

  private constructor(readonly name: string) {}

  static create(): Netns {
    const ns = new Netns(uniqueName());
    execFileSync("ip", ["netns", "add", ns.name]);
    try {
      for (const args of [
        ["link", "set", "lo", "up"],
        ["link", "set", "lo", "multicast", "on"],
        ["route", "add", "224.0.0.0/4", "dev", "lo"],
      ]) {
        execFileSync("ip", ["-n", ns.name, ...args]);
      }
    } catch (error) {
      execFileSync("ip", ["netns", "del", ns.name]);
      throw error;
    }
    return ns;
  }

  /** `node --import tsx <script> <json>` inside the namespace, from the repository root. */
  runNode(script: string, spec: unknown): NetnsProcess {
    const child = spawn("ip", ["netns", "exec", this.name, process.execPath, "--import", "tsx", resolve(script), JSON.stringify(spec)], {
      cwd: resolve("."),
      env: process.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-20_000)));
    return {
      stderr: () => stderr,
      line: (prefix, timeoutMs) =>
        new Promise((done, fail) => {
          const check = () => {
            const found = stdout.split("\n").find((l) => l.startsWith(`${prefix} `));
            if (found === undefined) return false;
            cleanup();
            done(JSON.parse(found.slice(prefix.length + 1)));
            return true;
          };
          const onExit = (code: number | null) => {
            if (check()) return;
            cleanup();
            fail(new Error(`${script} exited (${code}) before printing ${prefix}:\n${stderr.slice(-4000)}`));
          };
          const timer = setTimeout(() => {
            cleanup();
            fail(new Error(`${script} printed no ${prefix} within ${timeoutMs} ms:\n${stderr.slice(-4000)}`));
          }, timeoutMs);
          const cleanup = () => {
            clearTimeout(timer);
            child.stdout.off("data", check);
            child.off("exit", onExit);
          };
          child.stdout.on("data", check);
          child.on("exit", onExit);
          check();
        }),
    };
  }

  /** Ends the processes it started (closing stdin first, then SIGKILL after a grace period), then deletes the namespace. */
  async close(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
            child.once("exit", () => {
              clearTimeout(timer);
              done();
            });
            child.stdin.end();
            child.kill("SIGTERM");
          }),
      ),
    );
    execFileSync("ip", ["netns", "del", this.name]);
  }
}
