/**
 * Start-up and memory probe (by hand, not a test; `npm run bench` is the official table):
 *
 *   node bench/startup-probe.mjs [--runs N] [--bin path/to/bin.js] [--detect]
 *
 * Spawns, alternating, a bare `node -e` that answers one stdin line and the bridge's bin, and times
 * spawn → first stdout line (the `initialize` answer). For the bridge it then sends
 * notifications/initialized and tools/list (timed from spawn too), and one search_memories call (5 results of 200 characters) against the
 * mcp-memory-service fixture on 127.0.0.1, and reads VmRSS after the answer. Prints medians.
 * Every child is stopped before the next one starts; every wait is bounded.
 *
 * The runs share one config dir, so after the first the backend detected for the endpoint comes
 * from the discovery cache (for a day). --detect empties the dir before each bridge run, so each
 * one detects the backend (a first start, or a resident bridge a day later) and its RSS includes
 * what detection loads.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "20" }, bin: { type: "string" }, detect: { type: "boolean", default: false } } });
const RUNS = Math.min(500, Math.max(1, Number(values.runs)));
const ROOT = resolve(new URL("..", import.meta.url).pathname);
const BIN = resolve(values.bin ?? join(ROOT, "bin", "mcp-memory-bridge.js"));
const FIXTURE_MAIN = join(ROOT, "test", "fixtures", "memory-service", "main.ts");

const INITIALIZE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "probe", version: "1.0.0" } },
})}\n`;
const ANSWER = JSON.stringify(`${JSON.stringify({ jsonrpc: "2.0", id: 0, result: {} })}\n`);
const FLOOR = ["-e", `process.stdin.once("data",()=>process.stdout.write(${ANSWER}))`];

function lines(child) {
  const queue = [];
  const waiting = [];
  createInterface({ input: child.stdout }).on("line", (line) => (waiting.length > 0 ? waiting.shift()(line) : queue.push(line)));
  return (ms) =>
    queue.length > 0
      ? Promise.resolve(queue.shift())
      : new Promise((done, fail) => {
          const timer = setTimeout(() => fail(new Error(`no line within ${ms} ms`)), ms);
          waiting.push((line) => {
            clearTimeout(timer);
            done(line);
          });
        });
}

function rssMb(pid) {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return kb ? Number(kb[1]) / 1024 : Number.NaN;
}

function stop(child) {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    child.stdin.end();
  });
}

async function startFixture() {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE_MAIN, "--port", "0"], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
  const next = lines(child);
  const info = JSON.parse(await next(20_000));
  const headers = { "content-type": "application/json", authorization: `Bearer ${info.token}` };
  for (let i = 0; i < 5; i++) {
    const content = `Probe memory ${i}: ${"the team settled the question and wrote down why. ".repeat(4)}`.slice(0, 200);
    const res = await fetch(`${info.url.replace(/\/+$/, "")}/memories`, { method: "POST", headers, body: JSON.stringify({ content, tags: ["probe"], conversation_id: "probe" }) });
    if (!res.ok) throw new Error(`seeding answered ${res.status}`);
  }
  return { child, ...info };
}

async function timeOne(kind, fixture, configDir) {
  if (values.detect && kind === "bridge") {
    rmSync(configDir, { recursive: true, force: true });
    mkdirSync(configDir);
  }
  const env =
    kind === "floor"
      ? { PATH: process.env.PATH }
      : {
          PATH: process.env.PATH,
          HOME: configDir,
          MEMORY_BRIDGE_CONFIG_DIR: configDir,
          XDG_RUNTIME_DIR: configDir,
          MEMORY_BRIDGE_ENDPOINT: fixture.url,
          MEMORY_BRIDGE_TOKEN: fixture.token,
          MEMORY_BRIDGE_PROJECT_MODE: "global",
        };
  const started = performance.now();
  const child = spawn(process.execPath, kind === "floor" ? FLOOR : [BIN], { cwd: configDir, env, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdin.on("error", () => undefined);
  const next = lines(child);
  child.stdin.write(INITIALIZE);
  const first = await next(10_000).catch((error) => {
    throw new Error(`${kind}: ${error.message}\n${stderr}`);
  });
  const ms = performance.now() - started;
  if (JSON.parse(first).id !== 0) throw new Error(`${kind}: unexpected answer ${first}`);
  const out = { ms };
  if (kind === "bridge") {
    out.rssInit = rssMb(child.pid);
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" })}\n`);
    const listed = JSON.parse(await next(10_000));
    if (listed.id !== 2 || !Array.isArray(listed.result?.tools)) throw new Error(`tools/list failed: ${JSON.stringify(listed).slice(0, 400)}\n${stderr}`);
    out.listMs = performance.now() - started;
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "search_memories", arguments: { query: "what did the team settle", limit: 5 } } })}\n`);
    const answer = JSON.parse(await next(10_000));
    if (answer.id !== 1 || answer.result?.isError) throw new Error(`tool call failed: ${JSON.stringify(answer).slice(0, 400)}\n${stderr}`);
    out.rssCall = rssMb(child.pid);
  }
  await stop(child);
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const fixture = await startFixture();
const configDir = mkdtempSync(join(tmpdir(), "startup-probe-"));
const results = { floor: [], bridge: [] };
try {
  await timeOne("bridge", fixture, configDir); // warm the page cache
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? ["floor", "bridge"] : ["bridge", "floor"];
    for (const kind of order) results[kind].push(await timeOne(kind, fixture, configDir));
  }
} finally {
  await stop(fixture.child);
  rmSync(configDir, { recursive: true, force: true });
}
const floorMs = median(results.floor.map((r) => r.ms));
const bridgeMs = median(results.bridge.map((r) => r.ms));
const f = (n) => n.toFixed(1);
console.log(`node ${process.version}, ${RUNS} runs each, bin ${BIN}${values.detect ? ", detecting every run" : ""}`);
console.log(`spawn → initialize: bare node ${f(floorMs)} ms, bridge ${f(bridgeMs)} ms, ratio ${(bridgeMs / floorMs).toFixed(2)}`);
console.log(`spawn → tools/list answered: bridge ${f(median(results.bridge.map((r) => r.listMs)))} ms`);
console.log(`RSS after initialize ${f(median(results.bridge.map((r) => r.rssInit)))} MB, after one search_memories ${f(median(results.bridge.map((r) => r.rssCall)))} MB`);
