/**
 * The backend for the API-key mem0 server of AUTH_SETUP.md against its fixture
 * (contracts/backends.md §4): keys that act only as their own user, projects in metadata.project.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AmbiguousStoreError,
  KeyUserMismatchError,
  MemoryNotFoundError,
  NothingStoredError,
  UnsupportedArgumentError,
  WrongProjectError,
} from "../../src/backends/errors.js";
import { createMem0KeyedBackend } from "../../src/backends/mem0-keyed.js";
import type { MemoryBackend } from "../../src/backends/types.js";
import { createHttpClient } from "../../src/http/client.js";
import { AuthError, ServerError } from "../../src/http/errors.js";
import type { HttpClient } from "../../src/http/types.js";
import { explain } from "../../src/mcp/error-words.js";
import { createKeyedFixture, type KeyedFixture } from "../fixtures/mem0-keyed/index.js";
import { rejection } from "./http-test-helpers.js";
import { bodyOf, expectOneAuthHeader, sent } from "./mem0-wire.js";
import { ctx, GLOBAL, OTHER, PROJECT } from "./memory-service-projects.js";
import { WORDS } from "../helpers/words.js";

const ALICE_KEY = "sk-alice-0123456789abcdef";
const BOB_KEY = "sk-bob-0123456789abcdef";

let fixture: KeyedFixture;
let backend: MemoryBackend;
const clients: HttpClient[] = [];

function backendWith(auth: { header: string; value: string } | undefined, userId = "alice"): MemoryBackend {
  const http = createHttpClient({ endpoint: fixture.url, allowHttp: true, baseDelayMs: 5, ...(auth && { auth }) });
  clients.push(http);
  return createMem0KeyedBackend({ http, userId });
}

beforeEach(async () => {
  fixture = await createKeyedFixture({ apiKeys: { [ALICE_KEY]: "alice", [BOB_KEY]: "bob" } });
  backend = backendWith({ header: "x-api-key", value: ALICE_KEY });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await fixture.close();
});

describe("auth", () => {
  it("sends exactly one header, X-API-Key, on every call but the public /health", async () => {
    const result = await backend.store({ content: "The build uses pnpm workspaces." }, ctx());
    await backend.search({ query: "pnpm build", limit: 5, scope: "project" }, ctx());
    await backend.list({ page: 1, page_size: 10 }, ctx());
    await backend.update({ id: result.id, content: "The build uses pnpm 9 workspaces." }, ctx());
    await backend.delete(result.id, ctx());
    expect(await backend.status(ctx())).toMatchObject({ reachable: true, tokenAccepted: true, server: { user_id: "alice", total_memories: 0 } });
    expectOneAuthHeader(fixture.requests, "x-api-key", ALICE_KEY, ["/health"]);
    expect(sent(fixture.requests, "GET", "/health")[0]!.headers["x-api-key"]).toBeUndefined();
  });

  it("a key used for another user: the 403 names the key's user, and the edge says to set it", async () => {
    const asBob = backendWith({ header: "x-api-key", value: ALICE_KEY }, "bob");
    const error = await rejection(asBob.store({ content: "The cache lives in Redis now." }, ctx()));
    expect(error).toBeInstanceOf(KeyUserMismatchError);
    expect(error).toMatchObject({ keyUser: "alice", configuredUser: "bob" });
    expect(explain(error, WORDS)).toMatch(/^This key belongs to 'alice': set --user-id alice/);
    // verifyToken, which login runs, reads the same name.
    expect(await rejection(asBob.verifyToken(ctx()))).toMatchObject({ keyUser: "alice" });
    expect(fixture.memories()).toEqual([]);
  });

  it("no key is a 403 here, still reported as a missing token that says to log in", async () => {
    const anonymous = backendWith(undefined);
    const error = await rejection(anonymous.list({ page: 1, page_size: 5 }, ctx()));
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 403, code: "auth-missing" });
    expect(explain(error, WORDS)).toBe(
      `Authentication required (403) at ${fixture.url}: no token is configured for this endpoint, so none was sent (Not authenticated). Run: npx mcp-memory-bridge login ${fixture.url}`,
    );
    const wrongScheme = backendWith({ header: "authorization", value: `Bearer ${ALICE_KEY}` });
    const sentElsewhere = await rejection(wrongScheme.list({ page: 1, page_size: 5 }, ctx()));
    expect(sentElsewhere).toMatchObject({ status: 403, code: "auth-not-found" });
    expect(explain(sentElsewhere, WORDS)).toContain("check --auth-scheme");
  });

  it("a wrong key is a 401", async () => {
    const error = await rejection(backendWith({ header: "x-api-key", value: "sk-nobody-000000000000" }).list({ page: 1, page_size: 5 }, ctx()));
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(401);
  });
});

describe("store", () => {
  it("sends the text as one user message with the user, the project in metadata.project, and lists every memory", async () => {
    const result = await backend.store({ content: "The API uses snake_case ids. Deploys run on Fridays.", tags: ["conventions"] }, ctx());
    expect(bodyOf(sent(fixture.requests, "POST", "/memories")[0])).toEqual({
      messages: [{ role: "user", content: "The API uses snake_case ids. Deploys run on Fridays." }],
      user_id: "alice",
      metadata: { tags: ["conventions"], project: PROJECT.id },
      infer: true,
    });
    const memories = fixture.memories();
    expect(result.ids).toEqual(memories.map((m) => m.id));
    expect(memories).toHaveLength(2);
  });

  it("a text the model finds nothing in stores nothing", async () => {
    expect(await rejection(backend.store({ content: "Hi! Are you there?" }, ctx()))).toBeInstanceOf(NothingStoredError);
  });

  it("metadata.project is the bridge's: a caller cannot set it", async () => {
    expect(await rejection(backend.store({ content: "A fact worth keeping.", metadata: { project: "elsewhere" } }, ctx()))).toBeInstanceOf(UnsupportedArgumentError);
    expect(fixture.requests).toHaveLength(0);
  });

  it("a connection dropped after the request was sent is not retried", async () => {
    fixture.inject({ method: "POST", path: "/memories", reset: "after-body" });
    const error = await rejection(backend.store({ content: "The cache lives in Redis now." }, ctx()));
    expect(error).toBeInstanceOf(AmbiguousStoreError);
    expect(error.message).toContain("may or may not have been stored");
    expect(sent(fixture.requests, "POST", "/memories")).toHaveLength(1);
  });

  it("a 500 is one sentence", async () => {
    fixture.inject({ method: "POST", path: "/memories", status: 500, body: { detail: "Error adding memory: LLM unavailable" } });
    const error = await rejection(backend.store({ content: "The cache lives in Redis now." }, ctx()));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toBe(`The memory server at ${fixture.url} failed (500): Error adding memory: LLM unavailable.`);
  });
});

describe("projects and ownership", () => {
  let mine: string;
  let otherProject: string;

  beforeEach(() => {
    mine = fixture.seed({ memory: "Mine in this project", user_id: "alice", metadata: { project: PROJECT.id, tags: ["a"] } });
    otherProject = fixture.seed({ memory: "Mine in the other project", user_id: "alice", metadata: { project: OTHER.id } });
    fixture.seed({ memory: "Bob's", user_id: "bob", metadata: { project: PROJECT.id } });
  });

  it("list keeps this project's records (metadata.project hidden), newest first", async () => {
    const newer = fixture.seed({ memory: "Newer one", user_id: "alice", metadata: { project: PROJECT.id } });
    const page = await backend.list({ page: 1, page_size: 10 }, ctx());
    expect(page.memories.map((m) => m.id)).toEqual([newer, mine]);
    expect(page.memories[1]).toMatchObject({ tags: ["a"] });
    expect(page.memories[1]!.metadata).toBeUndefined();
    expect(sent(fixture.requests, "GET", "/memories/alice")).toHaveLength(1);
  });

  it("get, update and delete refuse another project's memory", async () => {
    expect(await rejection(backend.get(otherProject, ctx()))).toBeInstanceOf(WrongProjectError);
    expect(await rejection(backend.update({ id: otherProject, content: "x" }, ctx()))).toBeInstanceOf(WrongProjectError);
    expect(await rejection(backend.delete(otherProject, ctx()))).toBeInstanceOf(WrongProjectError);
    expect(sent(fixture.requests, "PUT")).toHaveLength(0);
    expect(sent(fixture.requests, "DELETE")).toHaveLength(0);
    expect((await backend.get(otherProject, ctx(GLOBAL))).id).toBe(otherProject);
  });

  it("update sends memory_id, the text (as text and data) and the metadata with the project kept", async () => {
    const updated = await backend.update({ id: mine, content: "Mine, reworded" }, ctx());
    expect(updated).toMatchObject({ id: mine, content: "Mine, reworded", tags: ["a"] });
    expect(bodyOf(sent(fixture.requests, "PUT", "/memories")[0])).toEqual({ memory_id: mine, text: "Mine, reworded", data: "Mine, reworded", metadata: { tags: ["a"], project: PROJECT.id } });
  });

  it("a missing memory is not found; a retried delete that finds it gone succeeds", async () => {
    expect(await rejection(backend.get("3f2b8a61-5c4d-4e8f-9a0b-1c2d3e4f5a6b", ctx()))).toBeInstanceOf(MemoryNotFoundError);
    fixture.inject({ method: "DELETE", reset: "after-body" });
    await backend.delete(mine, ctx());
    expect(sent(fixture.requests, "DELETE")).toHaveLength(2);
  });

  it("search over-fetches and keeps this project's records", async () => {
    const results = await backend.search({ query: "Mine project", limit: 5, scope: "project" }, ctx());
    expect(results.map((m) => m.id)).toEqual([mine]);
    expect(bodyOf(sent(fixture.requests, "POST", "/memories/search")[0])).toEqual({ query: "Mine project", user_id: "alice", limit: 100 });
  });

  it("a read whose connection drops is retried to success", async () => {
    fixture.inject({ method: "GET", path: "/memories/alice", reset: "after-body" });
    expect((await backend.list({ page: 1, page_size: 5 }, ctx())).memories.map((m) => m.id)).toEqual([mine]);
    expect(sent(fixture.requests, "GET", "/memories/alice")).toHaveLength(2);
  });

  it("a full list says the listing may be cut", async () => {
    for (let i = 0; i < 100; i++) fixture.seed({ memory: `Memory ${i}`, user_id: "alice", metadata: { project: PROJECT.id } });
    expect((await backend.list({ page: 1, page_size: 5 }, ctx())).cappedAt).toBe(100);
  });
});
