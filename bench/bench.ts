/**
 * Benchmark of mcp-memory-bridge: `npm run bench` (builds first), or BENCH_QUICK=1 for a smoke run.
 *
 * Spawns the fixture mcp-memory-service (its own process, 127.0.0.1, no added latency), the built
 * bridge (`node bin/mcp-memory-bridge.js`, project mode global) and bench/relay-floor.mjs (a minimal
 * stdio → HTTP relay without the MCP SDK, making the same HTTP requests), and prints one table:
 *   - each workload (search_memories, store_memory, list_memories, get_memory) three ways — the HTTP
 *     request made directly, through the relay floor, through the bridge — with p50/p99 latency at
 *     concurrency 1, throughput at concurrency 16 and CPU per call of the process doing the work;
 *   - spawn → initialize answered: bare `node -e`, the bridge from dist/ via bin, and the bridge
 *     as packed by `npm pack`;
 *   - the bridge's RSS after initialize + 1 call, after 5,000 and 10,000 calls, and the growth between.
 * Each target sits next to its measured value. It is a report, not a test: it exits 0 when a target
 * is missed, and non-zero only when the benchmark itself failed.
 * Only 127.0.0.1 is used; every loop is bounded in calls and time; children die with the process.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";
import { concat, median, percentile, runLoad, sleep } from "./load.js";
import { cpuMs, firstLine, killAllChildren, rssBytes, spawnNode, type Child } from "./processes.js";
import { BenchFailure, StdioRpcClient } from "./rpc.js";
import { BARE_NODE_ARGS, installPackedTarball, timeSpawn, type SpawnKind } from "./startup.js";
import { fmt, renderTable, type Row } from "./table.js";
import { requester, SEED_CHARS, SEED_COUNT, seed, workloads, type Fixture, type Workload } from "./workloads.js";

// ---- parameters ---------------------------------------------------------------------------------

const QUICK = process.env.BENCH_QUICK === "1";
const P = QUICK
  ? { latencyWarmup: 30, latencyCalls: 150, latencyBlocks: 3, throughputCalls: 300, spawnRuns: 3, rssCheckpoints: [250, 500], loadTimeCapMs: 5_000, overallCapMs: 180_000 }
  : { latencyWarmup: 500, latencyCalls: 3_000, latencyBlocks: 6, throughputCalls: 3_000, spawnRuns: 15, rssCheckpoints: [5_000, 10_000], loadTimeCapMs: 20_000, overallCapMs: 600_000 };
const CONCURRENCY = 16;
/** BENCH_ONLY=rss (or calls, startup, comma-separated): measure only those parts, e.g. while trying a change. */
const SECTIONS = ["calls", "rss", "startup"] as const;
const ONLY = new Set((process.env.BENCH_ONLY ?? SECTIONS.join(",")).split(",").map((s) => s.trim()));
for (const name of ONLY) {
  if (!(SECTIONS as readonly string[]).includes(name)) {
    process.stderr.write(`bench: BENCH_ONLY=${process.env.BENCH_ONLY}: "${name}" is not one of ${SECTIONS.join(", ")}\n`);
    process.exit(2);
  }
}
const want = (section: (typeof SECTIONS)[number]) => ONLY.has(section);

const TARGET = {
  /** The bridge's p50 overhead over direct HTTP, as a multiple of the relay floor's. */
  overheadVsFloor: 2,
  /** The bridge's throughput at c=16 as a share of direct HTTP's. */
  throughputShare: 0.5,
  /** spawn → initialize, as a multiple of a bare `node -e` answering one line. */
  spawnVsBareNode: 1.3,
  rssAfterFirstCall: 50 * 1024 * 1024,
  rssAfterLoad: 70 * 1024 * 1024,
  /** "No growth" between the two checkpoints, allowing for allocator and GC noise. */
  rssGrowthNoise: 2 * 1024 * 1024,
};

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "mcp-memory-bridge.js");
const CLI = join(ROOT, "dist", "cli.js");
const RELAY = join(ROOT, "bench", "relay-floor.mjs");
/** The V8 flag the bridge sets for itself (src/serve-start.ts), given to the floor too so their RSS compares like for like. */
const RELAY_ARGS = ["--liftoff-only", RELAY];
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

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
  else process.stderr.write(`${text}\n`);
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

// ---- the fixture and the processes under test -----------------------------------------------------

async function startFixture(): Promise<Fixture & { child: Child }> {
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

interface Server {
  child: Child;
  client: StdioRpcClient;
}

/** Spawns an MCP server over stdio (the bridge, or the relay floor) and initializes it. */
async function startServer(args: string[], env: NodeJS.ProcessEnv, cwd: string, label: string): Promise<Server> {
  const child = spawnNode(args, { cwd, env });
  const client = new StdioRpcClient(child, label);
  await client.initialize();
  return { child, client };
}

// ---- measuring ------------------------------------------------------------------------------------

const WAYS = ["direct", "relay", "bridge"] as const;
type WayName = (typeof WAYS)[number];
const WAY_LABEL: Record<WayName, string> = { direct: "direct HTTP", relay: "relay floor", bridge: "bridge" };

interface Way {
  call: () => Promise<unknown>;
  /** CPU time used so far by the process doing the work (the bench itself for direct), in ms. */
  cpu: () => number;
}

const selfCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const childCpu = (child: Child) => () => cpuMs(child.pid) ?? Number.NaN;

interface WayResult {
  latencies: Float64Array;
  throughput: number;
  cpuUsPerCall: number;
  /** CPU of the bench process (its JSON-RPC client) per call, for relay and bridge. */
  clientUsPerCall: number;
  capped: boolean;
}

function waysFor(workload: Workload, relay: Server, bridge: Server): Record<WayName, Way> {
  return {
    direct: { call: () => workload.direct(workload.args()), cpu: selfCpu },
    relay: { call: () => relay.client.callTool(workload.tool, workload.args()), cpu: childCpu(relay.child) },
    bridge: { call: () => bridge.client.callTool(workload.tool, workload.args()), cpu: childCpu(bridge.child) },
  };
}

/** Latency at c=1 in alternating blocks, then c=16 throughput and CPU in two alternating rounds, so the three ways share the background load. */
async function measureWorkload(workload: Workload, relay: Server, bridge: Server): Promise<Record<WayName, WayResult>> {
  const ways = waysFor(workload, relay, bridge);
  for (const [name, server] of [["relay floor", relay], ["bridge", bridge]] as const) {
    try {
      workload.check(await server.client.callTool(workload.tool, workload.args()));
    } catch (error) {
      throw new BenchFailure(`${name}, ${workload.tool}: ${(error as Error).message}`);
    }
  }
  const lat: Record<WayName, Float64Array[]> = { direct: [], relay: [], bridge: [] };
  let capped = false;
  for (const key of WAYS) await runLoad(ways[key].call, { calls: P.latencyWarmup, concurrency: 1, timeCapMs: P.loadTimeCapMs });
  const perBlock = Math.ceil(P.latencyCalls / P.latencyBlocks);
  for (let b = 0; b < P.latencyBlocks; b++) {
    for (const key of WAYS) {
      const r = await runLoad(ways[key].call, { calls: perBlock, concurrency: 1, timeCapMs: P.loadTimeCapMs / P.latencyBlocks });
      lat[key].push(r.latencies);
      capped ||= r.capped;
    }
  }
  const totals = Object.fromEntries(WAYS.map((k) => [k, { calls: 0, ms: 0, cpu: 0, client: 0 }])) as Record<WayName, { calls: number; ms: number; cpu: number; client: number }>;
  for (const key of WAYS) await runLoad(ways[key].call, { calls: CONCURRENCY * 4, concurrency: CONCURRENCY, timeCapMs: P.loadTimeCapMs });
  for (let round = 0; round < 2; round++) {
    for (const key of WAYS) {
      const way = ways[key];
      const cpu0 = way.cpu();
      const self0 = selfCpu();
      const r = await runLoad(way.call, { calls: Math.ceil(P.throughputCalls / 2), concurrency: CONCURRENCY, timeCapMs: P.loadTimeCapMs / 2 });
      const t = totals[key];
      t.calls += r.completed;
      t.ms += r.elapsedMs;
      t.cpu += way.cpu() - cpu0;
      t.client += selfCpu() - self0;
      capped ||= r.capped;
    }
  }
  return Object.fromEntries(
    WAYS.map((key) => {
      const t = totals[key];
      const result: WayResult = {
        latencies: concat(lat[key]),
        throughput: (t.calls / t.ms) * 1000,
        cpuUsPerCall: (t.cpu * 1000) / t.calls,
        clientUsPerCall: key === "direct" ? Number.NaN : (t.client * 1000) / t.calls,
        capped,
      };
      return [key, result];
    }),
  ) as Record<WayName, WayResult>;
}

function workloadRows(workload: Workload, r: Record<WayName, WayResult>): Row[] {
  const section = workload.tool;
  const p50 = (k: WayName) => median(r[k].latencies);
  const overhead = (k: WayName) => p50(k) - p50("direct");
  const rows: Row[] = WAYS.map((key, i) => ({
    section,
    cells: {
      what: i === 0 ? workload.tool + (r[key].capped ? " (time cap hit)" : "") : "",
      way: WAY_LABEL[key],
      p50: fmt.ms(p50(key)),
      p99: fmt.ms(percentile(r[key].latencies, 99)),
      "c=16": fmt.rate(r[key].throughput),
      "CPU/call": fmt.us(r[key].cpuUsPerCall),
      ...(key !== "direct" && { result: `${fmt.signedMs(overhead(key))} over direct` }),
    },
  }));
  const ratio = overhead("bridge") / overhead("relay");
  const share = r.bridge.throughput / r.direct.throughput;
  rows.push(
    {
      section,
      cells: { way: "  bridge overhead", result: `${fmt.ratio(ratio)} floor's`, target: `p50 overhead ≤ ${TARGET.overheadVsFloor} × floor's` },
      ok: overhead("bridge") <= TARGET.overheadVsFloor * overhead("relay"),
    },
    {
      section,
      cells: { way: "  bridge c=16", result: `${fmt.percent(share)} of direct`, target: `c=16 ≥ ${fmt.percent(TARGET.throughputShare)} of direct` },
      ok: share >= TARGET.throughputShare,
    },
  );
  return rows;
}

/** Calls before each RSS checkpoint during which the RSS is sampled. */
const RSS_WINDOW_CALLS = QUICK ? 125 : 2_000;
const RSS_SAMPLE_MS = 20;

/**
 * Calls through a process up to each checkpoint (cumulative call counts). The RSS "at" a checkpoint
 * is the median of samples taken every RSS_SAMPLE_MS while its last RSS_WINDOW_CALLS calls ran:
 * a single reading swings by ±10 MB with where the garbage collector is in its cycle.
 */
async function rssAfterCalls(call: () => Promise<unknown>, pid: number, checkpoints: number[]): Promise<{ calls: number; bytes: number }[]> {
  const out: { calls: number; bytes: number }[] = [];
  let done = 0;
  for (const checkpoint of checkpoints) {
    const window = Math.min(RSS_WINDOW_CALLS, Math.floor((checkpoint - done) / 2));
    const load = (calls: number) => runLoad(call, { calls, concurrency: CONCURRENCY, timeCapMs: P.loadTimeCapMs });
    done += (await load(checkpoint - done - window)).completed;
    const samples: number[] = [];
    const sampler = setInterval(() => {
      try {
        samples.push(rssBytes(pid).bytes);
      } catch {
        // the process ended: the load reports why
      }
    }, RSS_SAMPLE_MS);
    try {
      done += (await load(window)).completed;
    } finally {
      clearInterval(sampler);
    }
    samples.push(rssBytes(pid).bytes);
    out.push({ calls: done, bytes: median(samples) });
  }
  return out;
}

interface RssRun {
  first: number;
  at: { calls: number; bytes: number }[];
  /** After IDLE_MS without a call: once after the first call, once after the last checkpoint. */
  firstIdle: number;
  loadIdle: number;
}

/**
 * How long a process sits idle before the settled readings. The bridge gives back V8's young
 * generation once quiet (src/mcp/idle-memory.ts: collections 1 s and 7 s into the quiet, released
 * about a second later), and V8's own memory reducer runs about 8 s after start-up.
 */
const IDLE_MS = 10_000;

/**
 * A fresh process: RSS after initialize + one search, then after the checkpoints of search / list /
 * get in turn; and each of the two again after IDLE_MS without calls.
 */
async function rssRun(server: Server, reads: Workload[]): Promise<RssRun> {
  const [search] = reads;
  if (!search) throw new BenchFailure("no workload for the RSS run");
  await server.client.callTool(search.tool, search.args());
  await sleep(200);
  const first = rssBytes(server.child.pid).bytes;
  await sleep(IDLE_MS - 200);
  const firstIdle = rssBytes(server.child.pid).bytes;
  let k = 0;
  const call = () => {
    const w = reads[k++ % reads.length] as Workload;
    return server.client.callTool(w.tool, w.args());
  };
  const at = await rssAfterCalls(call, server.child.pid, P.rssCheckpoints);
  await sleep(IDLE_MS);
  const loadIdle = rssBytes(server.child.pid).bytes;
  await server.child.stop();
  return { first, at, firstIdle, loadIdle };
}

function rssRows(bridge: RssRun, relay: RssRun): Row[] {
  const section = "rss";
  const rows: Row[] = [
    {
      section,
      cells: { what: "RSS after initialize + 1 call", way: "bridge", result: fmt.mb(bridge.first), target: `≤ ${fmt.mb(TARGET.rssAfterFirstCall)}` },
      ok: bridge.first <= TARGET.rssAfterFirstCall,
    },
    { section, cells: { way: "relay floor", result: fmt.mb(relay.first) } },
  ];
  bridge.at.forEach((at, i) => {
    const last = i === bridge.at.length - 1;
    rows.push(
      {
        section,
        cells: { what: `RSS after ${fmt.int(at.calls)} calls`, way: "bridge", result: fmt.mb(at.bytes), ...(last && { target: `≤ ${fmt.mb(TARGET.rssAfterLoad)}` }) },
        ...(last && { ok: at.bytes <= TARGET.rssAfterLoad }),
      },
      { section, cells: { way: "relay floor", result: fmt.mb(relay.at[i]?.bytes ?? Number.NaN) } },
    );
  });
  const [b1, b2] = bridge.at;
  const [r1, r2] = relay.at;
  if (b1 && b2) {
    const growth = b2.bytes - b1.bytes;
    rows.push(
      {
        section,
        cells: {
          what: `RSS growth ${fmt.int(b1.calls)} → ${fmt.int(b2.calls)}`,
          way: "bridge",
          result: fmt.signedMb(growth),
          target: `≤ ${fmt.signedMb(TARGET.rssGrowthNoise)} (noise: none)`,
        },
        ok: growth <= TARGET.rssGrowthNoise,
      },
      { section, cells: { way: "relay floor", result: r1 && r2 ? fmt.signedMb(r2.bytes - r1.bytes) : "n/a" } },
    );
  }
  const idle = `${fmt.int(IDLE_MS / 1000)} s idle`;
  const lastCalls = bridge.at.at(-1)?.calls ?? 0;
  rows.push(
    { section, cells: { what: `RSS ${idle} after initialize + 1 call`, way: "bridge", result: fmt.mb(bridge.firstIdle) } },
    { section, cells: { way: "relay floor", result: fmt.mb(relay.firstIdle) } },
    { section, cells: { what: `RSS ${idle} after ${fmt.int(lastCalls)} calls`, way: "bridge", result: fmt.mb(bridge.loadIdle) } },
    { section, cells: { way: "relay floor", result: fmt.mb(relay.loadIdle) } },
  );
  return rows;
}

async function startupRows(kinds: SpawnKind[], cwd: string): Promise<Row[]> {
  const times: Record<string, number[]> = Object.fromEntries(kinds.map((k) => [k.key, []]));
  for (const kind of kinds) await timeSpawn(kind, cwd); // warms the page cache; discarded
  for (let run = 0; run < P.spawnRuns; run++) {
    for (let j = 0; j < kinds.length; j++) {
      const kind = kinds[(run + j) % kinds.length] as SpawnKind;
      times[kind.key]!.push((await timeSpawn(kind, cwd)).ms);
    }
  }
  const bare = median(times["bare node"] ?? []);
  return kinds.map((kind, i) => {
    const t = times[kind.key] ?? [];
    const judged = kind.key !== "bare node";
    const ratio = median(t) / bare;
    return {
      section: "startup",
      cells: {
        what: i === 0 ? `spawn → initialize answered (${P.spawnRuns} runs)` : "",
        way: kind.key,
        p50: fmt.ms(median(t), 1),
        p99: fmt.ms(percentile(t, 99), 1),
        ...(judged && { result: `${fmt.ratio(ratio)} bare node`, target: `≤ ${TARGET.spawnVsBareNode} × bare node` }),
      },
      ...(judged && { ok: ratio <= TARGET.spawnVsBareNode }),
    };
  });
}

// ---- main -------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new BenchFailure(`${CLI} is missing: run \`npm run bench\` (it builds first) or \`npm run build\``);
  const startedAt = new Date();
  const loadBefore = loadavg()[0] ?? 0;
  const configDir = tempDir("mcp-memory-bridge-bench-");

  // First, while nothing else runs: it builds a release bundle and would disturb the timings.
  progress("npm pack: the package as a user gets it…");
  let packedBin: string | undefined;
  let packProblem: string | undefined;
  try {
    if (want("startup")) packedBin = await installPackedTarball(ROOT, tempDir("mcp-memory-bridge-bench-packed-"));
  } catch (error) {
    packProblem = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  }

  progress("starting the fixture…");
  const fixture = await startFixture();
  // Like the bridge's own pool: one keep-alive undici Pool for the origin.
  const pool = new Pool(fixture.origin, { connect: { timeout: 3000 } });
  const env = bridgeEnv(fixture, configDir);
  const rows: Row[] = [];
  const notes: string[] = [];

  try {
    const http = requester(fixture, pool);
    const all = workloads(http, await seed(http));
    const byTool = (tool: string) => all.find((w) => w.tool === tool) as Workload;
    // Reads first: every store adds a memory, which makes the fixture's searches slower.
    const reads = ["search_memories", "list_memories", "get_memory"].map(byTool);
    const measured = new Map<string, Record<WayName, WayResult>>();

    // Started only when call rows are wanted: the RSS and start-up runs spawn their own.
    const servers = want("calls")
      ? { relay: await startServer(RELAY_ARGS, env, configDir, "the relay floor"), bridge: await startServer([BIN], env, configDir, "the bridge") }
      : undefined;
    if (servers) {
      for (const workload of reads) {
        progress(`${workload.tool}: latency at c=1, throughput and CPU at c=${CONCURRENCY}…`);
        measured.set(workload.tool, await measureWorkload(workload, servers.relay, servers.bridge));
      }
    }

    let rss: { bridge: RssRun; relay: RssRun } | undefined;
    if (want("rss")) {
      progress("RSS after a fixed number of calls…");
      const bridgeRss = await rssRun(await startServer([BIN], env, configDir, "the bridge (RSS run)"), reads);
      const relayRss = await rssRun(await startServer(RELAY_ARGS, env, configDir, "the relay floor (RSS run)"), reads);
      rss = { bridge: bridgeRss, relay: relayRss };
    }

    if (servers) {
      progress("store_memory: latency at c=1, throughput and CPU at c=16…");
      measured.set("store_memory", await measureWorkload(byTool("store_memory"), servers.relay, servers.bridge));
      await Promise.all([servers.bridge.child.stop(), servers.relay.child.stop()]);
    }
    const clientCpu = [...measured].map(([tool, r]) => `${tool} ${fmt.us(r.bridge.clientUsPerCall)} µs`).join(", ");

    if (want("startup")) progress("spawn → initialize…");
    const bare = { PATH: process.env.PATH ?? "" };
    const kinds: SpawnKind[] = [
      { key: "bare node", args: BARE_NODE_ARGS, env: bare, expectServerInfo: false },
      { key: "bridge, bin from dist/", args: [BIN], env, expectServerInfo: true },
      ...(packedBin ? [{ key: "bridge, npm pack tarball", args: [packedBin], env, expectServerInfo: true }] : []),
    ];
    const startup = want("startup") ? await startupRows(kinds, configDir) : [];

    for (const workload of all) {
      const r = measured.get(workload.tool);
      if (r) rows.push(...workloadRows(workload, r));
    }
    rows.push(...startup);
    if (packProblem) rows.push({ section: "startup", cells: { way: "bridge, npm pack tarball", result: "not measured" }, ok: false });
    if (rss) rows.push(...rssRows(rss.bridge, rss.relay));

    if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K");
    const cpuList = cpus();
    const loadAfter = loadavg()[0] ?? 0;
    const busy = Math.max(loadBefore, loadAfter) > cpuList.length * 0.5;
    notes.push(
      ...all.map((w) => `${w.tool}: ${w.detail}.`),
      `p50/p99: latency at concurrency 1 (${fmt.int(P.latencyCalls)} calls a way, in ${P.latencyBlocks} alternating blocks); c=16: calls/s at concurrency 16 (${fmt.int(P.throughputCalls)} calls a way, two alternating rounds).`,
      `CPU µs/call: at c=16, user+system CPU of the process doing the work — the bridge or the relay floor (/proc/<pid>/stat, 10 ms ticks), the bench process itself for direct HTTP (process.cpuUsage, load generator included).`,
      `  The bench's JSON-RPC client adds, per bridge call: ${clientCpu}.`,
      `overhead: p50 of the way − p50 of direct HTTP; the target compares the bridge's with the relay floor's, measured in the same run.`,
      `start-up: bare node = \`node -e\` answering one line; npm pack tarball = \`npm pack\` of a fresh copy of the sources (prepack: release build), unpacked as npm installs it (no optional keychain modules: the token comes from MEMORY_BRIDGE_TOKEN).` +
        (packProblem ? ` Not measured: ${packProblem}` : ""),
      `RSS: /proc/<pid>/status VmRSS of a fresh process each, search_memories / list_memories / get_memory in turn at c=${CONCURRENCY}; after N calls = the median of samples every ${RSS_SAMPLE_MS} ms during the ${fmt.int(RSS_WINDOW_CALLS)} calls before N (one reading swings ±10 MB with the GC cycle); growth up to ${fmt.mb(TARGET.rssGrowthNoise)} counts as noise, not growth; "idle" = one reading after ${fmt.int(IDLE_MS / 1000)} s without calls, what a resident bridge keeps (not judged: the targets are read under load).`,
    );
    const header = [
      `mcp-memory-bridge benchmark${QUICK ? "  [BENCH_QUICK=1: smoke run, numbers indicative only]" : ""}`,
      `node ${process.version} · ${process.platform} ${process.arch} · ${cpuList.length} CPUs (${cpuList[0]?.model.trim() ?? "unknown CPU"}) · ${startedAt.toISOString()}`,
      `load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after${busy ? "  ← the machine was busy with other work: expect noise" : ""}`,
      `bridge: node bin/mcp-memory-bridge.js (bundled dist/), MEMORY_BRIDGE_PROJECT_MODE=global; relay floor: node --liftoff-only bench/relay-floor.mjs (no SDK, same requests, the V8 flag the bridge sets itself);`,
      `fixture: mcp-memory-service in its own process on 127.0.0.1, no added latency, ${SEED_COUNT} memories of ${SEED_CHARS} characters; client: a minimal JSON-RPC client in the bench process`,
    ];
    const passed = rows.filter((row) => row.ok === true).length;
    const judged = rows.filter((row) => row.ok !== undefined).length;
    process.stdout.write([...header, "", renderTable(rows), "", ...notes, `targets met: ${passed}/${judged}`, ""].join("\n"));
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
