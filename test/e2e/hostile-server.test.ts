import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { echoedToken, tokenInForm, type EchoForm } from "../fixtures/hostile/echo.js";
import { createHostileServer, deeplyNested, type HostileServer } from "../fixtures/hostile/server.js";
import { makeGitRepo } from "./git-repo.js";
import { startBridge, textOf, type BridgeProcess } from "./harness.js";
import { leakedPieces, peakRssMb, secretPieces } from "./proc-status.js";

// Issue 7's rows about a memory server that misbehaves on purpose: each ends in an answer, with the
// bridge's memory bounded and the token nowhere in what it prints.

const MB = 1024 * 1024;
const RSS_LIMIT_MB = 300;
const TOKEN = 'Hx7"Qv\\Lm2_Zp9Wr4-Kt8YbNc6';
const HOST_TOKEN = "Hx7QvLm2Zp9Wr4Kt8YbNc6Ds";
const repo = makeGitRepo();

let server: HostileServer;
let bridge: BridgeProcess | undefined;

const record = (content: string, extra: Record<string, unknown> = {}) => ({
  content,
  content_hash: Buffer.from(content).toString("hex").padEnd(64, "0").slice(0, 64),
  tags: [],
  memory_type: "note",
  metadata: {},
  created_at: 1_700_000_000,
  created_at_iso: "2023-11-14T22:13:20",
  updated_at: 1_700_000_000,
  updated_at_iso: "2023-11-14T22:13:20",
  ...extra,
});

beforeAll(async () => {
  server = await createHostileServer({ token: TOKEN });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());
afterEach(async () => {
  await bridge?.transport.close();
  bridge = undefined;
});

async function start(env: Record<string, string> = {}, token = TOKEN): Promise<BridgeProcess> {
  bridge = await startBridge({
    env: { MEMORY_BRIDGE_ENDPOINT: server.url, MEMORY_BRIDGE_TOKEN: token, MEMORY_BRIDGE_PROJECT_MODE: "global", ...env },
    cwd: repo,
  });
  return bridge;
}

const call = (name: string, args: Record<string, unknown> = {}) => bridge!.client.callTool({ name, arguments: args }, undefined, { timeout: 25_000 });

async function expectAliveAndExitZero(): Promise<void> {
  server.mode = { kind: "normal" };
  const status = await call("memory_status");
  expect(status.isError, textOf(status)).toBeFalsy();
  bridge!.transport.endStdin();
  expect(await bridge!.transport.exited).toEqual({ code: 0, signal: null });
}

describe("bounded memory", () => {
  it("a 200 MB answer is cut off at the cap, with a sentence naming the setting, and RSS stays bounded", async () => {
    server.mode = { kind: "huge-body", bytes: 200 * MB };
    await start();
    const result = await call("list_memories");
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/larger than the 33554432-byte \(32 MiB\) limit \(--max-response-bytes, MEMORY_BRIDGE_MAX_RESPONSE_BYTES\)/);
    expect(server.bytesStreamed).toBeLessThan(100 * MB);
    expect(peakRssMb(bridge!.transport.child.pid!)).toBeLessThan(RSS_LIMIT_MB);
    await expectAliveAndExitZero();
  });

  it("ten 200 MB answers at once: every call fails on the cap, and RSS stays bounded", async () => {
    server.mode = { kind: "huge-body", bytes: 200 * MB };
    await start();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? call("list_memories") : call("search_memories", { query: "x" }))));
    for (const result of results) expect(textOf(result)).toMatch(/--max-response-bytes/);
    expect(peakRssMb(bridge!.transport.child.pid!)).toBeLessThan(RSS_LIMIT_MB);
    await expectAliveAndExitZero();
  });

  it("an endless chunked answer is cut off at the cap, not read until the deadline", async () => {
    server.mode = { kind: "endless" };
    await start({ MEMORY_BRIDGE_TIMEOUT_MS: "10000" });
    const results = await Promise.all([call("list_memories"), call("get_memory", { id: "a".repeat(64) }), call("search_memories", { query: "x" })]);
    for (const result of results) {
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/--max-response-bytes/);
    }
    expect(peakRssMb(bridge!.transport.child.pid!)).toBeLessThan(RSS_LIMIT_MB);
    await expectAliveAndExitZero();
  });

  it("a lower cap set by flag is the one enforced and named", async () => {
    server.records = Array.from({ length: 20 }, (_, i) => record(`memory ${i} ${"z".repeat(10_000)}`));
    bridge = await startBridge({
      env: { MEMORY_BRIDGE_ENDPOINT: server.url, MEMORY_BRIDGE_TOKEN: TOKEN, MEMORY_BRIDGE_PROJECT_MODE: "global" },
      args: ["--max-response-bytes", "65536"],
      cwd: repo,
    });
    const result = await call("list_memories", { page_size: 20 });
    expect(textOf(result)).toMatch(/larger than the 65536-byte \(64 KiB\) limit \(--max-response-bytes/);
    const small = await call("list_memories", { page_size: 2 });
    expect(small.isError, textOf(small)).toBeFalsy();
  });
});

describe("a reply that cannot be serialised", () => {
  it("metadata nested 5,000 deep: every call is answered and the process exits 0", async () => {
    const deep = record("a memory with absurd metadata", { metadata: deeplyNested(5_000) });
    server.records = [record("a plain memory"), deep];
    await start();
    const list = await call("list_memories");
    expect(list.isError, textOf(list)).toBeFalsy();
    const memories = (list.structuredContent as { memories: { id: string; note?: string }[] }).memories;
    expect(memories.map((m) => m.id)).toEqual([server.records[0], deep].map((r) => (r as { content_hash: string }).content_hash));
    expect(memories[1]!.note).toMatch(/metadata/);
    expect(textOf(list)).toMatch(/metadata/);
    const got = await call("get_memory", { id: deep.content_hash });
    expect(got.isError, textOf(got)).toBeFalsy();
    const search = await call("search_memories", { query: "absurd", scope: "all" });
    expect(search.isError, textOf(search)).toBeFalsy();
    await expectAliveAndExitZero();
  });
});

describe("one malformed record does not sink a page", () => {
  it("tags as a string, created_at 1e20 and numeric tags: shown with a note, the rest intact, no stack trace", async () => {
    server.records = [
      record("good one", { tags: ["fine"] }),
      record("tags as text", { tags: "a,b" }),
      record("from the far future", { created_at: 1e20, created_at_iso: null }),
      record("numeric tags", { tags: [1, 2, "kept"] }),
      { content_hash: "f".repeat(64), tags: [] },
    ];
    await start({ MEMORY_BRIDGE_LOG_LEVEL: "debug" });
    for (const [name, args] of [
      ["list_memories", {}],
      ["search_memories", { query: "anything", scope: "all" }],
    ] as const) {
      const result = await call(name, args);
      expect(result.isError, textOf(result)).toBeFalsy();
      const structured = result.structuredContent as { memories?: unknown[]; results?: unknown[]; skipped?: number };
      const shown = (structured.memories ?? structured.results) as { content: string; tags: string[]; created_at?: string; note?: string }[];
      expect(shown.map((m) => m.content)).toEqual(["good one", "tags as text", "from the far future", "numeric tags"]);
      expect(shown[0]!.note).toBeUndefined();
      expect(shown[1]!.tags).toEqual(["a", "b"]);
      expect(shown[1]!.note).toMatch(/tags/);
      expect(shown[2]!.created_at).toBeUndefined();
      expect(shown[2]!.note).toMatch(/created_at/);
      expect(shown[3]!.tags).toEqual(["kept"]);
      expect(structured.skipped).toBe(1);
      expect(textOf(result)).toMatch(/1 record .*could not be read/);
      expect(textOf(result)).not.toMatch(/\n\s+at /);
    }
    const odd = await call("get_memory", { id: (server.records[1] as { content_hash: string }).content_hash });
    expect(odd.isError, textOf(odd)).toBeFalsy();
    await bridge!.transport.close();
    for (const line of bridge!.transport.stderr.split("\n").filter((l) => / error: /.test(l))) expect(line).not.toMatch(/\\n\s+at /);
    expect(bridge!.transport.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("redaction that cannot be cut around", () => {
  const outputs = () => `${bridge!.transport.stdoutLines.join("\n")}\n${bridge!.transport.stderr}`;

  async function expectNoPieces(token: string, form: EchoForm): Promise<void> {
    await bridge!.transport.close();
    const forms = [token, tokenInForm(token, form), JSON.stringify(token).slice(1, -1), encodeURIComponent(token)];
    expect(leakedPieces(outputs(), secretPieces(forms))).toEqual([]);
  }

  for (const [form, at] of [
    ["raw", 185],
    ["raw", 40],
    ["json-escaped", 185],
    ["url-encoded", 190],
  ] as const) {
    it(`the token echoed ${form} at character ${at} of an error text: no piece of it is shown or logged`, async () => {
      server.mode = { kind: "echo-token", form, at };
      await start({ MEMORY_BRIDGE_LOG_LEVEL: "debug" });
      const results = [await call("list_memories"), await call("search_memories", { query: "x" }), await call("store_memory", { content: "note" })];
      for (const result of results) expect(result.isError, textOf(result)).toBe(true);
      // The marker, cut short or whole: the text was redacted before it was cut.
      expect(textOf(results[0])).toMatch(/\[redac/);
      await expectNoPieces(TOKEN, form);
    });
  }

  it("the token lower-cased in a host name: not shown", async () => {
    const hostServer = await createHostileServer({ token: HOST_TOKEN });
    try {
      hostServer.mode = { kind: "echo-token", form: "lower-case-host", at: 150 };
      bridge = await startBridge({
        env: { MEMORY_BRIDGE_ENDPOINT: hostServer.url, MEMORY_BRIDGE_TOKEN: HOST_TOKEN, MEMORY_BRIDGE_PROJECT_MODE: "global", MEMORY_BRIDGE_LOG_LEVEL: "debug" },
        cwd: repo,
      });
      expect(echoedToken(HOST_TOKEN, "lower-case-host")).toContain(HOST_TOKEN.toLowerCase());
      for (const result of [await call("list_memories"), await call("search_memories", { query: "x" })]) expect(result.isError).toBe(true);
      await expectNoPieces(HOST_TOKEN, "lower-case-host");
    } finally {
      await hostServer.close();
    }
  });

  it("a rejected token echoed in the 401's description: not shown", async () => {
    server.mode = { kind: "echo-token", form: "raw", at: 185 };
    const wrong = "Wr0ng-Token_Value-9911xyz";
    await start({ MEMORY_BRIDGE_LOG_LEVEL: "debug" }, wrong);
    const result = await call("list_memories");
    expect(textOf(result)).toMatch(/Authentication failed \(401\)/);
    await bridge!.transport.close();
    expect(leakedPieces(outputs(), secretPieces([wrong, TOKEN]))).toEqual([]);
  });

  it("a 3-character token standing in an error text: not shown", async () => {
    const short = await createHostileServer({ token: "k3Y" });
    try {
      short.mode = { kind: "echo-token", form: "raw", at: 185 };
      bridge = await startBridge({
        env: { MEMORY_BRIDGE_ENDPOINT: short.url, MEMORY_BRIDGE_TOKEN: "k3Y", MEMORY_BRIDGE_PROJECT_MODE: "global", MEMORY_BRIDGE_LOG_LEVEL: "debug" },
        cwd: repo,
      });
      const results = [await call("list_memories"), await call("search_memories", { query: "x" })];
      for (const result of results) expect(result.isError).toBe(true);
      await bridge.transport.close();
      expect(outputs()).not.toMatch(/(?<![A-Za-z0-9])k3Y(?![A-Za-z0-9])/i);
      expect(bridge.transport.stderr).toMatch(/shorter than 8 characters/);
    } finally {
      await short.close();
    }
  });

  it("/health/detailed echoing the token: memory_status shows none of it", async () => {
    server.mode = { kind: "health-echo" };
    await start({ MEMORY_BRIDGE_LOG_LEVEL: "debug" });
    const status = await call("memory_status");
    expect(status.isError, textOf(status)).toBeFalsy();
    expect((status.structuredContent as { server?: { version?: string } }).server?.version).toMatch(/^10\.59\.0\+\[redacted\]/);
    await expectNoPieces(TOKEN, "json-escaped");
  });
});

describe("bounded connections", () => {
  it("2,000 concurrent calls to a slow server: at most 16 connections, every call answered", async () => {
    server.records = [record("slow but steady")];
    server.mode = { kind: "slow", delayMs: 20 };
    await start();
    const results = await Promise.all(Array.from({ length: 2_000 }, () => call("list_memories")));
    expect(results.filter((r) => r.isError).map(textOf)).toEqual([]);
    expect(server.requests.filter((r) => r.rawPath.startsWith("/api/memories")).length).toBe(2_000);
    expect(server.maxOpenConnections).toBeLessThanOrEqual(16);
    await expectAliveAndExitZero();
  });

  it("--max-connections 2 is honoured", async () => {
    server.records = [record("one")];
    server.mode = { kind: "slow", delayMs: 20 };
    bridge = await startBridge({
      env: { MEMORY_BRIDGE_ENDPOINT: server.url, MEMORY_BRIDGE_TOKEN: TOKEN, MEMORY_BRIDGE_PROJECT_MODE: "global", MEMORY_BRIDGE_MAX_CONNECTIONS: "2" },
      cwd: repo,
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => call("list_memories")));
    expect(results.filter((r) => r.isError)).toEqual([]);
    expect(server.maxOpenConnections).toBeLessThanOrEqual(2);
  });
});

describe("ids that are path segments", () => {
  it("ids . and .. are refused before anything is sent", async () => {
    server.records = [record("keep me")];
    await start();
    for (const id of [".", "..", "%2e%2E", "a/../b"]) {
      for (const name of ["get_memory", "delete_memory"]) {
        const result = await call(name, { id });
        expect(result.isError, `${name} ${id}`).toBe(true);
      }
      const update = await call("update_memory", { id, tags: ["x"] });
      expect(update.isError).toBe(true);
    }
    // As the server sees them: raw, and percent-decoded (as uvicorn hands paths to the routes).
    const paths = server.requests.map((r) => r.rawPath.split("?")[0]!);
    const segments = paths.flatMap((p) => [...p.split("/"), ...decodeURIComponent(p).split("/")]);
    expect(segments.filter((s) => s === "." || s === "..")).toEqual([]);
    await expectAliveAndExitZero();
  });
});
