/**
 * The mem0 self-hosted backend against the real-HTTP fixture of both server generations
 * (contracts/backends.md §2): the canonical result AND what went over the wire.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AmbiguousStoreError,
  InvalidUuidError,
  MemoryNotFoundError,
  NothingStoredError,
  OtherUserMemoryError,
  UnsupportedArgumentError,
  WrongProjectError,
} from "../../src/backends/errors.js";
import { createMem0Backend } from "../../src/backends/mem0.js";
import type { MemoryBackend } from "../../src/backends/types.js";
import { createHttpClient } from "../../src/http/client.js";
import { AuthError, ServerError } from "../../src/http/errors.js";
import type { HttpClient } from "../../src/http/types.js";
import { explain } from "../../src/mcp/error-words.js";
import { createMem0Fixture, type Extractor, type Mem0Fixture, type Mem0FixtureOptions, type Mem0Generation } from "../fixtures/mem0/index.js";
import { rejection } from "./http-test-helpers.js";
import { bodyOf, expectOneAuthHeader, sent } from "./mem0-wire.js";
import { ctx, GLOBAL, OTHER, PROJECT } from "./memory-service-projects.js";
import { WORDS } from "../helpers/words.js";

const USER = "alice";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
const PUBLIC = ["/openapi.json"];

const open: { clients: HttpClient[]; fixtures: Mem0Fixture[] } = { clients: [], fixtures: [] };

async function start(options: Mem0FixtureOptions): Promise<Mem0Fixture> {
  const fixture = await createMem0Fixture(options);
  open.fixtures.push(fixture);
  return fixture;
}

function client(fixture: Mem0Fixture, auth?: { header: string; value: string }): HttpClient {
  const http = createHttpClient({ endpoint: fixture.url, allowHttp: true, baseDelayMs: 5, ...(auth && { auth }) });
  open.clients.push(http);
  return http;
}

function backendFor(fixture: Mem0Fixture, options: { userId?: string; infer?: boolean; auth?: { header: string; value: string } } = {}): MemoryBackend {
  const auth = options.auth ?? (fixture.adminKey === null ? undefined : { header: "x-api-key", value: fixture.adminKey });
  return createMem0Backend({ http: client(fixture, auth), userId: options.userId ?? USER, ...(options.infer !== undefined && { infer: options.infer }) });
}

afterEach(async () => {
  await Promise.all(open.clients.splice(0).map((c) => c.close()));
  await Promise.all(open.fixtures.splice(0).map((f) => f.close()));
});

describe.each<Mem0Generation>(["A", "B"])("mem0 generation %s", (generation) => {
  let fixture: Mem0Fixture;
  let backend: MemoryBackend;

  beforeEach(async () => {
    fixture = await start({ generation });
    backend = backendFor(fixture);
  });

  describe("auth", () => {
    it("sends exactly one header, X-API-Key, on every call", async () => {
      const stored = await backend.store({ content: "The build uses pnpm workspaces." }, ctx());
      await backend.search({ query: "pnpm build", limit: 5, scope: "project" }, ctx());
      await backend.list({ page: 1, page_size: 10 }, ctx());
      await backend.get(stored.id, ctx());
      await backend.update({ id: stored.id, tags: ["tooling"] }, ctx());
      await backend.history!(stored.id, ctx());
      await backend.delete(stored.id, ctx());
      await backend.verifyToken(ctx());
      expectOneAuthHeader(fixture.requests, "x-api-key", fixture.adminKey!, PUBLIC);
      for (const req of sent(fixture.requests, "GET", "/openapi.json")) expect(req.headers["x-api-key"]).toBeUndefined();
    });

    it("a missing key is a 401 AuthError that says to log in", async () => {
      const anonymous = createMem0Backend({ http: client(fixture), userId: USER });
      const error = await rejection(anonymous.list({ page: 1, page_size: 10 }, ctx()));
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).status).toBe(401);
      expect(explain(error, WORDS)).toContain(`login ${fixture.url}`);
      expect(error.message).toContain(generation === "A" ? "X-API-Key header is required" : "Authentication required");
    });

    it("a wrong key is refused and not retried", async () => {
      const wrong = backendFor(fixture, { auth: { header: "x-api-key", value: "not-the-key-0123456789" } });
      const error = await rejection(wrong.get("3f2b8a61-5c4d-4e8f-9a0b-1c2d3e4f5a6b", ctx()));
      expect(error).toBeInstanceOf(AuthError);
      expect(error.message).toContain("Invalid API key");
      expect(sent(fixture.requests, "GET")).toHaveLength(1);
    });
  });

  describe("store", () => {
    it("sends the text as one user message with user_id, the project as agent_id, and lists every memory the LLM made", async () => {
      const result = await backend.store({ content: "The API uses snake_case ids. Deploys run on Fridays.", tags: ["conventions"], type: "decision", metadata: { source: "review" } }, ctx());
      const body = bodyOf(sent(fixture.requests, "POST", "/memories")[0]);
      expect(body).toMatchObject({
        messages: [{ role: "user", content: "The API uses snake_case ids. Deploys run on Fridays." }],
        user_id: USER,
        agent_id: PROJECT.id,
        metadata: { source: "review", tags: ["conventions"], type: "decision" },
        infer: true,
      });
      const memories = fixture.memories();
      expect(memories.map((m) => m.memory)).toEqual(["The API uses snake_case ids.", "Deploys run on Fridays."]);
      expect(result.ids).toEqual(memories.map((m) => m.id));
      expect(result.id).toBe(memories[0]!.id);
      expect(result.changes).toEqual(memories.map((m) => ({ id: m.id, event: "ADD", content: m.memory })));
      expect(memories.every((m) => m.user_id === USER && m.agent_id === PROJECT.id)).toBe(true);
    });

    it("a text the LLM finds nothing in stores nothing and says why", async () => {
      const error = await rejection(backend.store({ content: "Hi! Are you there?" }, ctx()));
      expect(error).toBeInstanceOf(NothingStoredError);
      expect(error.message).toMatch(/^Nothing was stored: mem0 reads the text with its language model/);
      expect(fixture.memories()).toEqual([]);
    });

    it("with infer off stores the text verbatim as one memory", async () => {
      const verbatim = backendFor(fixture, { infer: false });
      const result = await verbatim.store({ content: "Hi! Are you there?" }, ctx());
      expect(bodyOf(sent(fixture.requests, "POST", "/memories")[0]).infer).toBe(false);
      expect(fixture.memories()).toMatchObject([{ id: result.id, memory: "Hi! Are you there?", role: "user" }]);
    });

    it("in global mode sends no agent_id", async () => {
      await backend.store({ content: "Tabs are four spaces wide." }, ctx(GLOBAL));
      const body = bodyOf(sent(fixture.requests, "POST", "/memories")[0]);
      expect(body.user_id).toBe(USER);
      expect("agent_id" in body).toBe(false);
    });

    it("refuses metadata keys mem0 keeps itself, before any request", async () => {
      const error = await rejection(backend.store({ content: "A fact worth keeping here.", metadata: { user_id: "mallory" } }, ctx()));
      expect(error).toBeInstanceOf(UnsupportedArgumentError);
      expect(error.message).toContain("metadata.user_id");
      expect(fixture.requests).toHaveLength(0);
    });

    it("a connection dropped after the request was sent is not retried, and says it may or may not have been stored", async () => {
      fixture.inject({ method: "POST", path: "/memories", reset: "after-body" });
      const error = await rejection(backend.store({ content: "The cache lives in Redis now." }, ctx()));
      expect(error).toBeInstanceOf(AmbiguousStoreError);
      expect(error.message).toContain("may or may not have been stored");
      expect(error.message).toContain("Search for it before storing it again");
      expect(sent(fixture.requests, "POST", "/memories")).toHaveLength(1);
      expect(fixture.memories()).toHaveLength(1);
    });

    it("a connection refused before the request was read is retried", async () => {
      fixture.inject({ method: "POST", path: "/memories", status: 503, body: { detail: "Service Unavailable" } });
      const result = await backend.store({ content: "The cache lives in Redis now." }, ctx());
      expect(sent(fixture.requests, "POST", "/memories")).toHaveLength(2);
      expect(fixture.memories().map((m) => m.id)).toEqual([result.id]);
    });
  });

  describe("read, update, delete", () => {
    let mine: string;
    let otherProject: string;
    let otherUser: string;
    let global: string;

    beforeEach(() => {
      mine = fixture.seed({ memory: "Mine in this project", user_id: USER, agent_id: PROJECT.id!, metadata: { tags: ["a"], type: "note", keep: 1 } });
      otherProject = fixture.seed({ memory: "Mine in the other project", user_id: USER, agent_id: OTHER.id! });
      otherUser = fixture.seed({ memory: "Bob's in this project", user_id: "bob", agent_id: PROJECT.id! });
      global = fixture.seed({ memory: "Mine without a project", user_id: USER });
    });

    it("get maps the record: tags and type out of metadata, ISO times", async () => {
      const memory = await backend.get(mine, ctx());
      expect(memory).toMatchObject({ id: mine, content: "Mine in this project", tags: ["a"], type: "note", metadata: { keep: 1 } });
      expect(memory.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it("a missing memory (200 null) is not found", async () => {
      const error = await rejection(backend.get("3f2b8a61-5c4d-4e8f-9a0b-1c2d3e4f5a6b", ctx()));
      expect(error).toBeInstanceOf(MemoryNotFoundError);
      expect(error.message).toBe("Memory 3f2b8a61-5c4d-4e8f-9a0b-1c2d3e4f5a6b not found");
    });

    it("an id that is not a UUID is refused before any request", async () => {
      const error = await rejection(backend.get("abc123", ctx()));
      expect(error).toBeInstanceOf(InvalidUuidError);
      expect(fixture.requests).toHaveLength(0);
    });

    it("refuses another project's memory and another user's, and changes neither", async () => {
      expect(await rejection(backend.get(otherProject, ctx()))).toBeInstanceOf(WrongProjectError);
      expect(await rejection(backend.update({ id: otherProject, content: "x" }, ctx()))).toBeInstanceOf(WrongProjectError);
      expect(await rejection(backend.delete(otherProject, ctx()))).toBeInstanceOf(WrongProjectError);
      expect(await rejection(backend.delete(otherUser, ctx()))).toBeInstanceOf(OtherUserMemoryError);
      expect(sent(fixture.requests, "PUT")).toHaveLength(0);
      expect(sent(fixture.requests, "DELETE")).toHaveLength(0);
      expect(fixture.memories()).toHaveLength(4);
    });

    it("in global mode any project's memory of the user is reachable, another user's still is not", async () => {
      expect((await backend.get(otherProject, ctx(GLOBAL))).id).toBe(otherProject);
      expect((await backend.get(global, ctx(GLOBAL))).id).toBe(global);
      expect(await rejection(backend.get(otherUser, ctx(GLOBAL)))).toBeInstanceOf(OtherUserMemoryError);
    });

    it("update changes the text and tags and keeps the rest of the metadata", async () => {
      const updated = await backend.update({ id: mine, content: "Mine, reworded", tags: ["b"] }, ctx());
      expect(updated).toMatchObject({ id: mine, content: "Mine, reworded", tags: ["b"], type: "note", metadata: { keep: 1 } });
      expect(bodyOf(sent(fixture.requests, "PUT")[0])).toEqual({ text: "Mine, reworded", metadata: { keep: 1, tags: ["b"], type: "note" } });
      expect(fixture.memories().find((m) => m.id === mine)).toMatchObject({ memory: "Mine, reworded", agent_id: PROJECT.id, user_id: USER });
    });

    it("history lists the record's events in order", async () => {
      await backend.update({ id: mine, content: "Mine, reworded" }, ctx());
      const events = await backend.history!(mine, ctx());
      expect(events).toMatchObject([
        { event: "ADD", new_content: "Mine in this project" },
        { event: "UPDATE", old_content: "Mine in this project", new_content: "Mine, reworded" },
      ]);
      expect(events.every((event) => !Number.isNaN(Date.parse(event.at)))).toBe(true);
    });

    it("delete removes the record; deleting it again is not found", async () => {
      await backend.delete(mine, ctx());
      expect(fixture.memories().some((m) => m.id === mine)).toBe(false);
      expect(await rejection(backend.delete(mine, ctx()))).toBeInstanceOf(MemoryNotFoundError);
    });

    it(`a delete retried after a dropped connection finds the memory gone (${generation === "A" ? "500" : "404"}) and succeeds`, async () => {
      fixture.inject({ method: "DELETE", reset: "after-body" });
      await backend.delete(mine, ctx());
      expect(sent(fixture.requests, "DELETE")).toHaveLength(2);
      expect(fixture.memories().some((m) => m.id === mine)).toBe(false);
    });

    it(`a memory that disappears before its update is not found (${generation === "A" ? "500" : "404"})`, async () => {
      fixture.inject({ method: "PUT", status: generation === "A" ? 500 : 404, body: { detail: `Memory with id ${mine} not found. Please provide a valid 'memory_id'` } });
      expect(await rejection(backend.update({ id: mine, content: "new" }, ctx()))).toBeInstanceOf(MemoryNotFoundError);
    });

    it("search sends the ids both ways and the limit both ways, and keeps only this project's memories of this user", async () => {
      const results = await backend.search({ query: "Mine project", limit: 5, scope: "project" }, ctx());
      expect(results.map((m) => m.id)).toEqual([mine]);
      const body = bodyOf(sent(fixture.requests, "POST", "/search")[0]);
      expect(body).toMatchObject({ query: "Mine project", filters: { user_id: USER, agent_id: PROJECT.id }, user_id: USER, agent_id: PROJECT.id, top_k: 5, limit: 5 });
      expect(results[0]!.score).toBeGreaterThan(0);
    });

    it("search with scope all covers every project of the user, not other users", async () => {
      const results = await backend.search({ query: "Mine project", limit: 10, scope: "all" }, ctx());
      expect(results.map((m) => m.id).sort()).toEqual([mine, otherProject, global].sort());
      expect(bodyOf(sent(fixture.requests, "POST", "/search")[0]).filters).toEqual({ user_id: USER });
    });

    it("search with tags over-fetches and keeps the tagged ones", async () => {
      fixture.seed({ memory: "Mine in this project too", user_id: USER, agent_id: PROJECT.id! });
      const results = await backend.search({ query: "Mine project", limit: 5, scope: "project", tags: ["a"] }, ctx());
      expect(results.map((m) => m.id)).toEqual([mine]);
      expect(bodyOf(sent(fixture.requests, "POST", "/search")[0]).top_k).toBe(100);
    });

    it("a read whose connection drops is retried to success", async () => {
      fixture.inject({ method: "GET", path: "/memories", reset: "after-body" });
      const page = await backend.list({ page: 1, page_size: 10 }, ctx());
      expect(page.memories.map((m) => m.id)).toEqual([mine]);
      expect(sent(fixture.requests, "GET", "/memories")).toHaveLength(2);
    });
  });

  describe("list", () => {
    it("fetches up to the cap, sorts newest first and slices pages", async () => {
      const ids = ["first", "second", "third"].map((word) => fixture.seed({ memory: `The ${word} memory`, user_id: USER, agent_id: PROJECT.id! }));
      fixture.seed({ memory: "Another project's", user_id: USER, agent_id: OTHER.id! });
      const page1 = await backend.list({ page: 1, page_size: 2 }, ctx());
      expect(page1).toMatchObject({ has_more: true, total: 3 });
      expect(page1.memories.map((m) => m.id)).toEqual([ids[2], ids[1]]);
      const page2 = await backend.list({ page: 2, page_size: 2 }, ctx());
      expect(page2).toMatchObject({ has_more: false, total: 3 });
      expect(page2.memories.map((m) => m.id)).toEqual([ids[0]]);
      expect(sent(fixture.requests, "GET", "/memories")[0]!.query).toEqual({ user_id: USER, agent_id: PROJECT.id, top_k: "1000" });
    });

    it("filters by tags", async () => {
      const tagged = fixture.seed({ memory: "Tagged", user_id: USER, agent_id: PROJECT.id!, metadata: { tags: ["x", "y"] } });
      fixture.seed({ memory: "Half tagged", user_id: USER, agent_id: PROJECT.id!, metadata: { tags: ["x"] } });
      const page = await backend.list({ page: 1, page_size: 10, tags: ["x", "y"] }, ctx());
      expect(page.memories.map((m) => m.id)).toEqual([tagged]);
    });

    it("a record without an id or text is left out and counted; a bad field is left out and noted", async () => {
      const good = { id: "3f2b8a61-5c4d-4e8f-9a0b-1c2d3e4f5a6b", memory: "Readable", user_id: USER, agent_id: PROJECT.id, metadata: { tags: "a,b" }, created_at: "never" };
      fixture.inject({ method: "GET", path: "/memories", status: 200, body: { results: [good, { memory: "no id", user_id: USER, agent_id: PROJECT.id }, { id: 5 }] } });
      const page = await backend.list({ page: 1, page_size: 10 }, ctx());
      expect(page).toMatchObject({ skipped: 2, total: 1 });
      expect(page.memories).toEqual([
        { id: good.id, content: "Readable", tags: ["a", "b"], note: "Part of this record could not be read: tags were one comma-separated text (split at the commas); created_at is not a valid time (left out)." },
      ]);
      fixture.inject({ method: "POST", path: "/search", status: 200, body: { results: [{ ...good, score: 0.5 }, null] } });
      const hits = await backend.search({ query: "Readable", limit: 5, scope: "project" }, ctx());
      expect(hits.map((m) => m.id)).toEqual([good.id]);
      expect(hits.skipped).toBe(1);
    });

    const cap = generation === "A" ? 100 : 1000;
    it(`says when the server's cap of ${cap} was reached`, async () => {
      for (let i = 0; i < cap + 5; i++) fixture.seed({ memory: `Memory number ${i}`, user_id: USER, agent_id: PROJECT.id! });
      const page = await backend.list({ page: 1, page_size: 20 }, ctx());
      expect(page.cappedAt).toBe(cap);
      expect(page.total).toBeUndefined();
      expect(page.memories).toHaveLength(20);
    });
  });

  describe("server failures", () => {
    it(generation === "B" ? "a 502 is one sentence with the request id" : "a 500 is one sentence with the server's detail", async () => {
      fixture.inject({ method: "POST", path: "/search", status: generation === "A" ? 500 : 502, times: Infinity });
      const error = await rejection(backend.search({ query: "anything", limit: 5, scope: "project" }, ctx()));
      expect(error).toBeInstanceOf(ServerError);
      if (generation === "B") {
        expect(error.message).toContain(`(502, request id ${fixture.lastRequestId})`);
        expect(error.message).toContain("Upstream provider error.");
      } else {
        expect(error.message).toMatch(/failed \(500\): Connection error\.$/);
      }
      expect(error.message.split(/(?<=\.) (?=[A-Z])/)).toHaveLength(1);
    });
  });

  it("status: reachable through /openapi.json, token accepted", async () => {
    const status = await backend.status(ctx());
    expect(status).toMatchObject({ reachable: true, tokenAccepted: true, server: { title: "Mem0 REST APIs", user_id: USER } });
  });

  it("refuses a user id with whitespace before any request", async () => {
    const spaced = backendFor(fixture, { userId: "Jane Doe" });
    const error = await rejection(spaced.list({ page: 1, page_size: 10 }, ctx()));
    expect(error.message).toContain('"Jane Doe"');
    expect(fixture.requests).toHaveLength(0);
  });
});

describe("mem0 generation A: the model's UPDATE and DELETE decisions", () => {
  it("lists the updated memory in ids and names the deletion in the changes", async () => {
    let extractor: Extractor = () => [];
    const fixture = await start({ generation: "A", extractor: (input, existing) => extractor(input, existing) });
    const backend = backendFor(fixture);
    const old = fixture.seed({ memory: "Deploys run on Fridays", user_id: USER, agent_id: PROJECT.id! });
    const gone = fixture.seed({ memory: "The staging server is down", user_id: USER, agent_id: PROJECT.id! });
    extractor = () => [
      { event: "UPDATE", id: old, text: "Deploys run on Thursdays" },
      { event: "DELETE", id: gone },
      { event: "ADD", text: "Staging is back" },
    ];
    const result = await backend.store({ content: "Deploys moved to Thursdays and staging is back." }, ctx());
    const added = fixture.memories().find((m) => m.memory === "Staging is back")!;
    expect(result.ids).toEqual([old, added.id]);
    expect(result.changes).toEqual([
      { id: old, event: "UPDATE", content: "Deploys run on Thursdays", previous: "Deploys run on Fridays" },
      { id: gone, event: "DELETE", content: "The staging server is down" },
      { id: added.id, event: "ADD", content: "Staging is back" },
    ]);
  });

  it("a store that only deleted stores nothing and names what it deleted", async () => {
    const fixture = await start({ generation: "A", extractor: (_input, existing) => existing.map((m) => ({ event: "DELETE" as const, id: m.id })) });
    const backend = backendFor(fixture);
    const gone = fixture.seed({ memory: "The staging server is down", user_id: USER, agent_id: PROJECT.id! });
    const error = await rejection(backend.store({ content: "Forget that staging is down." }, ctx()));
    expect(error).toBeInstanceOf(NothingStoredError);
    expect(error.message).toContain(`It did delete memory ${gone} ("The staging server is down").`);
  });
});

describe("mem0 generation B auth", () => {
  it("a JWT goes as Bearer, alone", async () => {
    const fixture = await start({ generation: "B", adminKey: null, jwts: [JWT] });
    const backend = backendFor(fixture, { auth: { header: "authorization", value: `Bearer ${JWT}` } });
    await backend.list({ page: 1, page_size: 5 }, ctx());
    expectOneAuthHeader(fixture.requests, "authorization", `Bearer ${JWT}`, PUBLIC);
  });

  it("a per-user m0sk_ key works as X-API-Key; sent as Bearer it is refused as an invalid token", async () => {
    const key = "m0sk_0123456789abcdefghijklmnopqrstuvwxyzABC";
    const fixture = await start({ generation: "B", adminKey: null, userKeys: { [key]: USER } });
    await backendFor(fixture, { auth: { header: "x-api-key", value: key } }).list({ page: 1, page_size: 5 }, ctx());
    const error = await rejection(backendFor(fixture, { auth: { header: "authorization", value: `Bearer ${key}` } }).list({ page: 1, page_size: 5 }, ctx()));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain("Invalid or expired token");
  });
});
