/**
 * The mcp-memory-service backend against the real-HTTP fixture (in-process, 127.0.0.1 only).
 * Every test checks the canonical result AND what went over the wire (fixture.requests).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AmbiguousStoreError,
  DuplicateElsewhereError,
  InvalidMemoryIdError,
  MemoryNotFoundError,
  UnsupportedArgumentError,
  WrongProjectError,
} from "../../src/backends/errors.js";
import { createMcpMemoryServiceBackend } from "../../src/backends/mcp-memory-service.js";
import type { CallContext, MemoryBackend } from "../../src/backends/types.js";
import { createHttpClient } from "../../src/http/client.js";
import { AuthError, ServerError } from "../../src/http/errors.js";
import type { HttpClient } from "../../src/http/types.js";
import { explain } from "../../src/mcp/error-words.js";
import {
  contentHash,
  createMemoryServiceFixture,
  type MemoryServiceFixture,
  type MemoryServiceFixtureOptions,
  type RecordedRequest,
  type StoredMemory,
} from "../fixtures/memory-service/index.js";
import { cosine, termVector } from "../fixtures/memory-service/text-similarity.js";
import { ctx, GLOBAL, OTHER, OTHER_TAG, PROJECT, TAG } from "./memory-service-projects.js";
import { WORDS } from "../helpers/words.js";

const WRONG_TOKEN = "wrong-token-ABCDEFGH12345678";

let fixture: MemoryServiceFixture;
let http: HttpClient;
let backend: MemoryBackend;
const extraClients: HttpClient[] = [];
const extraFixtures: MemoryServiceFixture[] = [];

function clientFor(fx: MemoryServiceFixture, token: string | null): HttpClient {
  const client = createHttpClient({
    endpoint: fx.url,
    ...(token === null ? {} : { auth: { header: "authorization", value: `Bearer ${token}` } }),
  });
  return client;
}

function backendFor(fx: MemoryServiceFixture, token: string | null): MemoryBackend {
  const client = clientFor(fx, token);
  extraClients.push(client);
  return createMcpMemoryServiceBackend({ http: client });
}

async function startFixture(options?: MemoryServiceFixtureOptions): Promise<MemoryServiceFixture> {
  const fx = await createMemoryServiceFixture(options);
  extraFixtures.push(fx);
  return fx;
}


/** Recorded requests with this method whose path (below /api) matches. */
function sent(method: string, path?: string | RegExp): RecordedRequest[] {
  return fixture.requests.filter((r) => {
    if (r.method !== method) return false;
    if (path === undefined) return true;
    const below = r.path.replace(/^\/api/, "");
    return typeof path === "string" ? below === path : path.test(below);
  });
}

function only(method: string, path?: string | RegExp): RecordedRequest {
  const found = sent(method, path);
  expect(found, `exactly one ${method} ${String(path ?? "")}`).toHaveLength(1);
  return found[0]!;
}

function bodyOf(req: RecordedRequest): Record<string, unknown> {
  expect(typeof req.body).toBe("object");
  return req.body as Record<string, unknown>;
}

function stored(id: string): StoredMemory | undefined {
  return fixture.memories().find((m) => m.content_hash === id);
}

function sorted(tags: readonly string[]): string[] {
  return [...tags].sort();
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Polls (bounded) until `check` holds. */
async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeEach(async () => {
  fixture = await createMemoryServiceFixture({ version: "9.8.7-fixture" });
  http = clientFor(fixture, fixture.token);
  backend = createMcpMemoryServiceBackend({ http });
});

afterEach(async () => {
  await Promise.all(extraClients.splice(0).map((c) => c.close().catch(() => undefined)));
  await http.close().catch(() => undefined);
  await fixture.close();
  await Promise.all(extraFixtures.splice(0).map((fx) => fx.close()));
});

describe("auth header on the wire", () => {
  it("sends `Authorization: Bearer <token>` on every API call, and none to the public /health", async () => {
    fixture.seed({ content: "seeded", tags: [TAG] });
    const { id } = await backend.store({ content: "hello there" }, ctx());
    await backend.search({ query: "hello", limit: 5, scope: "project" }, ctx());
    await backend.list({ page: 1, page_size: 10 }, ctx());
    await backend.get(id, ctx());
    await backend.update({ id, tags: ["t"] }, ctx());
    await backend.delete(id, ctx());
    await backend.status(ctx());

    const api = fixture.requests.filter((r) => r.path !== "/api/health");
    expect(api.length).toBeGreaterThanOrEqual(8);
    for (const req of api) expect(req.headers.authorization, `${req.method} ${req.path}`).toBe(`Bearer ${fixture.token}`);
    const health = only("GET", "/health");
    expect(health.headers.authorization).toBeUndefined();
  });
});

describe("store", () => {
  it("sends content, the user's tags (deduplicated) plus proj:<id>, memory_type and metadata; returns the content hash", async () => {
    const content = "The app deploys with docker compose";
    const result = await backend.store(
      { content, tags: ["ops", "deploy", "ops"], type: "decision", metadata: { source: "chat", n: 2 } },
      ctx(),
    );

    expect(result).toEqual({ id: contentHash(content), deduplicated: false });
    const req = only("POST", "/memories");
    const body = bodyOf(req);
    expect(body.content).toBe(content);
    expect(sorted(body.tags as string[])).toEqual(sorted(["ops", "deploy", TAG]));
    expect(body.memory_type).toBe("decision");
    expect(body.metadata).toEqual({ source: "chat", n: 2 });
    expect(req.headers.authorization).toBe(`Bearer ${fixture.token}`);

    const all = fixture.memories();
    expect(all).toHaveLength(1);
    expect(all[0]!.content_hash).toBe(result.id);
    expect(sorted(all[0]!.tags)).toEqual(sorted(["ops", "deploy", TAG]));
    expect(all[0]!.memory_type).toBe("decision");
  });

  it("without type or metadata sends no memory_type and stores memory_type null", async () => {
    await backend.store({ content: "plain" }, ctx());
    const body = bodyOf(only("POST", "/memories"));
    expect(body.tags).toEqual([TAG]);
    expect(body.memory_type ?? null).toBeNull();
    expect(fixture.memories()[0]!.memory_type).toBeNull();
  });

  it("identical content stored again is deduplicated: same id, one record, no tag change needed", async () => {
    const first = await backend.store({ content: "Use pnpm, not npm", tags: ["tooling"] }, ctx());
    fixture.clearRequests();
    const again = await backend.store({ content: "Use pnpm, not npm", tags: ["tooling"] }, ctx());

    expect(again).toEqual({ id: first.id, deduplicated: true });
    expect(fixture.memories()).toHaveLength(1);
    expect(sent("POST", "/memories")).toHaveLength(1);
    // Already tagged with this project: no PUT needed.
    expect(sent("PUT")).toHaveLength(0);
  });

  it("content that differs only in case and surrounding whitespace is the same memory (server's hash)", async () => {
    const first = await backend.store({ content: "Use pnpm, not npm" }, ctx());
    const again = await backend.store({ content: "  use PNPM, not npm\n" }, ctx());
    expect(again).toEqual({ id: first.id, deduplicated: true });
    expect(fixture.memories()).toHaveLength(1);
  });

  it("identical content (even in other case) from another project is not pulled into this one: an error names it", async () => {
    const earlier = await backend.store({ content: "Use tabs for indentation in this repo.", tags: ["style"] }, ctx(OTHER));
    expect(earlier.deduplicated).toBe(false);
    fixture.clearRequests();

    const attempt = backend.store({ content: "use tabs for indentation in this repo.", tags: ["b-only"] }, ctx(PROJECT));
    await expect(attempt).rejects.toThrow(DuplicateElsewhereError);
    await expect(attempt).rejects.toThrow(new RegExp(`already exists as memory ${earlier.id} in another project`));

    // The other project's record is untouched, and this project still cannot reach it.
    expect(fixture.requests.filter((r) => r.method === "PUT")).toHaveLength(0);
    expect(sorted(fixture.memories()[0]!.tags)).toEqual(sorted([OTHER_TAG, "style"]));
    await expect(backend.delete(earlier.id, ctx(PROJECT))).rejects.toThrow(WrongProjectError);
    expect(fixture.memories()).toHaveLength(1);
  });

  it("identical content already in this project: deduplicated, and the new tags are added", async () => {
    const earlier = await backend.store({ content: "Deploy on Tuesdays", tags: ["ops"] }, ctx(PROJECT));
    const again = await backend.store({ content: "deploy on tuesdays", tags: ["release"] }, ctx(PROJECT));
    expect(again).toEqual({ id: earlier.id, deduplicated: true });
    expect(sorted(fixture.memories()[0]!.tags)).toEqual(sorted([TAG, "ops", "release"]));
  });

  // On a duplicate the server answers content_hash:null, so the bridge computes the id the way Python's
  // str.strip().lower() would: JS trim() strips U+FEFF, which Python keeps.
  it("duplicate content starting with a BOM returns the server's own id", async () => {
    const content = "\uFEFFNotes pasted from a file with a byte order mark";
    const earlier = fixture.seed({ content, tags: [TAG] });

    const result = await backend.store({ content, tags: ["pasted"] }, ctx(PROJECT));

    expect(result).toEqual({ id: earlier.content_hash, deduplicated: true });
    expect(fixture.memories()).toHaveLength(1);
    expect(fixture.memories()[0]!.tags).toEqual(expect.arrayContaining([TAG, "pasted"]));
  });

  it("global mode adds no proj tag", async () => {
    const result = await backend.store({ content: "team fact", tags: ["team", "team"] }, ctx(GLOBAL));
    expect(result.deduplicated).toBe(false);
    const body = bodyOf(only("POST", "/memories"));
    expect(body.tags).toEqual(["team"]);
    expect(fixture.memories()[0]!.tags).toEqual(["team"]);
  });

  it("global mode: a duplicate of a project's record is reported deduplicated without re-tagging it", async () => {
    const earlier = await backend.store({ content: "project fact" }, ctx(PROJECT));
    fixture.clearRequests();
    const result = await backend.store({ content: "project fact" }, ctx(GLOBAL));
    expect(result).toEqual({ id: earlier.id, deduplicated: true });
    expect(sent("PUT")).toHaveLength(0);
    expect(fixture.memories()[0]!.tags).toEqual([TAG]);
  });
});

describe("store retry semantics", () => {
  it("503 twice, then success: stored once, not deduplicated", async () => {
    fixture.inject({ status: 503, times: 2, method: "POST", path: "/memories" });
    const result = await backend.store({ content: "retry me" }, ctx());
    expect(result).toEqual({ id: contentHash("retry me"), deduplicated: false });
    expect(sent("POST", "/memories")).toHaveLength(3);
    expect(fixture.memories()).toHaveLength(1);
  });

  it("connection reset after the server stored it: the retry finds its own write (deduplicated), one record", async () => {
    fixture.inject({ reset: "after-body", method: "POST", path: "/memories" });
    const result = await backend.store({ content: "written then reset", tags: ["x"] }, ctx());
    expect(result).toEqual({ id: contentHash("written then reset"), deduplicated: true });
    expect(sent("POST", "/memories")).toHaveLength(2);
    const all = fixture.memories();
    expect(all).toHaveLength(1);
    expect(sorted(all[0]!.tags)).toEqual(sorted(["x", TAG]));
  });

  it("every attempt reset after processing: AmbiguousStoreError saying a retry is safe (and it was in fact stored)", async () => {
    fixture.inject({ reset: "after-body", method: "POST", path: "/memories", times: 10 });
    const error = await rejection(backend.store({ content: "lost answers" }, ctx()));
    expect(error).toBeInstanceOf(AmbiguousStoreError);
    expect(error.message).toContain("may or may not have been stored");
    expect(error.message).toContain("Storing it again is safe");
    expect(error.message).not.toContain(fixture.token!);
    expect(fixture.memories()).toHaveLength(1);
  });

  it("deadline passes while the server is answering a store: AmbiguousStoreError", async () => {
    fixture.inject({ delayMs: 2000, method: "POST", path: "/memories" });
    const short: CallContext = { ...ctx(), deadline: Date.now() + 300 };
    const error = await rejection(backend.store({ content: "slow store" }, short));
    expect(error).toBeInstanceOf(AmbiguousStoreError);
    expect(error.message).toContain("may or may not have been stored");
    expect(fixture.memories()).toHaveLength(1);
  });

  it("500 with the service's detail: fails with a message carrying that detail, stores nothing", async () => {
    fixture.inject({ status: 500, body: { detail: "Failed to store memory. Please try again." }, method: "POST", path: "/memories" });
    const error = await rejection(backend.store({ content: "will fail" }, ctx()));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toContain("Failed to store memory. Please try again.");
    expect(error.message).not.toContain(fixture.token!);
    expect(fixture.memories()).toHaveLength(0);
  });
});

describe("search", () => {
  let mine: StoredMemory[];
  let theirs: StoredMemory[];
  let untagged: StoredMemory;

  beforeEach(() => {
    const t0 = 1_700_000_000;
    mine = [
      fixture.seed({ content: "deploy the app with docker compose", tags: [TAG, "ops"], created_at: t0 + 1 }),
      fixture.seed({ content: "the app database is postgres", tags: [TAG, "db"], memory_type: "fact", created_at: t0 + 2 }),
      fixture.seed({ content: "deploy checklist for the app docker image", tags: [TAG, "ops", "draft"], created_at: t0 + 3 }),
    ];
    theirs = [
      fixture.seed({ content: "deploy the other app with docker swarm", tags: [OTHER_TAG, "ops"], created_at: t0 + 4 }),
      fixture.seed({ content: "other app database is mysql", tags: [OTHER_TAG], created_at: t0 + 5 }),
    ];
    untagged = fixture.seed({ content: "deploy app docker global note", tags: ["ops"], created_at: t0 + 6 });
    fixture.clearRequests();
  });

  function expectedScore(query: string, content: string): number {
    return cosine(termVector(query), termVector(content));
  }

  it("project scope keeps only records tagged proj:<id>, over-fetching n_results 100", async () => {
    const query = "deploy app docker";
    const results = await backend.search({ query, limit: 10, scope: "project" }, ctx());

    const req = only("POST", "/search");
    expect(bodyOf(req)).toMatchObject({ query, n_results: 100 });
    expect(req.headers.authorization).toBe(`Bearer ${fixture.token}`);

    expect(sorted(results.map((m) => m.id))).toEqual(sorted(mine.map((m) => m.content_hash)));
    // Best first, scores are the server's similarity_score.
    for (const m of results) {
      const record = mine.find((r) => r.content_hash === m.id)!;
      expect(m.content).toBe(record.content);
      expect(m.score).toBeCloseTo(expectedScore(query, record.content), 10);
    }
    const scores = results.map((m) => m.score!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // The project's own tag is hidden; other tags are kept.
    for (const m of results) expect(m.tags).not.toContain(TAG);
    const checklist = results.find((m) => m.id === mine[2]!.content_hash)!;
    expect(sorted(checklist.tags)).toEqual(["draft", "ops"]);
    const db = results.find((m) => m.id === mine[1]!.content_hash)!;
    expect(db.type).toBe("fact");
    expect(db.created_at).toBe(new Date((1_700_000_000 + 2) * 1000).toISOString());
  });

  it("respects limit after filtering", async () => {
    const query = "deploy app docker";
    const results = await backend.search({ query, limit: 1, scope: "project" }, ctx());
    expect(results).toHaveLength(1);
    expect(bodyOf(only("POST", "/search")).n_results).toBe(100);
    const best = [...mine].sort((a, b) => expectedScore(query, b.content) - expectedScore(query, a.content))[0]!;
    expect(results[0]!.id).toBe(best.content_hash);
  });

  it("tags must all match", async () => {
    const both = await backend.search({ query: "deploy app docker", limit: 10, scope: "project", tags: ["ops", "draft"] }, ctx());
    expect(both.map((m) => m.id)).toEqual([mine[2]!.content_hash]);

    const ops = await backend.search({ query: "deploy app docker", limit: 10, scope: "project", tags: ["ops"] }, ctx());
    expect(sorted(ops.map((m) => m.id))).toEqual(sorted([mine[0]!.content_hash, mine[2]!.content_hash]));

    const none = await backend.search({ query: "deploy app docker", limit: 10, scope: "project", tags: ["ops", "db"] }, ctx());
    expect(none).toEqual([]);
  });

  it('scope "all" returns every project\'s records, hiding only the current project\'s tag', async () => {
    const results = await backend.search({ query: "deploy app docker database", limit: 10, scope: "all" }, ctx());
    expect(bodyOf(only("POST", "/search")).n_results).toBe(10);
    const everything = [...mine, ...theirs, untagged].map((m) => m.content_hash);
    expect(sorted(results.map((m) => m.id))).toEqual(sorted(everything));
    const other = results.find((m) => m.id === theirs[0]!.content_hash)!;
    expect(sorted(other.tags)).toEqual(sorted(["ops", OTHER_TAG]));
    for (const m of results) expect(m.tags).not.toContain(TAG);
  });

  it('scope "all" with tags filters by tags only, over-fetching', async () => {
    const results = await backend.search({ query: "deploy app docker", limit: 10, scope: "all", tags: ["ops"] }, ctx());
    expect(bodyOf(only("POST", "/search")).n_results).toBe(100);
    const expected = [mine[0]!, mine[2]!, theirs[0]!, untagged].map((m) => m.content_hash);
    expect(sorted(results.map((m) => m.id))).toEqual(sorted(expected));
  });

  it("global mode: no project filter, n_results = limit, proj tags visible", async () => {
    const results = await backend.search({ query: "deploy app docker", limit: 3, scope: "project" }, ctx(GLOBAL));
    expect(bodyOf(only("POST", "/search")).n_results).toBe(3);
    expect(results).toHaveLength(3);
    const mineResult = results.find((m) => mine.some((r) => r.content_hash === m.id));
    if (mineResult) expect(mineResult.tags).toContain(TAG);
  });

  it("no match in the project gives an empty list", async () => {
    const results = await backend.search({ query: "mysql", limit: 5, scope: "project" }, ctx({ ...PROJECT, id: "project_empty_00000000" }));
    expect(results).toEqual([]);
  });
});

describe("list", () => {
  let mine: StoredMemory[];

  beforeEach(() => {
    const t0 = 1_700_000_000;
    mine = [
      fixture.seed({ content: "first", tags: [TAG, "ops"], created_at: t0 + 1 }),
      fixture.seed({ content: "second", tags: [TAG], created_at: t0 + 2 }),
      fixture.seed({ content: "third", tags: [TAG, "ops", "db"], created_at: t0 + 3 }),
    ];
    fixture.seed({ content: "theirs one", tags: [OTHER_TAG, "ops"], created_at: t0 + 4 });
    fixture.seed({ content: "theirs two", tags: [OTHER_TAG], created_at: t0 + 5 });
    fixture.seed({ content: "untagged", tags: [], created_at: t0 + 6 });
    fixture.clearRequests();
  });

  it("asks for tag=proj:<id> with tag_match=all and the page, newest first, has_more/total mapped", async () => {
    const page1 = await backend.list({ page: 1, page_size: 2 }, ctx());
    const req = only("GET", "/memories");
    expect(req.query).toEqual({ page: "1", page_size: "2", tag: TAG, tag_match: "all" });
    expect(req.headers.authorization).toBe(`Bearer ${fixture.token}`);
    expect(page1.memories.map((m) => m.content)).toEqual(["third", "second"]);
    expect(page1.has_more).toBe(true);
    expect(page1.total).toBe(3);
    for (const m of page1.memories) expect(m.tags).not.toContain(TAG);
    expect(sorted(page1.memories[0]!.tags)).toEqual(["db", "ops"]);

    fixture.clearRequests();
    const page2 = await backend.list({ page: 2, page_size: 2 }, ctx());
    expect(only("GET", "/memories").query).toMatchObject({ page: "2", page_size: "2" });
    expect(page2.memories.map((m) => m.id)).toEqual([mine[0]!.content_hash]);
    expect(page2.has_more).toBe(false);
    expect(page2.total).toBe(3);
  });

  it("user tags are comma-joined after the project tag, all must match", async () => {
    const result = await backend.list({ page: 1, page_size: 20, tags: ["ops", "db"] }, ctx());
    const query = only("GET", "/memories").query;
    expect(query.tag_match).toBe("all");
    expect(sorted(query.tag!.split(","))).toEqual(sorted([TAG, "ops", "db"]));
    expect(result.memories.map((m) => m.content)).toEqual(["third"]);
    expect(result.total).toBe(1);
    expect(result.has_more).toBe(false);
  });

  it("global mode sends no tag param and lists everything", async () => {
    const result = await backend.list({ page: 1, page_size: 20 }, ctx(GLOBAL));
    const query = only("GET", "/memories").query;
    expect(query).toEqual({ page: "1", page_size: "20" });
    expect(result.memories.map((m) => m.content)).toEqual(["untagged", "theirs two", "theirs one", "third", "second", "first"]);
    expect(result.total).toBe(6);
    expect(result.has_more).toBe(false);
    // Global mode hides nothing.
    expect(result.memories[3]!.tags).toContain(TAG);
  });

  it("global mode with tags filters by them only", async () => {
    const result = await backend.list({ page: 1, page_size: 20, tags: ["ops"] }, ctx(GLOBAL));
    expect(only("GET", "/memories").query).toEqual({ page: "1", page_size: "20", tag: "ops", tag_match: "all" });
    expect(result.memories.map((m) => m.content)).toEqual(["theirs one", "third", "first"]);
  });

  it("an empty project lists nothing", async () => {
    const result = await backend.list({ page: 1, page_size: 20 }, ctx({ ...PROJECT, id: "project_empty_00000000" }));
    expect(result).toEqual({ memories: [], has_more: false, total: 0 });
  });
});

describe("get", () => {
  it("maps every field", async () => {
    const seeded = fixture.seed({
      content: "The API base path is /api",
      tags: [TAG, "api", OTHER_TAG],
      memory_type: "fact",
      metadata: { source: "readme", line: 12 },
      created_at: 1_700_000_000.5,
      updated_at: 1_700_000_100.25,
    });
    fixture.clearRequests();

    const memory = await backend.get(seeded.content_hash, ctx());

    expect(memory).toEqual({
      id: seeded.content_hash,
      content: "The API base path is /api",
      tags: ["api", OTHER_TAG],
      type: "fact",
      metadata: { source: "readme", line: 12 },
      created_at: "2023-11-14T22:13:20.500Z",
      updated_at: "2023-11-14T22:15:00.250Z",
    });
    const req = only("GET", `/memories/${seeded.content_hash}`);
    expect(req.headers.authorization).toBe(`Bearer ${fixture.token}`);
  });

  it("a record without type or metadata has no such keys", async () => {
    const seeded = fixture.seed({ content: "bare", tags: [TAG] });
    const memory = await backend.get(seeded.content_hash, ctx());
    expect(Object.keys(memory).sort()).toEqual(["content", "created_at", "id", "tags", "updated_at"]);
    expect(memory.tags).toEqual([]);
  });

  it("404 → MemoryNotFoundError `Memory <id> not found`", async () => {
    const id = contentHash("never stored");
    const error = await rejection(backend.get(id, ctx()));
    expect(error).toBeInstanceOf(MemoryNotFoundError);
    expect(error.message).toBe(`Memory ${id} not found`);
    expect(only("GET", `/memories/${id}`)).toBeDefined();
  });

  it("another project's record → WrongProjectError", async () => {
    const seeded = fixture.seed({ content: "theirs", tags: [OTHER_TAG] });
    const error = await rejection(backend.get(seeded.content_hash, ctx()));
    expect(error).toBeInstanceOf(WrongProjectError);
    expect(error.message).toBe(`Memory ${seeded.content_hash} belongs to another project`);
  });

  it("an untagged record → WrongProjectError in project mode", async () => {
    const seeded = fixture.seed({ content: "nobody's" });
    await expect(backend.get(seeded.content_hash, ctx())).rejects.toBeInstanceOf(WrongProjectError);
  });

  it("global mode can get any record, with all its tags", async () => {
    const seeded = fixture.seed({ content: "theirs", tags: [OTHER_TAG, "x"] });
    const memory = await backend.get(seeded.content_hash, ctx(GLOBAL));
    expect(memory.id).toBe(seeded.content_hash);
    expect(sorted(memory.tags)).toEqual(sorted([OTHER_TAG, "x"]));
  });

  it("an id that is not 64 hex characters (URL-special characters, . or ..) is refused before anything is sent", async () => {
    const seeded = fixture.seed({ content: "mine", tags: [TAG] });
    fixture.clearRequests();
    for (const id of ["a/b?c#d", ".", "..", "%2e%2e", `${seeded.content_hash}/..`, seeded.content_hash.slice(1), `${seeded.content_hash}0`]) {
      for (const call of [() => backend.get(id, ctx()), () => backend.update({ id, tags: ["x"] }, ctx()), () => backend.delete(id, ctx())]) {
        const error = await rejection(call());
        expect(error, id).toBeInstanceOf(InvalidMemoryIdError);
        expect(error.message).toMatch(/64 hexadecimal characters/);
      }
    }
    expect(fixture.requests).toHaveLength(0);
    // The same id in capitals is the same memory.
    expect((await backend.get(seeded.content_hash.toUpperCase(), ctx())).content).toBe("mine");
    expect(only("GET").path).toBe(`/api/memories/${seeded.content_hash}`);
  });
});

describe("update", () => {
  it("content → UnsupportedArgumentError naming the backend and `content`; nothing is sent", async () => {
    const seeded = fixture.seed({ content: "old text", tags: [TAG] });
    fixture.clearRequests();
    const error = await rejection(backend.update({ id: seeded.content_hash, content: "new text" }, ctx()));
    expect(error).toBeInstanceOf(UnsupportedArgumentError);
    expect(error.message).toContain("mcp-memory-service");
    expect(error.message).toContain("content");
    expect(fixture.requests).toHaveLength(0);
    expect(stored(seeded.content_hash)!.content).toBe("old text");
  });

  it("tags replace the user's tags but keep every proj tag; returns the updated memory", async () => {
    const seeded = fixture.seed({ content: "shared", tags: [TAG, "old1", OTHER_TAG, "old2"] });
    fixture.clearRequests();

    const memory = await backend.update({ id: seeded.content_hash, tags: ["new", "new2"] }, ctx());

    const put = only("PUT", `/memories/${seeded.content_hash}`);
    const body = bodyOf(put);
    expect(sorted(body.tags as string[])).toEqual(sorted(["new", "new2", TAG, OTHER_TAG]));
    expect(body).not.toHaveProperty("memory_type");
    expect(body).not.toHaveProperty("metadata");
    expect(put.headers.authorization).toBe(`Bearer ${fixture.token}`);
    expect(sorted(stored(seeded.content_hash)!.tags)).toEqual(sorted(["new", "new2", TAG, OTHER_TAG]));
    expect(memory.id).toBe(seeded.content_hash);
    expect(memory.content).toBe("shared");
    expect(sorted(memory.tags)).toEqual(sorted(["new", "new2", OTHER_TAG]));
  });

  it("empty tags clears the user's tags but keeps the project tag", async () => {
    const seeded = fixture.seed({ content: "mine", tags: [TAG, "a"] });
    const memory = await backend.update({ id: seeded.content_hash, tags: [] }, ctx());
    expect(stored(seeded.content_hash)!.tags).toEqual([TAG]);
    expect(memory.tags).toEqual([]);
  });

  it("type and metadata are sent as memory_type and metadata", async () => {
    const seeded = fixture.seed({ content: "mine", tags: [TAG, "keep"], memory_type: "note", metadata: { a: 1 } });
    fixture.clearRequests();

    const memory = await backend.update({ id: seeded.content_hash, type: "decision", metadata: { b: 2 } }, ctx());

    const body = bodyOf(only("PUT", `/memories/${seeded.content_hash}`));
    expect(body).toEqual({ memory_type: "decision", metadata: { b: 2 } });
    expect(memory.type).toBe("decision");
    // The service merges metadata shallowly.
    expect(memory.metadata).toEqual({ a: 1, b: 2 });
    expect(memory.tags).toEqual(["keep"]);
    expect(stored(seeded.content_hash)!.memory_type).toBe("decision");
  });

  it("another project's record → WrongProjectError, no PUT", async () => {
    const seeded = fixture.seed({ content: "theirs", tags: [OTHER_TAG, "x"] });
    fixture.clearRequests();
    const error = await rejection(backend.update({ id: seeded.content_hash, tags: ["mine now"] }, ctx()));
    expect(error).toBeInstanceOf(WrongProjectError);
    expect(error.message).toBe(`Memory ${seeded.content_hash} belongs to another project`);
    expect(sent("PUT")).toHaveLength(0);
    expect(stored(seeded.content_hash)!.tags).toEqual([OTHER_TAG, "x"]);
  });

  it("missing → MemoryNotFoundError, no PUT", async () => {
    const id = contentHash("ghost");
    const error = await rejection(backend.update({ id, tags: ["x"] }, ctx()));
    expect(error).toBeInstanceOf(MemoryNotFoundError);
    expect(error.message).toBe(`Memory ${id} not found`);
    expect(sent("PUT")).toHaveLength(0);
  });

  it("global mode: updates any record, keeping its proj tags and adding none", async () => {
    const seeded = fixture.seed({ content: "theirs", tags: [OTHER_TAG, "x"] });
    const memory = await backend.update({ id: seeded.content_hash, tags: ["y"] }, ctx(GLOBAL));
    expect(sorted(stored(seeded.content_hash)!.tags)).toEqual(sorted([OTHER_TAG, "y"]));
    expect(sorted(memory.tags)).toEqual(sorted([OTHER_TAG, "y"]));
  });
});

describe("delete", () => {
  it("deletes an existing record", async () => {
    const seeded = fixture.seed({ content: "to delete", tags: [TAG] });
    fixture.clearRequests();
    await expect(backend.delete(seeded.content_hash, ctx())).resolves.toBeUndefined();
    expect(stored(seeded.content_hash)).toBeUndefined();
    const del = only("DELETE", `/memories/${seeded.content_hash}`);
    expect(del.headers.authorization).toBe(`Bearer ${fixture.token}`);
  });

  it("missing → MemoryNotFoundError", async () => {
    const id = contentHash("never there");
    const error = await rejection(backend.delete(id, ctx()));
    expect(error).toBeInstanceOf(MemoryNotFoundError);
    expect(error.message).toBe(`Memory ${id} not found`);
  });

  it("200 {success:false} from DELETE (gone since the ownership check) is not found, never success", async () => {
    const seeded = fixture.seed({ content: "vanishing", tags: [TAG] });
    fixture.clearRequests();
    // Hold the ownership GET's answer (the record is read first), delete the record behind the
    // bridge's back, then let the bridge's DELETE meet a missing record: 200 {success:false}.
    fixture.inject({ delayMs: 300, method: "GET", path: `/memories/${seeded.content_hash}` });
    const pending = rejection(backend.delete(seeded.content_hash, ctx()));
    await waitFor(() => sent("GET", `/memories/${seeded.content_hash}`).length === 1, "the ownership GET");
    const direct = await fetch(`${fixture.url}/memories/${seeded.content_hash}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${fixture.token}` },
    });
    expect(await direct.json()).toMatchObject({ success: true });

    const error = await pending;
    expect(error).toBeInstanceOf(MemoryNotFoundError);
    expect(error.message).toBe(`Memory ${seeded.content_hash} not found`);
    expect(sent("DELETE")).toHaveLength(2);
  });

  it("another project's record → WrongProjectError, no DELETE sent", async () => {
    const seeded = fixture.seed({ content: "theirs", tags: [OTHER_TAG] });
    fixture.clearRequests();
    const error = await rejection(backend.delete(seeded.content_hash, ctx()));
    expect(error).toBeInstanceOf(WrongProjectError);
    expect(sent("DELETE")).toHaveLength(0);
    expect(stored(seeded.content_hash)).toBeDefined();
  });

  it("global mode deletes any record", async () => {
    const seeded = fixture.seed({ content: "theirs", tags: [OTHER_TAG] });
    await backend.delete(seeded.content_hash, ctx(GLOBAL));
    expect(fixture.memories()).toHaveLength(0);
  });

  it("first attempt reset after the server deleted it: reported deleted, not 'not found'", async () => {
    const seeded = fixture.seed({ content: "reset delete", tags: [TAG] });
    fixture.clearRequests();
    fixture.inject({ reset: "after-body", method: "DELETE" });
    await expect(backend.delete(seeded.content_hash, ctx())).resolves.toBeUndefined();
    expect(sent("DELETE")).toHaveLength(2);
    expect(stored(seeded.content_hash)).toBeUndefined();
  });

  it("newer servers' 404 for a missing record is not found as well", async () => {
    const fx = await startFixture({ quirks: { deleteMissingStatus: 404 } });
    const b = backendFor(fx, fx.token);
    const seeded = fx.seed({ content: "vanishing", tags: [TAG] });
    fx.inject({ delayMs: 300, method: "GET", path: `/memories/${seeded.content_hash}` });
    const pending = rejection(b.delete(seeded.content_hash, ctx()));
    await waitFor(() => fx.requests.some((r) => r.method === "GET"), "the ownership GET");
    await fetch(`${fx.url}/memories/${seeded.content_hash}`, { method: "DELETE", headers: { authorization: `Bearer ${fx.token}` } });
    expect(await pending).toBeInstanceOf(MemoryNotFoundError);
  });
});

describe("status", () => {
  it("reachable, with latency and the server's version from /health/detailed", async () => {
    fixture.seed({ content: "one", tags: [TAG] });
    const status = await backend.status(ctx());
    expect(status.reachable).toBe(true);
    expect(typeof status.latency_ms).toBe("number");
    expect(status.latency_ms!).toBeGreaterThanOrEqual(0);
    expect(status.tokenAccepted).toBe(true);
    expect(status.server).toMatchObject({ version: "9.8.7-fixture", total_memories: 1 });
    expect(only("GET", "/health").headers.authorization).toBeUndefined();
    expect(only("GET", "/health/detailed").headers.authorization).toBe(`Bearer ${fixture.token}`);
  });

  it("wrong token: still reachable (health is public) and reports the auth problem without the token", async () => {
    const bad = backendFor(fixture, WRONG_TOKEN);
    const status = await bad.status(ctx());
    expect(status.reachable).toBe(true);
    expect(typeof status.latency_ms).toBe("number");
    expect(status.tokenAccepted).toBe(false);
    const text = `${JSON.stringify(status)} ${explain(status.error, WORDS)}`;
    expect(text).toContain("401");
    expect(text).toContain(`npx mcp-memory-bridge login ${fixture.url}`);
    expect(text).not.toContain(WRONG_TOKEN);
    expect(text).not.toContain(fixture.token!);
  });

  it("server stopped: reachable false", async () => {
    await fixture.stop();
    const status = await backend.status(ctx());
    expect(status.reachable).toBe(false);
    expect(status.latency_ms).toBeUndefined();
    expect(status.error?.message).toMatch(/Cannot reach/);
    expect(`${JSON.stringify(status)} ${status.error?.message}`).not.toContain(fixture.token!);
  });

  it("verifyToken proves the token with one authenticated call, and throws on a rejected one", async () => {
    await expect(backend.verifyToken(ctx())).resolves.toMatchObject({ version: "9.8.7-fixture" });
    await expect(backendFor(fixture, WRONG_TOKEN).verifyToken(ctx())).rejects.toThrow(/401/);
  });
});

describe("auth failures", () => {
  it("every operation with a wrong token fails with AuthError naming the login command, never the token", async () => {
    const seeded = fixture.seed({ content: "mine", tags: [TAG] });
    const bad = backendFor(fixture, WRONG_TOKEN);
    const calls: [string, () => Promise<unknown>][] = [
      ["store", () => bad.store({ content: "new" }, ctx())],
      ["search", () => bad.search({ query: "mine", limit: 5, scope: "project" }, ctx())],
      ["list", () => bad.list({ page: 1, page_size: 10 }, ctx())],
      ["get", () => bad.get(seeded.content_hash, ctx())],
      ["update", () => bad.update({ id: seeded.content_hash, tags: ["x"] }, ctx())],
      ["delete", () => bad.delete(seeded.content_hash, ctx())],
    ];
    for (const [name, call] of calls) {
      const error = await rejection(call());
      expect(error, name).toBeInstanceOf(AuthError);
      expect((error as AuthError).status, name).toBe(401);
      expect(explain(error, WORDS), name).toContain(`npx mcp-memory-bridge login ${fixture.url}`);
      expect(error.message, name).not.toContain(WRONG_TOKEN);
      expect(error.message, name).not.toContain(fixture.token!);
    }
    // 401 is never retried, and nothing was written.
    expect(sent("POST", "/memories")).toHaveLength(1);
    expect(fixture.memories()).toHaveLength(1);
    expect(sent("PUT")).toHaveLength(0);
    expect(sent("DELETE")).toHaveLength(0);
  });

  it("no token configured: AuthError saying none was sent, with the login command", async () => {
    const anon = backendFor(fixture, null);
    const error = await rejection(anon.list({ page: 1, page_size: 10 }, ctx()));
    expect(error).toBeInstanceOf(AuthError);
    expect(explain(error, WORDS)).toContain(`npx mcp-memory-bridge login ${fixture.url}`);
    expect(error.message).not.toContain(fixture.token!);
  });
});

describe("quoting server answers", () => {
  it("a 4xx body that echoes the Authorization header is quoted without the token", async () => {
    const { createServer } = await import("node:http");
    const secret = "tok_echoed_back_Qz9_distinctive";
    const server = createServer((req, res) => {
      res.writeHead(422, { "content-type": "application/json" });
      res.end(JSON.stringify({ detail: [{ loc: ["header", "authorization"], msg: "bad", input: req.headers.authorization }] }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const http = createHttpClient({ endpoint: `http://127.0.0.1:${port}/api`, auth: { header: "authorization", value: `Bearer ${secret}` } });
    try {
      const echoing = createMcpMemoryServiceBackend({ http });
      const failure = await echoing.list({ page: 1, page_size: 5 }, ctx(PROJECT)).catch((e: Error) => e);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(/answered 422/);
      expect((failure as Error).message).not.toContain(secret);
    } finally {
      await http.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe("reserved tags", () => {
  it("a proj: tag set by hand is refused on store and update, so no memory can be slipped into another project", async () => {
    await expect(backend.store({ content: "sneaky", tags: ["ok", "PROJ:project_other_12345678"] }, ctx(PROJECT))).rejects.toThrow(/reserved for project scoping/);
    const mine = await backend.store({ content: "mine", tags: ["ok"] }, ctx(PROJECT));
    await expect(backend.update({ id: mine.id, tags: [OTHER_TAG] }, ctx(PROJECT))).rejects.toThrow(UnsupportedArgumentError);
    expect(fixture.memories().map((m) => m.content)).toEqual(["mine"]);
    expect(fixture.memories()[0]!.tags).not.toContain(OTHER_TAG);
  });
});
