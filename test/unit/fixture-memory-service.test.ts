import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import {
  createMemoryServiceFixture,
  type MemoryServiceFixture,
  type MemoryServiceFixtureOptions,
} from "../fixtures/memory-service/index.js";

const open: MemoryServiceFixture[] = [];

async function start(options?: MemoryServiceFixtureOptions): Promise<MemoryServiceFixture> {
  const fx = await createMemoryServiceFixture(options);
  open.push(fx);
  return fx;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((fx) => fx.close()));
});

interface CallOptions {
  method?: string;
  body?: unknown;
  /** Raw text body (sent with a JSON content type). */
  raw?: string;
  headers?: Record<string, string>;
  /** Defaults to `Bearer <fx.token>`; `false` sends no credentials. */
  auth?: false | string;
}

async function call(fx: MemoryServiceFixture, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.auth !== false) headers.authorization = `Bearer ${opts.auth ?? fx.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(fx.url + path, { method: opts.method ?? (body !== undefined ? "POST" : "GET"), headers, body });
}

async function json(fx: MemoryServiceFixture, path: string, opts: CallOptions = {}): Promise<{ status: number; body: any; res: Response }> {
  const res = await call(fx, path, opts);
  return { status: res.status, body: await res.json(), res };
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

async function storeMany(fx: MemoryServiceFixture, n: number, tags: (i: number) => string[] = () => []): Promise<string[]> {
  const hashes: string[] = [];
  for (let i = 0; i < n; i++) {
    const { body } = await json(fx, "/memories", { body: { content: `memory number ${i}`, tags: tags(i) } });
    hashes.push(body.content_hash);
  }
  return hashes;
}

describe("mcp-memory-service fixture: basics and auth", () => {
  it("listens on loopback and exposes url/origin/port/token", async () => {
    const fx = await start();
    expect(fx.origin).toBe(`http://127.0.0.1:${fx.port}`);
    expect(fx.url).toBe(`${fx.origin}/api`);
    expect(typeof fx.token).toBe("string");
    expect(fx.token!.length).toBeGreaterThan(16);
    expect(fx.listening).toBe(true);
  });

  it("serves /health without credentials", async () => {
    const fx = await start({ version: "9.9.9" });
    const { status, body } = await json(fx, "/health", { auth: false });
    expect(status).toBe(200);
    expect(body.status).toBe("healthy");
    expect(body.version).toBe("9.9.9");
  });

  it("answers missing credentials with 401 authorization_required and WWW-Authenticate", async () => {
    const fx = await start();
    const { status, body, res } = await json(fx, "/memories", { auth: false });
    expect(status).toBe(401);
    expect(body.detail.error).toBe("authorization_required");
    expect(typeof body.detail.error_description).toBe("string");
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${fx.origin}/.well-known/oauth-protected-resource"`,
    );
  });

  it("answers a wrong Bearer with 401 invalid_token and WWW-Authenticate", async () => {
    const fx = await start();
    const { status, body, res } = await json(fx, "/health/detailed", { auth: "wrong" });
    expect(status).toBe(401);
    expect(body.detail.error).toBe("invalid_token");
    expect(res.headers.get("www-authenticate")).toContain("resource_metadata=");
  });

  it("accepts the token as Bearer, X-API-Key or api_key query; a wrong X-API-Key is authorization_required", async () => {
    const fx = await start({ token: "secret-key" });
    expect((await call(fx, "/health/detailed")).status).toBe(200);
    expect((await call(fx, "/health/detailed", { auth: false, headers: { "x-api-key": "secret-key" } })).status).toBe(200);
    expect((await call(fx, "/health/detailed?api_key=secret-key", { auth: false })).status).toBe(200);
    const wrong = await json(fx, "/health/detailed", { auth: false, headers: { "x-api-key": "nope" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.detail.error).toBe("authorization_required");
  });

  it("reports statistics in /health/detailed", async () => {
    const fx = await start();
    await storeMany(fx, 2, () => ["x"]);
    const { body } = await json(fx, "/health/detailed");
    expect(body).toMatchObject({ status: "healthy", statistics: { total_memories: 2, unique_tags: 1, backend: "sqlite-vec" } });
    expect(body.storage).toBeTypeOf("object");
  });

  it("gives a read-only token 403 insufficient_scope on writes", async () => {
    const fx = await start({ readOnlyToken: "reader" });
    expect((await call(fx, "/memories", { auth: "reader" })).status).toBe(200);
    expect((await call(fx, "/search", { auth: "reader", body: { query: "x" } })).status).toBe(200);
    const denied = await json(fx, "/memories", { auth: "reader", body: { content: "nope" } });
    expect(denied.status).toBe(403);
    expect(denied.body.detail.error).toBe("insufficient_scope");
    expect(fx.memories()).toHaveLength(0);
  });

  it("needs no credentials when token is null", async () => {
    const fx = await start({ token: null });
    expect(fx.token).toBeNull();
    const { status, body } = await json(fx, "/memories", { auth: false, body: { content: "open" } });
    expect(status).toBe(200);
    expect(body.success).toBe(true);
  });

  it("answers unknown routes 404, wrong methods 405 and a trailing slash with a 307", async () => {
    const fx = await start();
    expect((await json(fx, "/nope")).body).toEqual({ detail: "Not Found" });
    const wrongMethod = await call(fx, "/search");
    expect(wrongMethod.status).toBe(405);
    const slash = await fetch(`${fx.url}/memories/?page=2`, { redirect: "manual", headers: { authorization: `Bearer ${fx.token}` } });
    expect(slash.status).toBe(307);
    expect(slash.headers.get("location")).toBe("/api/memories?page=2");
  });
});

describe("mcp-memory-service fixture: memories", () => {
  it("stores a memory and returns the service's success envelope", async () => {
    const fx = await start();
    const { status, body } = await json(fx, "/memories", {
      body: { content: "The sky is blue", tags: ["sky", "colour"], memory_type: "learning", metadata: { source: "test" } },
    });
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.message).toBe("Memory stored successfully");
    expect(body.content_hash).toBe(sha256("the sky is blue"));
    const m = body.memory;
    expect(Object.keys(m)).toEqual([
      "content",
      "content_hash",
      "tags",
      "memory_type",
      "metadata",
      "created_at",
      "created_at_iso",
      "updated_at",
      "updated_at_iso",
    ]);
    expect(m).toMatchObject({ content: "The sky is blue", tags: ["sky", "colour"], memory_type: "learning", metadata: { source: "test" } });
    expect(m.created_at).toBeCloseTo(Date.now() / 1000, 0);
    expect(Date.parse(m.created_at_iso) / 1000).toBeCloseTo(m.created_at, 2);
    expect(m.created_at_iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/);
  });

  it("dedupes by the normalised content hash: 200 success:false, content_hash null", async () => {
    const fx = await start();
    await json(fx, "/memories", { body: { content: "Remember this" } });
    const dup = await json(fx, "/memories", { body: { content: "  remember THIS\n", tags: ["other"] } });
    expect(dup.status).toBe(200);
    expect(dup.body).toEqual({ success: false, message: "Duplicate content detected", content_hash: null, memory: null });
    expect(fx.memories()).toHaveLength(1);
  });

  it("can answer duplicates with another server version's message", async () => {
    const fx = await start({ quirks: { duplicateMessage: "Duplicate content detected (exact match)" } });
    await json(fx, "/memories", { body: { content: "a" } });
    expect((await json(fx, "/memories", { body: { content: "a" } })).body.message).toBe("Duplicate content detected (exact match)");
  });

  it("adds an agent tag from X-Agent-ID", async () => {
    const fx = await start();
    const { body } = await json(fx, "/memories", { body: { content: "x", tags: ["t"] }, headers: { "x-agent-id": "claude" } });
    expect(body.memory.tags).toEqual(["t", "agent:claude"]);
  });

  it("validates the store body like FastAPI (422), and rejects malformed JSON before auth", async () => {
    const fx = await start();
    const missing = await json(fx, "/memories", { body: { tags: ["x"] } });
    expect(missing.status).toBe(422);
    expect(missing.body.detail[0]).toMatchObject({ type: "missing", loc: ["body", "content"], msg: "Field required" });
    const badTags = await json(fx, "/memories", { body: { content: "x", tags: "a,b" } });
    expect(badTags.status).toBe(422);
    expect(badTags.body.detail[0]).toMatchObject({ type: "list_type", loc: ["body", "tags"] });
    const broken = await json(fx, "/memories", { raw: '{"content":', auth: false });
    expect(broken.status).toBe(422);
    expect(broken.body.detail[0]).toMatchObject({ type: "json_invalid", msg: "JSON decode error" });
  });

  it("gets a memory by hash and answers 404 Memory not found", async () => {
    const fx = await start();
    const [hash] = await storeMany(fx, 1);
    const got = await json(fx, `/memories/${hash}`);
    expect(got.status).toBe(200);
    expect(got.body.content_hash).toBe(hash);
    const missing = await json(fx, `/memories/${"0".repeat(64)}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: "Memory not found" });
  });

  it("answers DELETE with 200 always; success:false when the memory did not exist", async () => {
    const fx = await start();
    const [hash] = await storeMany(fx, 1);
    const first = await json(fx, `/memories/${hash}`, { method: "DELETE" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ success: true, content_hash: hash });
    const again = await json(fx, `/memories/${hash}`, { method: "DELETE" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ success: false, message: `Memory with hash ${hash} not found`, content_hash: hash });
    expect((await call(fx, `/memories/${hash}`)).status).toBe(404);
    // Deleted content can be stored again.
    expect((await json(fx, "/memories", { body: { content: "memory number 0" } })).body.success).toBe(true);
  });

  it("can answer DELETE of a missing memory with 404 like the newest servers", async () => {
    const fx = await start({ quirks: { deleteMissingStatus: 404 } });
    const res = await json(fx, "/memories/abc", { method: "DELETE" });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: "Memory not found" });
  });

  it("updates with PUT: tags replaced, metadata merged, updated_at moved only by tags/type", async () => {
    const fx = await start();
    const stored = (await json(fx, "/memories", { body: { content: "c", tags: ["a"], metadata: { k1: 1, k2: 2 } } })).body.memory;
    const hash = stored.content_hash;

    const metaOnly = await json(fx, `/memories/${hash}`, { method: "PUT", body: { metadata: { k2: 20, k3: 3 } } });
    expect(metaOnly.status).toBe(200);
    expect(metaOnly.body).toMatchObject({ success: true, content_hash: hash, message: "Updated fields: custom_metadata, updated_at" });
    expect(metaOnly.body.memory.metadata).toEqual({ k1: 1, k2: 20, k3: 3 });
    expect(metaOnly.body.memory.updated_at).toBe(stored.updated_at);

    const retag = await json(fx, `/memories/${hash}`, { method: "PUT", body: { tags: ["b", "c"], memory_type: "note" } });
    expect(retag.body.memory).toMatchObject({ tags: ["b", "c"], memory_type: "note", created_at: stored.created_at });
    expect(retag.body.memory.updated_at).toBeGreaterThan(stored.updated_at);

    const none = await json(fx, `/memories/${hash}`, { method: "PUT", body: {} });
    expect(none.body.message).toBe("No updates provided - memory unchanged");

    const missing = await json(fx, "/memories/zzz", { method: "PUT", body: { tags: [] } });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: "Memory with hash zzz not found" });
  });

  it("lists newest first with paging, total and has_more", async () => {
    const fx = await start();
    await storeMany(fx, 25);
    const p1 = await json(fx, "/memories?page=1&page_size=10");
    expect(p1.body).toMatchObject({ total: 25, page: 1, page_size: 10, has_more: true });
    expect(p1.body.memories.map((m: any) => m.content).slice(0, 2)).toEqual(["memory number 24", "memory number 23"]);
    const p3 = await json(fx, "/memories?page=3&page_size=10");
    expect(p3.body.memories).toHaveLength(5);
    expect(p3.body.has_more).toBe(false);
    expect(p3.body.memories.at(-1).content).toBe("memory number 0");
    const defaults = await json(fx, "/memories");
    expect(defaults.body).toMatchObject({ page: 1, page_size: 10 });
    const tooBig = await json(fx, "/memories?page_size=101");
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.detail[0]).toMatchObject({ type: "less_than_equal", loc: ["query", "page_size"] });
  });

  it("filters the list by tag (comma list, any by default, all on request, ASCII case-insensitive) and memory_type", async () => {
    const fx = await start();
    fx.seed({ content: "one", tags: ["red"], memory_type: "note" });
    fx.seed({ content: "two", tags: ["red", "blue"], memory_type: "fact" });
    fx.seed({ content: "three", tags: ["Blue"] });
    const contents = async (q: string) => (await json(fx, `/memories?${q}`)).body.memories.map((m: any) => m.content).sort();
    expect(await contents("tag=red")).toEqual(["one", "two"]);
    expect(await contents("tag=red,blue")).toEqual(["one", "three", "two"]);
    expect(await contents("tag=red,blue&tag_match=all")).toEqual(["two"]);
    expect(await contents("tag=BLUE")).toEqual(["three", "two"]);
    expect(await contents("memory_type=fact")).toEqual(["two"]);
    expect(await contents("tag=red&memory_type=note")).toEqual(["one"]);
    expect((await json(fx, "/memories?tag=red,blue&tag_match=all")).body.total).toBe(1);
    // The service reads any tag_match other than "all" as "any".
    expect(await contents("tag=red,blue&tag_match=bogus")).toEqual(["one", "three", "two"]);
  });

  it("pages a single-tag filter newest first", async () => {
    const fx = await start();
    await storeMany(fx, 30, (i) => (i % 2 === 0 ? ["even"] : ["odd"]));
    const page2 = await json(fx, "/memories?tag=even&page=2&page_size=4");
    expect(page2.body).toMatchObject({ total: 15, page: 2, page_size: 4, has_more: true });
    expect(page2.body.memories.map((m: any) => m.content)).toEqual([
      "memory number 20",
      "memory number 18",
      "memory number 16",
      "memory number 14",
    ]);
    const last = await json(fx, "/memories?tag=even&page=4&page_size=4");
    expect(last.body.memories.map((m: any) => m.content)).toEqual(["memory number 4", "memory number 2", "memory number 0"]);
    expect(last.body.has_more).toBe(false);
    expect((await json(fx, "/memories?tag=even&page=9&page_size=4")).body.memories).toEqual([]);
  });
});

describe("mcp-memory-service fixture: search", () => {
  it("returns the search envelope, best match first, scores in [0,1]", async () => {
    const fx = await start();
    fx.seed({ content: "cats like warm windows" });
    fx.seed({ content: "the deploy uses blue green releases" });
    fx.seed({ content: "cats and dogs" });
    const { status, body } = await json(fx, "/search", { body: { query: "cats warm" } });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["processing_time_ms", "query", "results", "search_type", "total_found"]);
    expect(body).toMatchObject({ query: "cats warm", search_type: "semantic", total_found: 3 });
    const results = body.results as { memory: any; similarity_score: number; relevance_reason: string | null }[];
    expect(results[0]!.memory.content).toBe("cats like warm windows");
    expect(results[1]!.memory.content).toBe("cats and dogs");
    for (let i = 0; i < results.length; i++) {
      expect(results[i]!.similarity_score).toBeGreaterThanOrEqual(0);
      expect(results[i]!.similarity_score).toBeLessThanOrEqual(1);
      if (i > 0) expect(results[i]!.similarity_score).toBeLessThanOrEqual(results[i - 1]!.similarity_score);
    }
    expect(results[0]!.relevance_reason).toMatch(/^Semantic similarity: \d\.\d{3}$/);
    expect(results[2]!.similarity_score).toBe(0);
    expect(results[2]!.relevance_reason).toBeNull();
  });

  it("orders equal scores newest first", async () => {
    const fx = await start();
    fx.seed({ content: "alpha one", created_at: 100 });
    fx.seed({ content: "alpha two", created_at: 300 });
    fx.seed({ content: "alpha three", created_at: 200 });
    const { body } = await json(fx, "/search", { body: { query: "alpha", n_results: 2 } });
    expect(body.results.map((r: any) => r.memory.content)).toEqual(["alpha two", "alpha three"]);
  });

  it("scores an identical text 1", async () => {
    const fx = await start();
    fx.seed({ content: "exactly these words" });
    const { body } = await json(fx, "/search", { body: { query: "Exactly these words" } });
    expect(body.results[0].similarity_score).toBe(1);
  });

  it("honours n_results (default 10) and similarity_threshold", async () => {
    const fx = await start();
    for (let i = 0; i < 15; i++) fx.seed({ content: `note ${i} about apples` });
    fx.seed({ content: "unrelated pears" });
    expect((await json(fx, "/search", { body: { query: "apples" } })).body.results).toHaveLength(10);
    expect((await json(fx, "/search", { body: { query: "apples", n_results: 3 } })).body.results).toHaveLength(3);
    const all = await json(fx, "/search", { body: { query: "pears", n_results: 100, similarity_threshold: 0.1 } });
    expect(all.body.results.map((r: any) => r.memory.content)).toEqual(["unrelated pears"]);
  });

  it("validates the search body (422 FastAPI style)", async () => {
    const fx = await start();
    for (const bad of [{}, { query: "x", n_results: 0 }, { query: "x", n_results: 101 }, { query: "x", similarity_threshold: 2 }, { query: 5 }]) {
      const res = await json(fx, "/search", { body: bad });
      expect(res.status).toBe(422);
      expect(Array.isArray(res.body.detail)).toBe(true);
      expect(res.body.detail[0].loc[0]).toBe("body");
    }
    expect((await json(fx, "/search", { body: { query: "x", n_results: "5" } })).status).toBe(200);
    expect((await json(fx, "/search", { body: [] })).body.detail[0].type).toBe("model_attributes_type");
  });

  it("searches by tag: 400 on empty tags, any/all, limit, newest first", async () => {
    const fx = await start();
    fx.seed({ content: "old", tags: ["a"], created_at: 1_000 });
    fx.seed({ content: "mid", tags: ["a", "b"], created_at: 2_000 });
    fx.seed({ content: "new", tags: ["b"], created_at: 3_000 });
    const empty = await json(fx, "/search/by-tag", { body: { tags: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ detail: "At least one tag must be specified" });
    const any = await json(fx, "/search/by-tag", { body: { tags: ["a", "b"] } });
    expect(any.body).toMatchObject({ search_type: "tag", total_found: 3, query: "Tags: a, b (ANY)" });
    expect(any.body.results.map((r: any) => r.memory.content)).toEqual(["new", "mid", "old"]);
    expect(any.body.results[0]).toMatchObject({ similarity_score: null, relevance_reason: "Tags match (ANY): b" });
    const all = await json(fx, "/search/by-tag", { body: { tags: ["a", "b"], match_all: true } });
    expect(all.body.results.map((r: any) => r.memory.content)).toEqual(["mid"]);
    const limited = await json(fx, "/search/by-tag", { body: { tags: ["a", "b"], limit: 1 } });
    expect(limited.body.results).toHaveLength(1);
    expect(limited.body.total_found).toBe(3);
    const recent = await json(fx, "/search/by-tag", { body: { tags: ["a", "b"], time_filter: "last 7 days" } });
    expect(recent.body.total_found).toBe(0);
  });
});

describe("mcp-memory-service fixture: fault injection", () => {
  it("answers an injected 503 once, without storing, then recovers", async () => {
    const fx = await start();
    const fault = fx.inject({ status: 503, method: "POST", path: "/memories" });
    const first = await call(fx, "/memories", { body: { content: "x" } });
    expect(first.status).toBe(503);
    await first.text();
    expect(fx.memories()).toHaveLength(0);
    expect(fault.hits).toBe(1);
    expect(fault.remaining).toBe(0);
    expect((await json(fx, "/memories", { body: { content: "x" } })).body.success).toBe(true);
  });

  it("repeats a fault N times and only for matching requests", async () => {
    const fx = await start();
    fx.inject({ status: 502, times: 2, path: "/search" });
    expect((await call(fx, "/memories")).status).toBe(200);
    expect((await call(fx, "/search", { body: { query: "q" } })).status).toBe(502);
    expect((await call(fx, "/search", { body: { query: "q" } })).status).toBe(502);
    expect((await call(fx, "/search", { body: { query: "q" } })).status).toBe(200);
  });

  it("sends custom bodies and the service's own 500 body", async () => {
    const fx = await start();
    fx.inject({ status: 500, path: "/memories", method: "POST" });
    fx.inject({ status: 504, body: { detail: "gateway" } });
    const err = await json(fx, "/memories", { body: { content: "y" } });
    expect(err).toMatchObject({ status: 500, body: { detail: "Failed to store memory. Please try again." } });
    expect((await json(fx, "/memories")).body).toEqual({ detail: "gateway" });
  });

  it("answers 429 with Retry-After", async () => {
    const fx = await start();
    fx.inject({ status: 429, retryAfterSeconds: 7 });
    const res = await call(fx, "/memories");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    await res.text();
  });

  it("resets before the body: the request fails and nothing is stored", async () => {
    const fx = await start();
    fx.inject({ reset: "before-body", method: "POST" });
    await expect(call(fx, "/memories", { body: { content: "lost" } })).rejects.toThrow();
    expect(fx.memories()).toHaveLength(0);
    expect(fx.requests).toHaveLength(1);
    expect(fx.requests[0]!.body).toBeUndefined();
  });

  it("resets after the body: the request fails but the memory IS stored", async () => {
    const fx = await start();
    fx.inject({ reset: "after-body", method: "POST", path: "/memories" });
    await expect(call(fx, "/memories", { body: { content: "kept" } })).rejects.toThrow();
    expect(fx.memories().map((m) => m.content)).toEqual(["kept"]);
    const retry = await json(fx, "/memories", { body: { content: "kept" } });
    expect(retry.body).toMatchObject({ success: false, message: "Duplicate content detected" });
  });

  it("answers late with delayMs", async () => {
    const fx = await start();
    fx.inject({ delayMs: 150 });
    const t0 = performance.now();
    const res = await call(fx, "/health", { auth: false });
    expect(res.status).toBe(200);
    await res.text();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("does not hang on close while a delayed answer is pending", async () => {
    const fx = await start();
    fx.inject({ delayMs: 60_000 });
    const pending = call(fx, "/memories", { body: { content: "slow" } });
    pending.catch(() => undefined);
    for (let i = 0; i < 100 && fx.memories().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fx.memories()).toHaveLength(1);
    const t0 = performance.now();
    await fx.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    await expect(pending).rejects.toThrow();
  });

  it("answers 200 with malformed JSON after processing", async () => {
    const fx = await start();
    fx.inject({ malformedJson: true, method: "POST" });
    const res = await call(fx, "/memories", { body: { content: "garbled" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    await expect(res.json()).rejects.toThrow();
    expect(fx.memories()).toHaveLength(1);
  });

  it("cancels and clears faults", async () => {
    const fx = await start();
    fx.inject({ status: 503 }).cancel();
    fx.inject({ status: 503, times: Infinity });
    expect((await call(fx, "/health")).status).toBe(503);
    fx.clearFaults();
    expect((await call(fx, "/health")).status).toBe(200);
  });
});

describe("mcp-memory-service fixture: recording, state and lifecycle", () => {
  it("records method, path, query, lower-cased headers, parsed body and time", async () => {
    const fx = await start();
    const before = Date.now();
    await call(fx, "/memories?page=2&tag=a", { headers: { "X-Custom-Thing": "yes" } });
    await call(fx, "/memories", { body: { content: "rec" } });
    const [list, store] = fx.requests;
    expect(list).toMatchObject({ method: "GET", path: "/api/memories", query: { page: "2", tag: "a" }, body: undefined });
    expect(list!.headers["x-custom-thing"]).toBe("yes");
    expect(list!.headers.authorization).toBe(`Bearer ${fx.token}`);
    expect(list!.at).toBeGreaterThanOrEqual(before);
    expect(store).toMatchObject({ method: "POST", path: "/api/memories", body: { content: "rec" } });
    fx.clearRequests();
    expect(fx.requests).toHaveLength(0);
  });

  it("keeps at most maxRecordedRequests", async () => {
    const fx = await start({ maxRecordedRequests: 3 });
    for (let i = 0; i < 5; i++) await (await call(fx, `/health?i=${i}`)).text();
    expect(fx.requests.map((r) => r.query.i)).toEqual(["2", "3", "4"]);
  });

  it("seeds, snapshots and resets", async () => {
    const fx = await start();
    const seeded = fx.seed({ content: "Seeded", tags: ["s"], metadata: { a: 1 } });
    expect(seeded.content_hash).toBe(sha256("seeded"));
    const snap = fx.memories();
    snap[0]!.tags.push("mutated");
    expect(fx.memories()[0]!.tags).toEqual(["s"]);
    expect((await json(fx, `/memories/${seeded.content_hash}`)).body.metadata).toEqual({ a: 1 });
    fx.inject({ status: 503 });
    fx.reset();
    expect(fx.memories()).toHaveLength(0);
    expect((await call(fx, "/health")).status).toBe(200);
  });

  it("stops (connection refused) and restarts on the same port with its state", async () => {
    const fx = await start();
    await storeMany(fx, 1);
    await fx.stop();
    expect(fx.listening).toBe(false);
    await expect(fetch(`${fx.url}/health`)).rejects.toThrow();
    await fx.restart();
    expect(fx.listening).toBe(true);
    expect((await json(fx, "/memories")).body.total).toBe(1);
  });

  it("runs standalone: prints one JSON line, serves, exits on SIGTERM and on stdin close", async () => {
    for (const ending of ["sigterm", "stdin"] as const) {
      const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/memory-service/main.ts", "--token", "tok"], {
        stdio: ["pipe", "pipe", "inherit"],
      });
      try {
        const lines = createInterface({ input: child.stdout! });
        const [line] = (await once(lines, "line")) as [string];
        const info = JSON.parse(line) as { url: string; token: string };
        expect(info.token).toBe("tok");
        expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
        const res = await fetch(`${info.url}/memories`, { headers: { "x-api-key": "tok" } });
        expect(res.status).toBe(200);
        await res.text();
        const exited = once(child, "exit");
        if (ending === "sigterm") child.kill("SIGTERM");
        else child.stdin!.end();
        const [code] = (await exited) as [number | null];
        expect(code).toBe(0);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    }
  });
});
