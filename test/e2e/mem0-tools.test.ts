import { createHash, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RecordedRequest } from "../fixtures/http-fixture/types.js";
import { createMem0Fixture, type Mem0Fixture } from "../fixtures/mem0/index.js";
import { createKeyedFixture, type KeyedFixture } from "../fixtures/mem0-keyed/index.js";
import { createPlatformFixture, type PlatformFixture } from "../fixtures/mem0-platform/index.js";
import { makeGitRepo } from "./git-repo.js";
import { startBridge, textOf, type BridgeProcess } from "./harness.js";

/** Every tool of the three mem0 backends, through the built CLI over stdio, against their fixtures. */

const WIDGETS = `project_widgets_${createHash("sha256").update("github.com/acme/widgets").digest("hex").slice(0, 8)}`;
const TWO_FACTS = "The cache is Redis. We deploy on Fridays.";

let repo: string;
let bridge: BridgeProcess | undefined;

beforeAll(() => {
  repo = makeGitRepo();
});
afterEach(async () => {
  await bridge?.transport.close();
  bridge = undefined;
});

async function start(env: Record<string, string>) {
  bridge = await startBridge({ env: { MEMORY_BRIDGE_USER_ID: "alice", ...env }, cwd: repo });
  return bridge.client;
}

type Client = Awaited<ReturnType<typeof start>>;
const call = (client: Client, name: string, args: Record<string, unknown> = {}) => client.callTool({ name, arguments: args });
const structured = <T>(result: unknown) => (result as { structuredContent: T }).structuredContent;
const authHeaders = (request: RecordedRequest) => ["authorization", "x-api-key"].filter((name) => request.headers[name] !== undefined);

/** The memory's whole life through the tools: two facts from one store, then get, update, history, search, list and delete. */
async function lifeOfAMemory(client: Client, history: boolean) {
  const stored = await call(client, "store_memory", { content: TWO_FACTS, tags: ["infra"] });
  expect(stored.isError, textOf(stored)).toBeFalsy();
  const { ids, id, project } = structured<{ ids: string[]; id: string; project: string }>(stored);
  expect(ids).toHaveLength(2);
  expect(id).toBe(ids[0]);
  expect(project).toBe(WIDGETS);
  expect(textOf(stored)).toMatch(/Stored 2 memories/);

  const nothing = await call(client, "store_memory", { content: "Hi!" });
  expect(nothing.isError).toBe(true);
  expect(textOf(nothing)).toMatch(/nothing was stored|no memory|stored nothing/i);

  const got = await call(client, "get_memory", { id });
  expect(structured<{ memory: { content: string; tags: string[] } }>(got).memory).toMatchObject({ content: "The cache is Redis.", tags: ["infra"] });

  const updated = await call(client, "update_memory", { id, content: "The cache is Valkey." });
  expect(updated.isError, textOf(updated)).toBeFalsy();
  expect(structured<{ memory: { content: string } }>(updated).memory.content).toBe("The cache is Valkey.");

  if (history) {
    const events = await call(client, "memory_history", { id });
    expect(events.isError, textOf(events)).toBeFalsy();
    expect(textOf(events)).toMatch(/History of memory .*\n1\. .*ADD.*\n2\. .*UPDATE: "The cache is Redis\." → "The cache is Valkey\."/);
  }

  const found = await call(client, "search_memories", { query: "Valkey cache" });
  expect(structured<{ results: { id: string }[] }>(found).results.map((r) => r.id)).toContain(id);
  const tagged = await call(client, "list_memories", { tags: ["infra"] });
  expect(structured<{ memories: unknown[] }>(tagged).memories).toHaveLength(2);

  const deleted = await call(client, "delete_memory", { id });
  expect(textOf(deleted)).toBe(`Deleted memory ${id}.`);
  const gone = await call(client, "get_memory", { id });
  expect(gone.isError).toBe(true);
  expect(textOf(gone)).toMatch(/not found|no memory/i);
  return { ids };
}

async function toolNames(client: Client) {
  const { tools } = await client.listTools();
  return Object.fromEntries(tools.map((tool) => [tool.name, tool]));
}

describe.each(["A", "B"] as const)("mem0 self-hosted, generation %s", (generation) => {
  let fixture: Mem0Fixture;
  beforeAll(async () => {
    fixture = await createMem0Fixture({ generation });
  });
  afterAll(() => fixture.close());
  const env = () => ({ MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: fixture.adminKey!, MEMORY_BRIDGE_BACKEND: "mem0" });

  it("lists memory_history and update_memory with content, and runs every tool with X-API-Key alone, as the user and the project", async () => {
    fixture.reset();
    const client = await start(env());
    const tools = await toolNames(client);
    expect(tools.memory_history).toBeDefined();
    expect(Object.keys(tools.update_memory!.inputSchema.properties ?? {})).toContain("content");
    await lifeOfAMemory(client, true);

    const authenticated = fixture.requests.filter((request) => request.path !== "/openapi.json");
    expect(authenticated.length).toBeGreaterThan(5);
    for (const request of authenticated) {
      expect(authHeaders(request)).toEqual(["x-api-key"]);
      expect(request.headers["x-api-key"]).toBe(fixture.adminKey);
    }
    const add = fixture.requests.find((request) => request.method === "POST" && request.path === "/memories");
    expect(add?.body).toMatchObject({ user_id: "alice", agent_id: WIDGETS, messages: [{ role: "user", content: TWO_FACTS }] });
  });

  it("refuses another project's memory and another user's, and says plainly when an id is not there", async () => {
    fixture.reset();
    const other = fixture.seed({ memory: "Gadgets use Postgres", user_id: "alice", agent_id: "project_gadgets_1" });
    const bob = fixture.seed({ memory: "Bob's note", user_id: "bob", agent_id: WIDGETS });
    const client = await start(env());
    for (const id of [other, bob]) {
      for (const [tool, args] of [["get_memory", { id }], ["update_memory", { id, tags: ["x"] }], ["delete_memory", { id }]] as const) {
        const refused = await call(client, tool, args);
        expect(refused.isError, `${tool} ${id}`).toBe(true);
      }
    }
    expect(fixture.memories()).toHaveLength(2);
    const missing = await call(client, "get_memory", { id: randomUUID() });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/not found|no memory/i);
  });

  it("stores the text verbatim with MEMORY_BRIDGE_MEM0_INFER=0", async () => {
    fixture.reset();
    const client = await start({ ...env(), MEMORY_BRIDGE_MEM0_INFER: "0" });
    const stored = await call(client, "store_memory", { content: TWO_FACTS });
    expect(stored.isError, textOf(stored)).toBeFalsy();
    expect(fixture.memories().map((memory) => memory.memory)).toEqual([TWO_FACTS]);
  });
});

describe("the mem0 platform", () => {
  let fixture: PlatformFixture;
  beforeAll(async () => {
    fixture = await createPlatformFixture();
  });
  afterAll(() => fixture.close());
  const env = () => ({ MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: fixture.apiKey, MEMORY_BRIDGE_BACKEND: "mem0-platform" });

  it("runs every tool with Authorization: Token alone, the project as app_id, and lists memory_history", async () => {
    fixture.reset();
    const client = await start(env());
    expect((await toolNames(client)).memory_history).toBeDefined();
    await lifeOfAMemory(client, true);
    for (const request of fixture.requests) {
      expect(authHeaders(request)).toEqual(["authorization"]);
      expect(request.headers.authorization).toBe(`Token ${fixture.apiKey}`);
    }
    const add = fixture.requests.find((request) => request.method === "POST" && request.path.includes("/memories/add"));
    expect(add?.body).toMatchObject({ user_id: "alice", app_id: WIDGETS });
  });

  it("refuses another project's memory and says plainly when an id is not there", async () => {
    fixture.reset();
    const other = fixture.seed({ memory: "Gadgets use Postgres", user_id: "alice", app_id: "project_gadgets_1" });
    const client = await start(env());
    const refused = await call(client, "get_memory", { id: other });
    expect(refused.isError).toBe(true);
    const missing = await call(client, "get_memory", { id: randomUUID() });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/not found|no memory/i);
  });
});

describe("the mem0 platform, an add still running at the deadline", () => {
  let fixture: PlatformFixture;
  beforeAll(async () => {
    fixture = await createPlatformFixture({ pendingPolls: Infinity });
  });
  afterAll(() => fixture.close());

  it("answers stored: pending with the event id, and no id", async () => {
    const client = await start({ MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: fixture.apiKey, MEMORY_BRIDGE_BACKEND: "mem0-platform", MEMORY_BRIDGE_TIMEOUT_MS: "1500" });
    const stored = await call(client, "store_memory", { content: TWO_FACTS });
    expect(stored.isError, textOf(stored)).toBeFalsy();
    expect(structured(stored)).toEqual({ stored: "pending", event_id: fixture.events()[0], project: WIDGETS });
    expect(textOf(stored)).toMatch(/still processing it .* will appear .* shortly/);
  });
});

describe("the mem0 API-key server", () => {
  let fixture: KeyedFixture;
  let key: string;
  beforeAll(async () => {
    fixture = await createKeyedFixture();
    key = Object.keys(fixture.apiKeys)[0]!;
  });
  afterAll(() => fixture.close());
  const env = () => ({ MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: key, MEMORY_BRIDGE_BACKEND: "mem0-keyed" });

  it("does not list memory_history, runs every tool with X-API-Key alone and keeps the project in metadata.project", async () => {
    fixture.reset();
    const client = await start(env());
    expect((await toolNames(client)).memory_history).toBeUndefined();
    await lifeOfAMemory(client, false);
    for (const request of fixture.requests.filter((request) => request.path !== "/health")) {
      expect(authHeaders(request)).toEqual(["x-api-key"]);
    }
    expect(fixture.memories().every((memory) => (memory.metadata as { project?: string }).project === WIDGETS)).toBe(true);
  });

  it("refuses another project's memory", async () => {
    fixture.reset();
    const other = fixture.seed({ memory: "Gadgets use Postgres", user_id: "alice", metadata: { project: "project_gadgets_1" } });
    const client = await start(env());
    const refused = await call(client, "get_memory", { id: other });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/project/);
  });

  it("names the key's own user when --user-id is another", async () => {
    fixture.reset();
    const client = await start({ ...env(), MEMORY_BRIDGE_USER_ID: "bob" });
    const refused = await call(client, "list_memories");
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/alice/);
  });
});
