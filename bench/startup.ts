/**
 * Start-up timing (spawn → `initialize` answered) and the package as a user gets it: `npm pack` in a
 * fresh copy of the tracked sources (prepack builds dist/ in release mode), unpacked into
 * node_modules/mcp-memory-bridge of a temporary folder as npm installs a package without
 * dependencies. The optional keychain modules are not installed: the benchmark gives the token in
 * MEMORY_BRIDGE_TOKEN, and nothing is fetched from a registry.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { firstLine, rssBytes, spawnNode } from "./processes.js";
import { BenchFailure, PROTOCOL_VERSION } from "./rpc.js";

const run = promisify(execFile);

const INITIALIZE_LINE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "bench", version: "1.0.0" } },
})}\n`;
const ANSWER = JSON.stringify(`${JSON.stringify({ jsonrpc: "2.0", id: 0, result: {} })}\n`);
/** The Node start-up floor: a process that answers one stdin line, then exits when stdin ends. */
export const BARE_NODE_ARGS = ["-e", `process.stdin.once("data",()=>process.stdout.write(${ANSWER}))`];

export interface SpawnKind {
  key: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  expectServerInfo: boolean;
}

/** Spawns one process, writes `initialize`, and times the first line it answers; then stops it. */
export async function timeSpawn(kind: SpawnKind, cwd: string): Promise<{ ms: number; rss: number }> {
  const started = performance.now();
  const child = spawnNode(kind.args, { cwd, env: kind.env });
  child.proc.stdin.write(INITIALIZE_LINE);
  let line: string;
  try {
    line = await firstLine(child.proc.stdout, 10_000, `${kind.key} start-up`);
  } catch (error) {
    await child.stop(500);
    throw new BenchFailure(`${(error as Error).message}\n${child.stderr}`);
  }
  const elapsed = performance.now() - started;
  const answer = JSON.parse(line) as { id?: unknown; result?: { serverInfo?: unknown } };
  if (answer.id !== 0 || (kind.expectServerInfo && !answer.result?.serverInfo)) {
    await child.stop(500);
    throw new BenchFailure(`${kind.key}: unexpected initialize answer: ${line.slice(0, 300)}`);
  }
  let rss = Number.NaN;
  try {
    rss = rssBytes(child.pid).bytes;
  } catch {
    // exited already (bare node exits as soon as it has answered)
  }
  await child.stop(3000);
  return { ms: elapsed, rss };
}

/**
 * Packs the sources the way `npm publish` would and unpacks the tarball into `into`; returns the
 * installed bin's path. Bounded: each step has a timeout.
 */
export async function installPackedTarball(root: string, into: string): Promise<string> {
  const clone = mkdtempSync(join(tmpdir(), "mcp-memory-bridge-bench-clone-"));
  try {
    const { stdout: listed } = await run("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    for (const file of listed.split("\0").filter(Boolean)) {
      if (!existsSync(join(root, file))) continue; // deleted in the work tree
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      cpSync(join(root, file), join(clone, file));
    }
    symlinkSync(join(root, "node_modules"), join(clone, "node_modules"));
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) && key !== "INIT_CWD") env[key] = value;
    const npm = join(dirname(process.execPath), "npm");
    const { stdout } = await run(existsSync(npm) ? npm : "npm", ["pack", "--json", "--pack-destination", into], {
      cwd: clone,
      env: { ...env, npm_config_update_notifier: "false" },
      timeout: 120_000,
    });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf("["))) as [{ filename: string }];
    const target = join(into, "node_modules", "mcp-memory-bridge");
    mkdirSync(target, { recursive: true });
    await run("tar", ["-xzf", join(into, packed.filename), "-C", target, "--strip-components=1"], { timeout: 60_000 });
    const bin = join(target, "bin", "mcp-memory-bridge.js");
    if (!existsSync(bin)) throw new BenchFailure(`the packed tarball has no bin/mcp-memory-bridge.js`);
    return bin;
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
}
