/**
 * Benchmark of mcp-memory-bridge: `npm run bench` (builds first), or BENCH_QUICK=1 for a smoke run.
 *
 * Spawns the fixture mcp-memory-service (its own process, 127.0.0.1, no added latency) and the
 * built bridge (`node bin/mcp-memory-bridge.js`, project mode global), then measures
 *   1. per-call latency at concurrency 1 through the bridge vs the same GET made directly with undici,
 *   2. throughput at concurrency 1/16/64, bridge vs direct,
 *   3. spawn → initialize response, vs a bare `node -e` that answers one line,
 *   4. the bridge's RSS after 5 000 and 10 000 calls,
 * and prints one table with each target next to its measured value. It is a report, not a test:
 * it exits 0 when a target is missed, and non-zero only when the benchmark itself failed.
 *
 * Sections 1, 2 and 4 also run bench/relay-floor.mjs, a minimal stdio → HTTP relay without the MCP
 * SDK, to separate the cost of the stdio hop itself from the cost of the bridge's own code.
 * Only 127.0.0.1 is used; every loop is bounded in calls and time; children die with the process.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Pool } from "undici";
import { concat, median, percentile, runLoad, sleep } from "./load.js";
import { cpuMs, firstLine, killAllChildren, rssBytes, spawnNode, type Child } from "./processes.js";
import { BenchFailure, PROTOCOL_VERSION, StdioRpcClient } from "./rpc.js";

// ---- parameters ---------------------------------------------------------------------------------

const QUICK = process.env.BENCH_QUICK === "1";
const P = QUICK
  ? {
      latencyWarmup: 50,
      latencyCalls: 300,
      latencyBlocks: 3,
      throughputCalls: 300,
      throughputLevels: [1, 16, 64],
      spawnRuns: 5,
      rssCheckpoints: [250, 500],
      loadTimeCapMs: 5_000,
      overallCapMs: 60_000,
    }
  : {
      latencyWarmup: 1_000,
      latencyCalls: 5_000,
      latencyBlocks: 10,
      throughputCalls: 3_000,
      throughputLevels: [1, 16, 64],
      spawnRuns: 15,
      rssCheckpoints: [5_000, 10_000],
      loadTimeCapMs: 20_000,
      overallCapMs: 240_000,
    };
const RSS_CONCURRENCY = 16;
const SEED_COUNT = 50;

const TARGET = {
  overheadP50Ms: 0.3,
  throughputRatioC16: 0.4,
  spawnMedianMs: 120,
  rssMaxBytes: 80 * 1024 * 1024,
  /** "No growth" between the two RSS checkpoints, allowing for allocator/GC noise. */
  rssGrowthToleranceBytes: 2 * 1024 * 1024,
};

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "mcp-memory-bridge.js");
const CLI = join(ROOT, "dist", "cli.js");
const RELAY = join(ROOT, "bench", "relay-floor.mjs");
const FIXTURE_MAIN = join(ROOT, "test", "fixtures", "memory-service", "main.ts");

// ---- cleanup: children die with the benchmark, however it ends ------------------------------------

const tempDirs: string[] = [];
process.on("exit", () => {
  killAllChildren();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping\n`);
    process.exit(130);
  });
}
const watchdog = setTimeout(() => {
  process.stderr.write(`bench: FAILED: the whole run took longer than ${P.overallCapMs / 1000} s\n`);
  process.exit(1);
}, P.overallCapMs);
watchdog.unref();

// ---- helpers ----------------------------------------------------------------------------------

const ms = (v: number, digits = 3) => `${v.toFixed(digits)} ms`;
const signedMs = (v: number, digits = 3) => `${v >= 0 ? "+" : "−"}${ms(Math.abs(v), digits)}`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rate = (v: number) => `${Math.round(v).toLocaleString("en-US")}/s`;
const int = (v: number) => v.toLocaleString("en-US");
const throughputOf = (r: { completed: number; elapsedMs: number }) => (r.completed / r.elapsedMs) * 1000;
const cpuOf = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
  else process.stderr.write(`${text}\n`);
}

interface Row {
  section: string;
  name: string;
  measured: string;
  floor: string;
  delta: string;
  target: string;
  ok?: boolean;
}

function renderTable(rows: Row[]): string {
  const headers: Row = { section: "#", name: "measurement", measured: "measured", floor: "floor", delta: "vs floor", target: "target" };
  const keys = ["section", "name", "measured", "floor", "delta", "target"] as const;
  const widths = keys.map((k) => Math.max(headers[k].length, ...rows.map((r) => r[k].length)));
  const right = new Set(["measured", "floor", "delta"]);
  const line = (r: Row, mark: string) =>
    keys.map((k, i) => (right.has(k) ? r[k].padStart(widths[i] ?? 0) : r[k].padEnd(widths[i] ?? 0))).join("  ") + `  ${mark}`;
  const rule = "─".repeat(widths.reduce((a, b) => a + b + 2, 0) + 1);
  const out = [line(headers, "").trimEnd(), rule];
  let last = "";
  for (const r of rows) {
    if (last !== "" && r.section !== last) out.push("");
    last = r.section;
    out.push(line(r, r.ok === undefined ? "" : r.ok ? "✓" : "✗").trimEnd());
  }
  return out.join("\n");
}

// ---- the fixture and the bridge ---------------------------------------------------------------------

interface Fixture {
  child: Child;
  url: string;
  origin: string;
  basePath: string;
  token: string;
}

async function startFixture(): Promise<Fixture> {
  const child = spawnNode(["--import", "tsx", FIXTURE_MAIN, "--port", "0"], { cwd: ROOT, env: { ...process.env } });
  let line: string;
  try {
    line = await firstLine(child.proc.stdout, 20_000, "fixture");
  } catch (error) {
    throw new BenchFailure(`the fixture did not start: ${(error as Error).message}\n${child.stderr}`);
  }
  const info = JSON.parse(line) as { url?: unknown; token?: unknown };
  if (typeof info.url !== "string" || typeof info.token !== "string") throw new BenchFailure(`unexpected fixture banner: ${line}`);
  const url = new URL(info.url);
  if (url.hostname !== "127.0.0.1") throw new BenchFailure(`the fixture is not on 127.0.0.1: ${info.url}`);
  return { child, url: info.url, origin: url.origin, basePath: url.pathname.replace(/\/+$/, ""), token: info.token };
}

function bridgeEnv(fixture: Fixture, configDir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    HOME: configDir,
    MEMORY_BRIDGE_ENDPOINT: fixture.url,
    MEMORY_BRIDGE_TOKEN: fixture.token,
    MEMORY_BRIDGE_CONFIG_DIR: configDir,
    MEMORY_BRIDGE_PROJECT_MODE: "global",
  };
}

/** Spawns an MCP server over stdio (the bridge, or the minimal relay) and initializes it. */
async function startBridge(args: string[], env: NodeJS.ProcessEnv, cwd: string, label: string): Promise<{ child: Child; client: StdioRpcClient }> {
  const child = spawnNode(args, { cwd, env });
  const client = new StdioRpcClient(child, label);
  await client.initialize();
  return { child, client };
}

/** The request the bridge makes for get_memory, made directly: same pool type, headers, path, JSON parse. */
function directGetter(fixture: Fixture, pool: Pool, id: string): () => Promise<unknown> {
  const path = `${fixture.basePath}/memories/${encodeURIComponent(id)}`;
  const headers = { accept: "application/json", "user-agent": "mcp-memory-bridge", authorization: `Bearer ${fixture.token}` };
  return async () => {
    const res = await pool.request({ method: "GET", path, headers });
    const body = (await res.body.json()) as { content_hash?: unknown };
    if (res.statusCode !== 200 || body.content_hash !== id) throw new BenchFailure(`direct GET ${path} answered ${res.statusCode}`);
    return body;
  };
}

async function seed(fixture: Fixture, pool: Pool, count: number): Promise<string[]> {
  const headers = { "content-type": "application/json", authorization: `Bearer ${fixture.token}` };
  const topics = ["http", "decision", "preference", "testing", "release"];
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const topic = topics[i % topics.length] ?? "note";
    const body = JSON.stringify({
      content: `Benchmark memory ${i}: the team settled the ${topic} question on day ${i} and wrote down why, so later conversations can find it.`,
      tags: ["bench", topic],
      memory_type: "note",
      // As the bridge does: these texts are near-identical, and the server's semantic dedup would turn most away.
      conversation_id: "bench-seed",
    });
    const res = await pool.request({ method: "POST", path: `${fixture.basePath}/memories`, headers, body });
    const answer = (await res.body.json()) as { success?: unknown; content_hash?: unknown };
    if (res.statusCode !== 200 || answer.success !== true || typeof answer.content_hash !== "string") {
      throw new BenchFailure(`seeding failed: ${res.statusCode} ${JSON.stringify(answer)}`);
    }
    ids.push(answer.content_hash);
  }
  return ids;
}

// ---- start-up timing ----------------------------------------------------------------------------------

const INITIALIZE_LINE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "bench", version: "1.0.0" } },
})}\n`;
const ANSWER = JSON.stringify(`${JSON.stringify({ jsonrpc: "2.0", id: 0, result: {} })}\n`);
/** The Node start-up floor: a process that answers one stdin line, then exits when stdin ends. */
const FLOOR_ARGS = ["-e", `process.stdin.once("data",()=>process.stdout.write(${ANSWER}))`];
/**
 * Node start-up + loading the code serve runs (module evaluation), without running it: the entry
 * and the serve command's chunk, which the entry loads on demand.
 */
function serveChunk(): string {
  const chunks = join(ROOT, "dist", "chunks");
  const file = readdirSync(chunks).find((name) => /^serve-command-.*\.js$/.test(name));
  if (!file) throw new Error(`no serve-command chunk in ${chunks}: run npm run build`);
  return join(chunks, file);
}
const IMPORT_ARGS = [
  "--input-type=module",
  "-e",
  `await import(${JSON.stringify(pathToFileURL(CLI).href)});await import(${JSON.stringify(pathToFileURL(serveChunk()).href)});process.stdin.once("data",()=>process.stdout.write(${ANSWER}))`,
];

interface SpawnKind {
  key: "floor" | "import" | "bridge";
  args: string[];
  env: NodeJS.ProcessEnv;
  expectServerInfo: boolean;
}

async function timeSpawn(kind: SpawnKind, cwd: string): Promise<{ ms: number; rss: number }> {
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
    // exited already (the floor exits as soon as it has answered)
  }
  await child.stop(3000);
  return { ms: elapsed, rss };
}

// ---- main -------------------------------------------------------------------------------------------

/** One way of making the get_memory call: directly, through the minimal relay, or through the bridge. */
interface Way {
  call: () => Promise<unknown>;
  /** CPU time used so far by whoever does the work (the bench process for direct), in ms. */
  cpu: () => number;
}

function selfCpu(): number {
  return cpuOf(process.cpuUsage());
}

function childCpu(child: Child): () => number {
  return () => cpuMs(child.pid) ?? Number.NaN;
}

interface Measured {
  completed: number;
  elapsedMs: number;
  capped: boolean;
  cpuMs: number;
  /** CPU the bench process spent on these calls (its JSON-RPC client, for relay and bridge). */
  clientCpuMs: number;
}

const sumOf = (rs: Measured[]): Measured => ({
  completed: rs.reduce((n, r) => n + r.completed, 0),
  elapsedMs: rs.reduce((n, r) => n + r.elapsedMs, 0),
  capped: rs.some((r) => r.capped),
  cpuMs: rs.reduce((n, r) => n + r.cpuMs, 0),
  clientCpuMs: rs.reduce((n, r) => n + r.clientCpuMs, 0),
});

async function measure(way: Way, calls: number, concurrency: number, timeCapMs: number): Promise<Measured & { latencies: Float64Array }> {
  const cpu0 = way.cpu();
  const self0 = selfCpu();
  const r = await runLoad(way.call, { calls, concurrency, timeCapMs });
  return { ...r, cpuMs: way.cpu() - cpu0, clientCpuMs: selfCpu() - self0 };
}

const perCallUs = (cpuTotalMs: number, calls: number) => (Number.isFinite(cpuTotalMs) && calls > 0 ? `${Math.round((cpuTotalMs * 1000) / calls)} µs` : "n/a");

/** Calls through a fresh process, reading its RSS at each checkpoint (cumulative call counts). */
async function rssAfterCalls(call: () => Promise<unknown>, pid: number, checkpoints: number[]): Promise<{ calls: number; bytes: number }[]> {
  const out: { calls: number; bytes: number }[] = [];
  let done = 0;
  for (const checkpoint of checkpoints) {
    const r = await runLoad(call, { calls: checkpoint - done, concurrency: RSS_CONCURRENCY, timeCapMs: P.loadTimeCapMs * 2 });
    done += r.completed;
    await sleep(200);
    out.push({ calls: done, bytes: rssBytes(pid).bytes });
  }
  return out;
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new BenchFailure(`${CLI} is missing: run \`npm run bench\` (it builds first) or \`npm run build\``);
  const startedAt = new Date();
  const loadBefore = loadavg()[0] ?? 0;
  const rows: Row[] = [];
  const notes: string[] = [];

  const configDir = mkdtempSync(join(tmpdir(), "mcp-memory-bridge-bench-"));
  tempDirs.push(configDir);

  progress("starting the fixture…");
  const fixture = await startFixture();
  // Like the bridge's own pool: one keep-alive undici Pool for the origin, unlimited connections.
  const pool = new Pool(fixture.origin, { connect: { timeout: 3000 } });
  const env = bridgeEnv(fixture, configDir);

  try {
    const ids = await seed(fixture, pool, SEED_COUNT);
    const id = ids[0] as string;

    progress("starting the bridge and the minimal relay…");
    const bridge = await startBridge([BIN], env, configDir, "the bridge");
    const relay = await startBridge([RELAY], env, configDir, "the minimal relay");
    const ways = {
      direct: { call: directGetter(fixture, pool, id), cpu: selfCpu },
      relay: { call: () => relay.client.callTool("get_memory", { id }), cpu: childCpu(relay.child) },
      bridge: { call: () => bridge.client.callTool("get_memory", { id }), cpu: childCpu(bridge.child) },
    } satisfies Record<string, Way>;
    for (const [name, client] of [["bridge", bridge.client], ["relay", relay.client]] as const) {
      const first = await client.callTool("get_memory", { id });
      const memory = first.structuredContent?.memory as { id?: unknown } | undefined;
      if (memory?.id !== id) throw new BenchFailure(`${name}: get_memory answered another memory: ${JSON.stringify(first.structuredContent)}`);
    }
    const order = ["direct", "relay", "bridge"] as const;

    // 1. latency at concurrency 1, the three ways in alternating blocks so all see the same background load.
    progress("latency at concurrency 1…");
    for (const key of order) await runLoad(ways[key].call, { calls: P.latencyWarmup, concurrency: 1, timeCapMs: P.loadTimeCapMs });
    const perBlock = Math.ceil(P.latencyCalls / P.latencyBlocks);
    const lat = { direct: [] as Float64Array[], relay: [] as Float64Array[], bridge: [] as Float64Array[] };
    for (let b = 0; b < P.latencyBlocks; b++) {
      for (const key of order) {
        const r = await runLoad(ways[key].call, { calls: perBlock, concurrency: 1, timeCapMs: P.loadTimeCapMs / P.latencyBlocks });
        lat[key].push(r.latencies);
      }
    }
    const bl = concat(lat.bridge);
    const dl = concat(lat.direct);
    const rl = concat(lat.relay);
    const overhead = median(bl) - median(dl);
    const capNote = (n: number, planned: number) => (n < planned ? ` (time cap: ${int(n)} done)` : "");
    rows.push(
      {
        section: "1",
        name: `get_memory latency p50, c=1, ${int(bl.length)} calls${capNote(bl.length, perBlock * P.latencyBlocks)}`,
        measured: ms(median(bl)),
        floor: ms(median(dl)),
        delta: signedMs(overhead),
        target: `overhead ≤ ${TARGET.overheadP50Ms} ms`,
        ok: overhead <= TARGET.overheadP50Ms,
      },
      {
        section: "1",
        name: "get_memory latency p99, c=1",
        measured: ms(percentile(bl, 99)),
        floor: ms(percentile(dl, 99)),
        delta: signedMs(percentile(bl, 99) - percentile(dl, 99)),
        target: "",
      },
      {
        section: "1",
        name: "  minimal stdio relay (no SDK) p50, c=1",
        measured: ms(median(rl)),
        floor: ms(median(dl)),
        delta: signedMs(median(rl) - median(dl)),
        target: "",
      },
      {
        section: "1",
        name: "  minimal stdio relay (no SDK) p99, c=1",
        measured: ms(percentile(rl, 99)),
        floor: ms(percentile(dl, 99)),
        delta: signedMs(percentile(rl, 99) - percentile(dl, 99)),
        target: "",
      },
    );

    // 2. throughput at each concurrency; two alternating rounds per way.
    const cpuNotes: string[] = [];
    for (const concurrency of P.throughputLevels) {
      progress(`throughput at concurrency ${concurrency}…`);
      for (const key of order) await runLoad(ways[key].call, { calls: concurrency * 4, concurrency, timeCapMs: P.loadTimeCapMs });
      const half = Math.ceil(P.throughputCalls / 2);
      const runs = { direct: [] as Measured[], relay: [] as Measured[], bridge: [] as Measured[] };
      for (let round = 0; round < 2; round++) {
        for (const key of order) runs[key].push(await measure(ways[key], half, concurrency, P.loadTimeCapMs / 2));
      }
      const d = sumOf(runs.direct);
      const r = sumOf(runs.relay);
      const b = sumOf(runs.bridge);
      const ratio = throughputOf(b) / throughputOf(d);
      const capped = d.capped || b.capped ? ` (time cap: ${int(b.completed)}/${int(d.completed)} done)` : "";
      rows.push({
        section: "2",
        name: `throughput c=${concurrency}, ${int(half * 2)} calls each${capped}`,
        measured: rate(throughputOf(b)),
        floor: rate(throughputOf(d)),
        delta: `${(ratio * 100).toFixed(0)} % of direct`,
        target: concurrency === 16 ? `≥ ${TARGET.throughputRatioC16 * 100} % of direct` : "",
        ...(concurrency === 16 && { ok: ratio >= TARGET.throughputRatioC16 }),
      });
      if (concurrency === 16) {
        rows.push(
          {
            section: "2",
            name: "  minimal stdio relay (no SDK), c=16",
            measured: rate(throughputOf(r)),
            floor: rate(throughputOf(d)),
            delta: `${((throughputOf(r) / throughputOf(d)) * 100).toFixed(0)} % of direct`,
            target: "",
          },
          {
            section: "2",
            name: "  CPU per call, c=16: bridge process | bench process",
            measured: perCallUs(b.cpuMs, b.completed),
            floor: perCallUs(d.cpuMs, d.completed),
            delta: "",
            target: "",
          },
        );
        cpuNotes.push(
          `CPU per call at c=16 — bridge ${perCallUs(b.cpuMs, b.completed)} (+ bench client ${perCallUs(b.clientCpuMs, b.completed)}), ` +
            `minimal relay ${perCallUs(r.cpuMs, r.completed)} (+ bench client ${perCallUs(r.clientCpuMs, r.completed)}), ` +
            `direct ${perCallUs(d.cpuMs, d.completed)} in the bench process; from /proc/<pid>/stat (10 ms ticks) and process.cpuUsage().`,
        );
      }
    }
    await Promise.all([bridge.child.stop(), relay.child.stop()]);

    // 4. RSS of fresh processes after fixed numbers of calls.
    progress("RSS after a fixed number of calls…");
    const rssBridge = await startBridge([BIN], env, configDir, "the bridge (RSS run)");
    const randomId = () => ids[Math.floor(Math.random() * ids.length)];
    const bridgeGet = () => rssBridge.client.callTool("get_memory", { id: randomId() });
    await bridgeGet();
    const rssIdle = rssBytes(rssBridge.child.pid);
    const bridgeRss = await rssAfterCalls(bridgeGet, rssBridge.child.pid, P.rssCheckpoints);
    // Then the other read tools on the same process, to catch growth on their paths too.
    const mix = [
      () => rssBridge.client.callTool("list_memories", { page: 1 + Math.floor(Math.random() * 5), page_size: 10 }),
      () => rssBridge.client.callTool("search_memories", { query: "which decision did the team settle and why", limit: 5 }),
      bridgeGet,
    ];
    let k = 0;
    const mixed = () => (mix[k++ % mix.length] as () => Promise<unknown>)();
    const mixedCalls = P.rssCheckpoints[P.rssCheckpoints.length - 1] ?? 0;
    const [mixedRss] = await rssAfterCalls(mixed, rssBridge.child.pid, [mixedCalls]);
    await rssBridge.child.stop();
    const rssRelay = await startBridge([RELAY], env, configDir, "the minimal relay (RSS run)");
    const relayCall = () => rssRelay.client.callTool("get_memory", { id: randomId() });
    await relayCall();
    const relayIdle = rssBytes(rssRelay.child.pid);
    const relayRss = await rssAfterCalls(relayCall, rssRelay.child.pid, P.rssCheckpoints);
    await rssRelay.child.stop();

    // 3. spawn → initialize, interleaving the three kinds so they share the background load.
    progress("spawn → initialize…");
    const floorEnv = { PATH: process.env.PATH ?? "" };
    const kinds: SpawnKind[] = [
      { key: "floor", args: FLOOR_ARGS, env: floorEnv, expectServerInfo: false },
      { key: "import", args: IMPORT_ARGS, env: floorEnv, expectServerInfo: false },
      { key: "bridge", args: [BIN], env, expectServerInfo: true },
    ];
    const spawnMs: Record<SpawnKind["key"], number[]> = { floor: [], import: [], bridge: [] };
    const spawnRss: Record<SpawnKind["key"], number[]> = { floor: [], import: [], bridge: [] };
    for (const kind of kinds) await timeSpawn(kind, configDir); // warms the page cache; discarded
    for (let run = 0; run < P.spawnRuns; run++) {
      for (let j = 0; j < kinds.length; j++) {
        const kind = kinds[(run + j) % kinds.length] as SpawnKind;
        const t = await timeSpawn(kind, configDir);
        spawnMs[kind.key].push(t.ms);
        if (Number.isFinite(t.rss)) spawnRss[kind.key].push(t.rss);
      }
    }
    const sp = (key: SpawnKind["key"], p: number) => percentile(spawnMs[key], p);
    rows.push(
      {
        section: "3",
        name: `spawn → initialize response, median of ${P.spawnRuns}`,
        measured: ms(sp("bridge", 50), 1),
        floor: ms(sp("floor", 50), 1),
        delta: signedMs(sp("bridge", 50) - sp("floor", 50), 1),
        target: `≤ ${TARGET.spawnMedianMs} ms`,
        ok: sp("bridge", 50) <= TARGET.spawnMedianMs,
      },
      {
        section: "3",
        name: "spawn → initialize response, p90",
        measured: ms(sp("bridge", 90), 1),
        floor: ms(sp("floor", 90), 1),
        delta: signedMs(sp("bridge", 90) - sp("floor", 90), 1),
        target: "",
      },
      {
        section: "3",
        name: "  of which node + loading the serve code, median",
        measured: ms(sp("import", 50), 1),
        floor: ms(sp("floor", 50), 1),
        delta: signedMs(sp("import", 50) - sp("floor", 50), 1),
        target: "",
      },
    );

    const rssMed = (key: SpawnKind["key"]) => (spawnRss[key].length > 0 ? median(spawnRss[key]) : Number.NaN);
    const plusMb = (v: number) => `${v >= 0 ? "+" : "−"}${mb(Math.abs(v))}`;
    rows.push(
      {
        section: "4",
        name: "RSS right after initialize (spawn runs, median)",
        measured: mb(rssMed("bridge")),
        floor: mb(rssMed("floor")),
        delta: plusMb(rssMed("bridge") - rssMed("floor")),
        target: "",
      },
      {
        section: "4",
        name: "  of which node + loading the serve code",
        measured: mb(rssMed("import")),
        floor: mb(rssMed("floor")),
        delta: plusMb(rssMed("import") - rssMed("floor")),
        target: "",
      },
      {
        section: "4",
        name: "RSS after initialize + 1 call",
        measured: mb(rssIdle.bytes),
        floor: mb(relayIdle.bytes),
        delta: plusMb(rssIdle.bytes - relayIdle.bytes),
        target: "",
      },
    );
    bridgeRss.forEach((at, i) => {
      const floorAt = relayRss[i];
      rows.push({
        section: "4",
        name: `RSS after ${int(at.calls)} calls`,
        measured: mb(at.bytes),
        floor: floorAt ? mb(floorAt.bytes) : "",
        delta: floorAt ? plusMb(at.bytes - floorAt.bytes) : "",
        target: `≤ ${mb(TARGET.rssMaxBytes)}`,
        ok: at.bytes <= TARGET.rssMaxBytes,
      });
    });
    const [at1, at2] = bridgeRss;
    const [rt1, rt2] = relayRss;
    if (at1 && at2) {
      const growth = at2.bytes - at1.bytes;
      rows.push({
        section: "4",
        name: `RSS growth ${int(at1.calls)} → ${int(at2.calls)} calls`,
        measured: plusMb(growth),
        floor: rt1 && rt2 ? plusMb(rt2.bytes - rt1.bytes) : "",
        delta: "",
        target: `≤ +${mb(TARGET.rssGrowthToleranceBytes)} (no growth)`,
        ok: growth <= TARGET.rssGrowthToleranceBytes,
      });
    }

    if (mixedRss) {
      rows.push({
        section: "4",
        name: `RSS after ${int(mixedCalls)} more calls: list / search / get`,
        measured: mb(mixedRss.bytes),
        floor: "",
        delta: "",
        target: "",
      });
    }

    // ---- report ----
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K");
    const cpuList = cpus();
    const cpuModel = cpuList[0]?.model.trim() ?? "unknown CPU";
    const loadAfter = loadavg()[0] ?? 0;
    const busy = Math.max(loadBefore, loadAfter) > cpuList.length * 0.5;
    notes.push(
      ...cpuNotes,
      `RSS: ${rssIdle.source}; a fresh bridge and a fresh relay, get_memory of one of ${SEED_COUNT} seeded ids at concurrency ${RSS_CONCURRENCY}; ` +
        `the last row continues the same bridge with list_memories(page_size 10) / search_memories(limit 5) / get_memory in turn.`,
    );
    const header = [
      `mcp-memory-bridge benchmark${QUICK ? "  [BENCH_QUICK=1: smoke run, numbers indicative only]" : ""}`,
      `node ${process.version} · ${process.platform} ${process.arch} · ${cpuList.length} CPUs (${cpuModel}) · ${startedAt.toISOString()}`,
      `load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after${busy ? "  ← the machine was busy with other work: expect noise" : ""}`,
      `bridge: node bin/mcp-memory-bridge.js (bundled dist/, serve chunk loaded on demand), MEMORY_BRIDGE_PROJECT_MODE=global; fixture: its own process on 127.0.0.1, no added latency`,
      `call: get_memory{id} = GET ${fixture.basePath}/memories/{id}; client: a minimal newline-delimited JSON-RPC client in the bench process (not the SDK Client)`,
      `floor: §1–2 the same GET made directly with an undici Pool from the bench process (same headers, JSON parsed); §3 a bare \`node -e\` answering one line;`,
      `       §4 the minimal relay (bench/relay-floor.mjs: stdio JSON-RPC → the same GET, no MCP SDK, no zod), except the first two rows (bare node)`,
      `note: bench client + bridge + fixture are 3 busy processes on ${cpuList.length} CPUs: at c=16/64 they compete for CPU, the direct path has one process less`,
    ];
    const passed = rows.filter((row) => row.ok === true).length;
    const judged = rows.filter((row) => row.ok !== undefined).length;
    const out = [...header, "", renderTable(rows), "", ...notes, `targets met: ${passed}/${judged}`, ""];
    process.stdout.write(out.join("\n"));
  } finally {
    await pool.close().catch(() => undefined);
    await fixture.child.stop();
  }
}

try {
  await main();
  clearTimeout(watchdog);
  process.exitCode = 0;
} catch (error) {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K");
  process.stderr.write(`bench: FAILED: ${error instanceof BenchFailure ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
} finally {
  killAllChildren();
}
