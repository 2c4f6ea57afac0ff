/**
 * The mem0 platform backend against the real-HTTP platform fixture (contracts/backends.md §3): the
 * canonical result and what went over the wire, the asynchronous add included.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AmbiguousStoreError,
  InvalidUuidError,
  MemoryNotFoundError,
  NothingStoredError,
  OtherUserMemoryError,
  StoreFailedError,
  WrongProjectError,
} from "../../src/backends/errors.js";
import { createMem0PlatformBackend } from "../../src/backends/mem0-platform.js";
import type { CallContext, MemoryBackend, StoreOutcome, StoreResult } from "../../src/backends/types.js";
import { createHttpClient } from "../../src/http/client.js";
import { AuthError, ServerError } from "../../src/http/errors.js";
import type { HttpClient } from "../../src/http/types.js";
import { createPlatformFixture, type PlatformFixture, type PlatformFixtureOptions } from "../fixtures/mem0-platform/index.js";
import { rejection } from "./http-test-helpers.js";
import { bodyOf, expectOneAuthHeader, sent } from "./mem0-wire.js";
import { ctx, GLOBAL, OTHER, PROJECT } from "./memory-service-projects.js";

const USER = "alice";
const MISSING = "3f2b8a61-5c4d-4e8f-9a0b-1c2d3e4f5a6b";

let fixture: PlatformFixture;
let backend: MemoryBackend<StoreOutcome>;
const clients: HttpClient[] = [];

async function setUp(options: PlatformFixtureOptions = {}, token?: string | null): Promise<void> {
  fixture = await createPlatformFixture(options);
  backend = backendWith(token === undefined ? fixture.apiKey : token);
}

function backendWith(token: string | null, infer?: boolean): MemoryBackend<StoreOutcome> {
  const http = createHttpClient({ endpoint: fixture.url, allowHttp: true, baseDelayMs: 5, ...(token !== null && { auth: { header: "authorization", value: `Token ${token}` } }) });
  clients.push(http);
  return createMem0PlatformBackend({ http, userId: USER, pollIntervalMs: 5, ...(infer !== undefined && { infer }) });
}

function stored(outcome: StoreOutcome): StoreResult {
  if (outcome.pending) throw new Error(`expected a finished store, got pending event ${outcome.eventId}`);
  return outcome;
}

/** A context whose deadline is `ms` from now. */
function within(ms: number, project = PROJECT): CallContext {
  return { ...ctx(project), deadline: Date.now() + ms };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await fixture.close();
});

describe("auth", () => {
  beforeEach(() => setUp());

  it("sends exactly one header, Authorization: Token, on every call", async () => {
    const result = stored(await backend.store({ content: "The build uses pnpm workspaces." }, ctx()));
    await backend.search({ query: "pnpm build", limit: 5, scope: "project" }, ctx());
    await backend.list({ page: 1, page_size: 10 }, ctx());
    await backend.get(result.id, ctx());
    await backend.update({ id: result.id, content: "The build uses pnpm 9 workspaces." }, ctx());
    await backend.history!(result.id, ctx());
    await backend.delete(result.id, ctx());
    await backend.verifyToken(ctx());
    expectOneAuthHeader(fixture.requests, "authorization", `Token ${fixture.apiKey}`);
  });

  it("/v1/ping/ validates the key and names the org and project", async () => {
    expect(await backend.verifyToken(ctx())).toEqual({ org_id: fixture.orgId, project_id: fixture.projectId });
    expect(sent(fixture.requests, "GET", "/v1/ping/")).toHaveLength(1);
    expect(await backend.status(ctx())).toMatchObject({ reachable: true, tokenAccepted: true });
  });

  it("what the server says about itself is shown with the key redacted", async () => {
    fixture.inject({ method: "GET", path: "/v1/ping/", status: 200, body: { status: "ok", org_id: `org of ${fixture.apiKey}`, project_id: 7 } });
    const server = await backend.verifyToken(ctx());
    expect(JSON.stringify(server)).not.toContain(fixture.apiKey);
    expect(server).toEqual({ org_id: expect.stringMatching(/^org of /) });
  });

  it("a wrong key: AuthError from the calls, and status says reachable but refused", async () => {
    const wrong = backendWith("m0-wrong-key-0123456789");
    const error = await rejection(wrong.list({ page: 1, page_size: 5 }, ctx()));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain("Invalid API key");
    expect(await wrong.status(ctx())).toMatchObject({ reachable: true, tokenAccepted: false });
  });
});

describe("store", () => {
  it("an add is polled until its event is done, and the result has every id", async () => {
    await setUp({ pendingPolls: 2 });
    const result = stored(await backend.store({ content: "The API uses snake_case ids. Deploys run on Fridays.", tags: ["conventions"] }, ctx()));
    expect(bodyOf(sent(fixture.requests, "POST", "/v3/memories/add/")[0])).toEqual({
      messages: [{ role: "user", content: "The API uses snake_case ids. Deploys run on Fridays." }],
      user_id: USER,
      app_id: PROJECT.id,
      metadata: { tags: ["conventions"] },
      infer: true,
    });
    const [eventId] = fixture.events();
    expect(sent(fixture.requests, "GET", `/v1/event/${eventId}/`)).toHaveLength(3);
    const memories = fixture.memories();
    expect(memories.map((m) => m.memory)).toEqual(["The API uses snake_case ids.", "Deploys run on Fridays."]);
    expect(result.ids).toEqual(memories.map((m) => m.id));
    expect(memories.every((m) => m.user_id === USER && m.app_id === PROJECT.id)).toBe(true);
  });

  it("an add still running at the deadline is pending, with its event id", async () => {
    await setUp({ pendingPolls: Infinity });
    const outcome = await backend.store({ content: "The cache lives in Redis now." }, within(600));
    expect(outcome).toEqual({ pending: true, eventId: fixture.events()[0] });
    expect(sent(fixture.requests, "POST", "/v3/memories/add/")).toHaveLength(1);
    expect(sent(fixture.requests, "GET", /^\/v1\/event\//).length).toBeGreaterThan(0);
  });

  it("with infer off the add is synchronous and verbatim", async () => {
    await setUp({ pendingPolls: Infinity });
    const verbatim = backendWith(fixture.apiKey, false);
    const result = stored(await verbatim.store({ content: "Hi! Are you there?" }, ctx()));
    expect(bodyOf(sent(fixture.requests, "POST", "/v3/memories/add/")[0]).infer).toBe(false);
    expect(sent(fixture.requests, "GET", /^\/v1\/event\//)).toHaveLength(0);
    expect(fixture.memories()).toMatchObject([{ id: result.id, memory: "Hi! Are you there?" }]);
  });

  it("an add the model finds nothing in stores nothing and says why", async () => {
    await setUp();
    const error = await rejection(backend.store({ content: "Hi! Are you there?" }, ctx()));
    expect(error).toBeInstanceOf(NothingStoredError);
    expect(error.message).toContain("the mem0 platform reads the text with its language model");
    expect(fixture.memories()).toEqual([]);
  });

  it("a FAILED event is a failure naming the event and the reason", async () => {
    await setUp({ failEvents: "LLM provider timed out" });
    const error = await rejection(backend.store({ content: "The cache lives in Redis now." }, ctx()));
    expect(error).toBeInstanceOf(StoreFailedError);
    expect(error.message).toBe(`Nothing was stored: the mem0 platform could not process the memory (event ${fixture.events()[0]}: LLM provider timed out).`);
  });

  it("a connection dropped after the add was sent is not retried, and says it may or may not have been stored", async () => {
    await setUp({ pendingPolls: 0 });
    fixture.inject({ method: "POST", path: "/v3/memories/add/", reset: "after-body" });
    const error = await rejection(backend.store({ content: "The cache lives in Redis now." }, ctx()));
    expect(error).toBeInstanceOf(AmbiguousStoreError);
    expect(error.message).toContain("may or may not have been stored");
    expect(sent(fixture.requests, "POST", "/v3/memories/add/")).toHaveLength(1);
    expect(fixture.events()).toHaveLength(1);
  });

  it("a poll whose connection drops is retried", async () => {
    await setUp({ pendingPolls: 0 });
    fixture.inject({ method: "GET", path: "/v1/event/", reset: "after-body" });
    const result = stored(await backend.store({ content: "The cache lives in Redis now." }, ctx()));
    expect(result.ids).toHaveLength(1);
  });

  it("a 500 is one sentence", async () => {
    await setUp();
    fixture.inject({ method: "POST", path: "/v3/memories/add/", status: 500 });
    const error = await rejection(backend.store({ content: "The cache lives in Redis now." }, ctx()));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toBe(`The memory server at ${fixture.url} failed (500): Internal Server Error.`);
  });
});

describe("read, update, delete", () => {
  let mine: string;
  let otherProject: string;
  let otherUser: string;

  beforeEach(async () => {
    await setUp();
    mine = fixture.seed({ memory: "Mine in this project", user_id: USER, app_id: PROJECT.id!, metadata: { tags: ["a"], keep: 1 } });
    otherProject = fixture.seed({ memory: "Mine in the other project", user_id: USER, app_id: OTHER.id! });
    otherUser = fixture.seed({ memory: "Bob's in this project", user_id: "bob", app_id: PROJECT.id! });
  });

  it("get maps the record", async () => {
    expect(await backend.get(mine, ctx())).toMatchObject({ id: mine, content: "Mine in this project", tags: ["a"], metadata: { keep: 1 } });
  });

  it("a missing memory (404) is not found; a non-UUID is refused before any request", async () => {
    expect(await rejection(backend.get(MISSING, ctx()))).toBeInstanceOf(MemoryNotFoundError);
    fixture.clearRequests();
    expect(await rejection(backend.get("not-a-uuid", ctx()))).toBeInstanceOf(InvalidUuidError);
    expect(fixture.requests).toHaveLength(0);
  });

  it("refuses another project's memory (app_id) and another user's", async () => {
    expect(await rejection(backend.get(otherProject, ctx()))).toBeInstanceOf(WrongProjectError);
    expect(await rejection(backend.delete(otherProject, ctx()))).toBeInstanceOf(WrongProjectError);
    expect(await rejection(backend.update({ id: otherUser, content: "x" }, ctx(GLOBAL)))).toBeInstanceOf(OtherUserMemoryError);
    expect(sent(fixture.requests, "PUT")).toHaveLength(0);
    expect(sent(fixture.requests, "DELETE")).toHaveLength(0);
  });

  it("update sends the new text and the whole metadata, and returns the memory from the answer", async () => {
    const updated = await backend.update({ id: mine, content: "Mine, reworded", type: "note" }, ctx());
    expect(updated).toMatchObject({ id: mine, content: "Mine, reworded", tags: ["a"], type: "note", metadata: { keep: 1 } });
    expect(bodyOf(sent(fixture.requests, "PUT")[0])).toEqual({ text: "Mine, reworded", metadata: { keep: 1, tags: ["a"], type: "note" } });
    expect(sent(fixture.requests, "GET", `/v1/memories/${mine}/`)).toHaveLength(1);
  });

  it("history lists ADD then UPDATE", async () => {
    await backend.update({ id: mine, content: "Mine, reworded" }, ctx());
    expect(await backend.history!(mine, ctx())).toMatchObject([
      { event: "ADD", new_content: "Mine in this project" },
      { event: "UPDATE", old_content: "Mine in this project", new_content: "Mine, reworded" },
    ]);
  });

  it("delete takes the 200-with-message answer; a retried delete that finds it gone succeeds", async () => {
    await backend.delete(mine, ctx());
    expect(fixture.memories().some((m) => m.id === mine)).toBe(false);
    const again = fixture.seed({ memory: "Another of mine", user_id: USER, app_id: PROJECT.id! });
    fixture.inject({ method: "DELETE", reset: "after-body" });
    await backend.delete(again, ctx());
    expect(sent(fixture.requests, "DELETE", `/v1/memories/${again}/`)).toHaveLength(2);
  });

  it("search sends the ids only inside filters, as AND of user_id and app_id", async () => {
    const results = await backend.search({ query: "Mine project", limit: 5, scope: "project" }, ctx());
    expect(results.map((m) => m.id)).toEqual([mine]);
    expect(bodyOf(sent(fixture.requests, "POST", "/v3/memories/search/")[0])).toEqual({
      query: "Mine project",
      filters: { AND: [{ user_id: USER }, { app_id: PROJECT.id }] },
      top_k: 5,
    });
  });

  it("search with scope all filters by user only", async () => {
    const results = await backend.search({ query: "Mine project", limit: 5, scope: "all" }, ctx());
    expect(results.map((m) => m.id).sort()).toEqual([mine, otherProject].sort());
    expect(bodyOf(sent(fixture.requests, "POST", "/v3/memories/search/")[0]).filters).toEqual({ user_id: USER });
  });
});

describe("list", () => {
  beforeEach(() => setUp());

  it("walks the pages with filters, sorts newest first, and pages itself", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => fixture.seed({ memory: `Memory ${i}`, user_id: USER, app_id: PROJECT.id! }));
    fixture.seed({ memory: "Another project's", user_id: USER, app_id: OTHER.id! });
    const page = await backend.list({ page: 2, page_size: 100 }, ctx());
    expect(page).toMatchObject({ has_more: true, total: 250 });
    expect(page.memories.map((m) => m.id)).toEqual(ids.slice(50, 150).reverse());
    const requests = sent(fixture.requests, "POST", "/v3/memories/");
    expect(requests.map((r) => r.query)).toEqual([
      { page: "1", page_size: "200" },
      { page: "2", page_size: "200" },
    ]);
    expect(bodyOf(requests[0]).filters).toEqual({ AND: [{ user_id: USER }, { app_id: PROJECT.id }] });
  });

  it("stops at 1,000 and says so", async () => {
    for (let i = 0; i < 1005; i++) fixture.seed({ memory: `Memory ${i}`, user_id: USER, app_id: PROJECT.id! });
    const page = await backend.list({ page: 1, page_size: 10 }, ctx());
    expect(page.cappedAt).toBe(1000);
    expect(sent(fixture.requests, "POST", "/v3/memories/")).toHaveLength(5);
  });

  it("a page whose connection drops is fetched again", async () => {
    fixture.seed({ memory: "One", user_id: USER, app_id: PROJECT.id! });
    fixture.inject({ method: "POST", path: "/v3/memories/", reset: "after-body" });
    expect((await backend.list({ page: 1, page_size: 10 }, ctx())).memories).toHaveLength(1);
  });
});
