import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { makeGitRepo } from "./git-repo.js";
import { startBridge, textOf, type BridgeProcess } from "./harness.js";

const projectId = (name: string, key: string) => `project_${name}_${createHash("sha256").update(key).digest("hex").slice(0, 8)}`;
const WIDGETS = projectId("widgets", "github.com/acme/widgets");

let fixture: MemoryServiceFixture;
let repo: string;
let bridge: BridgeProcess | undefined;

beforeAll(async () => {
  fixture = await createMemoryServiceFixture();
  repo = makeGitRepo();
});
afterAll(async () => {
  await fixture.close();
});
beforeEach(() => fixture.reset());
afterEach(async () => {
  await bridge?.transport.close();
  bridge = undefined;
});

async function start(env: Record<string, string> = {}, extra: { roots?: string[]; cwd?: string } = {}) {
  bridge = await startBridge({
    env: { MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: fixture.token ?? "", ...env },
    cwd: extra.cwd ?? repo,
    ...(extra.roots && { roots: extra.roots }),
  });
  return bridge.client;
}

describe("tool list", () => {
  it("lists the seven tools with schemas and annotations, and no memory_history for this backend", async () => {
    const client = await start();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ["delete_memory", "get_memory", "list_memories", "memory_status", "search_memories", "store_memory", "update_memory"],
    );
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.store_memory!.inputSchema.required).toEqual(["content"]);
    expect(byName.search_memories!.annotations?.readOnlyHint).toBe(true);
    expect(byName.delete_memory!.annotations).toMatchObject({ destructiveHint: true, idempotentHint: true });
    expect(byName.update_memory!.annotations).toMatchObject({ destructiveHint: false, idempotentHint: true });
    expect(byName.store_memory!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    // mcp-memory-service cannot change a memory's text: update_memory offers no `content`.
    expect(Object.keys(byName.update_memory!.inputSchema.properties ?? {}).sort()).toEqual(["id", "metadata", "tags", "type"]);
    expect(byName.update_memory!.description).toMatch(/cannot change a memory's text/);
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(40);
      expect(tool.outputSchema).toBeDefined();
    }
    const info = client.getServerVersion();
    expect(info?.name).toBe("mcp-memory-bridge");
  });
});

describe("every tool against the fixture", () => {
  it("store → search → list → get → update → delete → status, scoped to the repository's project", async () => {
    const client = await start();
    const stored = await client.callTool({ name: "store_memory", arguments: { content: "Deploys go out on Tuesdays after the standup.", tags: ["process"], type: "note" } });
    expect(stored.isError).toBeFalsy();
    expect(stored.structuredContent).toMatchObject({ stored: true, deduplicated: false, project: WIDGETS });
    const id = (stored.structuredContent as { id: string }).id;
    expect(textOf(stored)).toContain(id);

    const storeRequest = fixture.requests.find((r) => r.method === "POST" && r.path === "/api/memories")!;
    expect(storeRequest.headers.authorization).toBe(`Bearer ${fixture.token}`);
    expect(storeRequest.body).toMatchObject({ content: "Deploys go out on Tuesdays after the standup.", tags: ["process", `proj:${WIDGETS}`], memory_type: "note" });

    const found = await client.callTool({ name: "search_memories", arguments: { query: "when do deploys go out?" } });
    const results = (found.structuredContent as { results: { id: string; tags: string[]; score?: number }[] }).results;
    expect(results.map((r) => r.id)).toEqual([id]);
    expect(results[0]!.tags).toEqual(["process"]);
    expect(typeof results[0]!.score).toBe("number");
    expect(textOf(found)).toMatch(/1\. Deploys go out on Tuesdays/);

    const listed = await client.callTool({ name: "list_memories", arguments: {} });
    expect(listed.structuredContent).toMatchObject({ page: 1, page_size: 20, has_more: false, total: 1 });
    const listRequest = fixture.requests.find((r) => r.method === "GET" && r.path === "/api/memories")!;
    expect(listRequest.query).toMatchObject({ tag: `proj:${WIDGETS}`, tag_match: "all", page: "1", page_size: "20" });

    const got = await client.callTool({ name: "get_memory", arguments: { id } });
    expect(got.structuredContent).toMatchObject({ memory: { id, content: "Deploys go out on Tuesdays after the standup.", tags: ["process"], type: "note" } });
    expect((got.structuredContent as { memory: { created_at: string } }).memory.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    const updated = await client.callTool({ name: "update_memory", arguments: { id, tags: ["process", "release"], metadata: { owner: "ops" } } });
    expect(updated.isError).toBeFalsy();
    expect(updated.structuredContent).toMatchObject({ memory: { id, tags: ["process", "release"], metadata: { owner: "ops" } } });
    expect(fixture.memories()[0]!.tags).toContain(`proj:${WIDGETS}`);

    const deleted = await client.callTool({ name: "delete_memory", arguments: { id } });
    expect(deleted.structuredContent).toEqual({ id, deleted: true });
    expect(fixture.memories()).toHaveLength(0);

    const status = await client.callTool({ name: "memory_status", arguments: {} });
    expect(status.structuredContent).toMatchObject({
      endpoint: fixture.url,
      backend: "mcp-memory-service",
      project: { id: WIDGETS, mode: "auto", source: "cwd" },
      auth: { source: "env", scheme: "bearer" },
      reachable: true,
    });
    expect(JSON.stringify(status)).not.toContain(fixture.token!);
  });

  it("says when a memory does not exist instead of pretending success", async () => {
    const client = await start();
    const missing = "0".repeat(64);
    const got = await client.callTool({ name: "get_memory", arguments: { id: missing } });
    expect(got.isError).toBe(true);
    expect(textOf(got)).toBe(`Memory ${missing} not found; it may have been deleted, or the id may be mistyped: find the right id with search_memories (by its text) or list_memories.`);
    const deleted = await client.callTool({ name: "delete_memory", arguments: { id: missing } });
    expect(deleted.isError).toBe(true);
    expect(textOf(deleted)).toBe(`Memory ${missing} not found; it may have been deleted, or the id may be mistyped: find the right id with search_memories (by its text) or list_memories.`);
    const updated = await client.callTool({ name: "update_memory", arguments: { id: missing, tags: ["x"] } });
    expect(updated.isError).toBe(true);
    expect(textOf(updated)).toMatch(/not found; .*find the right id with search_memories .* or list_memories\.$/);
    // The tools it names answer, with the ids to use.
    await client.callTool({ name: "store_memory", arguments: { content: "the real one" } });
    const listed = await client.callTool({ name: "list_memories", arguments: {} });
    expect(listed.isError).toBeFalsy();
    expect(textOf(listed)).toContain("the real one");
  });

  it("refuses to read, change or delete another project's memory", async () => {
    const client = await start();
    const other = fixture.seed({ content: "Belongs to the other repo", tags: ["proj:project_other_12345678"] });
    for (const [name, args] of [
      ["get_memory", { id: other.content_hash }],
      ["update_memory", { id: other.content_hash, tags: ["x"] }],
      ["delete_memory", { id: other.content_hash }],
    ] as const) {
      const result = await client.callTool({ name, arguments: args });
      expect(result.isError, name).toBe(true);
      expect(textOf(result)).toBe(`Memory ${other.content_hash} belongs to another project`);
    }
    expect(fixture.requests.filter((r) => r.method === "PUT" || r.method === "DELETE")).toHaveLength(0);
    expect(fixture.memories()).toHaveLength(1);
  });

  it("searches only this project unless scope is all", async () => {
    const client = await start();
    fixture.seed({ content: "The cache is Redis in widgets", tags: [`proj:${WIDGETS}`] });
    fixture.seed({ content: "The cache is Memcached in gadgets", tags: ["proj:project_gadgets_87654321"] });
    const scoped = await client.callTool({ name: "search_memories", arguments: { query: "which cache", limit: 5 } });
    expect((scoped.structuredContent as { results: { content: string }[] }).results.map((r) => r.content)).toEqual(["The cache is Redis in widgets"]);
    const everywhere = await client.callTool({ name: "search_memories", arguments: { query: "which cache", limit: 5, scope: "all" } });
    expect((everywhere.structuredContent as { results: unknown[] }).results).toHaveLength(2);
  });

  it("names the backend and the argument when content cannot be updated", async () => {
    const client = await start();
    const stored = await client.callTool({ name: "store_memory", arguments: { content: "v1" } });
    const id = (stored.structuredContent as { id: string }).id;
    const result = await client.callTool({ name: "update_memory", arguments: { id, content: "v2" } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/mcp-memory-service.*`content`/);
  });

  it("rejects invalid arguments naming the argument and the rule", async () => {
    const client = await start();
    const empty = await client.callTool({ name: "store_memory", arguments: { content: "" } });
    expect(empty.isError).toBe(true);
    expect(textOf(empty)).toMatch(/content must not be empty/);
    const limit = await client.callTool({ name: "search_memories", arguments: { query: "x", limit: 500 } });
    expect(limit.isError).toBe(true);
    expect(textOf(limit)).toMatch(/limit is at most 100/);
    const nothing = await client.callTool({ name: "update_memory", arguments: { id: "abc" } });
    expect(nothing.isError).toBe(true);
    expect(textOf(nothing)).toMatch(/at least one of content, tags, type or metadata/);
    expect(fixture.requests).toHaveLength(0);
  });

  it("deduplicates identical content as a success", async () => {
    const client = await start();
    const first = await client.callTool({ name: "store_memory", arguments: { content: "Same text" } });
    const second = await client.callTool({ name: "store_memory", arguments: { content: "Same text" } });
    expect(second.isError).toBeFalsy();
    expect(second.structuredContent).toMatchObject({ id: (first.structuredContent as { id: string }).id, stored: true, deduplicated: true });
    expect(fixture.memories()).toHaveLength(1);
  });
});

describe("project modes", () => {
  it("global mode adds no project tag and reports project null", async () => {
    const client = await start({ MEMORY_BRIDGE_PROJECT_MODE: "global" });
    const stored = await client.callTool({ name: "store_memory", arguments: { content: "Team-wide fact", tags: ["team"] } });
    expect(stored.structuredContent).toMatchObject({ project: null });
    expect(fixture.memories()[0]!.tags).toEqual(["team"]);
  });

  it("manual mode uses the slugged id, and without one every scoped tool explains what to set", async () => {
    let client = await start({ MEMORY_BRIDGE_PROJECT_MODE: "manual", MEMORY_BRIDGE_PROJECT_ID: "My Notes!" });
    const stored = await client.callTool({ name: "store_memory", arguments: { content: "manual" } });
    expect(stored.structuredContent).toMatchObject({ project: "my-notes" });
    await bridge!.transport.close();

    client = await start({ PROJECT_ID_MODE: "manual" });
    const failed = await client.callTool({ name: "list_memories", arguments: {} });
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toMatch(/MEMORY_BRIDGE_PROJECT_ID|--project/);
    const status = await client.callTool({ name: "memory_status", arguments: {} });
    expect(status.isError).toBeFalsy();
    expect(status.structuredContent).toMatchObject({ project: { id: null, mode: "manual" } });
  });

  it("uses the client's first file:// root instead of the working directory", async () => {
    const other = makeGitRepo("https://github.com/acme/gizmos.git");
    const client = await start({}, { roots: [pathToFileURL(other).href], cwd: repo });
    const status = await client.callTool({ name: "memory_status", arguments: {} });
    expect(status.structuredContent).toMatchObject({ project: { id: projectId("gizmos", "github.com/acme/gizmos"), source: "roots" } });
  });

  it("resolves the project again when the client's roots change", async () => {
    const first = makeGitRepo("https://github.com/acme/first.git");
    const second = makeGitRepo("https://github.com/acme/second.git");
    const roots = [pathToFileURL(first).href];
    const client = await start({}, { roots, cwd: repo });
    const before = await client.callTool({ name: "memory_status", arguments: {} });
    expect(before.structuredContent).toMatchObject({ project: { id: projectId("first", "github.com/acme/first") } });
    roots.splice(0, 1, pathToFileURL(second).href);
    await client.sendRootsListChanged();
    const after = await client.callTool({ name: "memory_status", arguments: {} });
    expect(after.structuredContent).toMatchObject({ project: { id: projectId("second", "github.com/acme/second"), source: "roots" } });
  });

  it("a roots/list answered too late is asked again on the next call, not cached", async () => {
    const late = makeGitRepo("https://github.com/acme/late.git");
    bridge = await startBridge({
      env: { MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: fixture.token ?? "" },
      cwd: "/",
      roots: [pathToFileURL(late).href],
      rootsDelaysMs: [3_000],
    });
    // A store cannot know its project yet: it is refused rather than filed under the working directory ("/": global).
    const first = await bridge.client.callTool({ name: "store_memory", arguments: { content: "stored while roots were late" } });
    expect(first.isError).toBe(true);
    expect(textOf(first)).toMatch(/Nothing was stored.*roots\/list.*Try again/);
    expect(fixture.memories()).toHaveLength(0);
    // The next one asks the client again and gets the repository.
    const second = await bridge.client.callTool({ name: "store_memory", arguments: { content: "stored once roots came" } });
    expect(second.structuredContent).toMatchObject({ project: projectId("late", "github.com/acme/late") });
    expect(bridge.transport.stderr).toMatch(/did not report its roots/);
  });

  it("falls back to global scope when started at the filesystem root, as desktop clients do", async () => {
    const client = await start({}, { cwd: "/" });
    const status = await client.callTool({ name: "memory_status", arguments: {} });
    expect(status.structuredContent).toMatchObject({ project: { id: null, mode: "global", source: "fallback" } });
  });
});

describe("authentication and set-up errors", () => {
  it("a rejected token from the environment says so and names the variable to fix (login cannot override it)", async () => {
    const client = await start({ MEMORY_BRIDGE_TOKEN: "wrong-token-123456" });
    const result = await client.callTool({ name: "list_memories", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("401");
    expect(textOf(result)).toContain("the token comes from MEMORY_BRIDGE_TOKEN");
    expect(textOf(result)).toContain("`unset MEMORY_BRIDGE_TOKEN`");
    expect(textOf(result)).not.toContain("wrong-token-123456");
  });

  it("no token: the message says none is configured", async () => {
    const client = await start({ MEMORY_BRIDGE_TOKEN: "" });
    const result = await client.callTool({ name: "list_memories", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/401/);
    expect(textOf(result)).toMatch(/login/);
  });

  // The only test that listens on port 8000 (mcp-memory-service's default): it needs that port free.
  it("no endpoint: tries mcp-memory-service's default address, says so, and finds a token stored under localhost", async () => {
    const DEFAULT = "http://127.0.0.1:8000/api";
    bridge = await startBridge({ env: {}, cwd: repo });
    const result = await bridge.client.callTool({ name: "search_memories", arguments: { query: "x" } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Cannot reach the memory server at http:\/\/127\.0\.0\.1:8000\/api .* No memory server is configured/);
    expect(textOf(result)).toMatch(/login <URL>` or set MEMORY_BRIDGE_ENDPOINT/);
    const status = await bridge.client.callTool({ name: "memory_status", arguments: {} });
    expect(status.structuredContent).toMatchObject({ endpoint: DEFAULT, endpoint_source: "default", reachable: false });
    expect(textOf(status)).toContain(`endpoint: ${DEFAULT} (nothing configured: mcp-memory-service's default address)`);

    // A server comes up there, and `login` had stored its token under another spelling of the address.
    const local = await createMemoryServiceFixture({ port: 8000 });
    try {
      writeFileSync(join(bridge.configDir, "credentials.json"), JSON.stringify({ "http://localhost:8000/api": local.token }), { mode: 0o600 });
      const stored = await bridge.client.callTool({ name: "store_memory", arguments: { content: "found the server at the default address" } });
      expect(stored.isError, textOf(stored)).toBeFalsy();
      expect(local.memories()).toHaveLength(1);
      expect(local.requests.at(-1)!.headers.authorization).toBe(`Bearer ${local.token}`);
    } finally {
      await local.close();
    }
  });

  it("an invalid setting does not stop the server: every tool and memory_status name it", async () => {
    const client = await start({ MEMORY_BRIDGE_TIMEOUT_MS: "soon" });
    const result = await client.callTool({ name: "list_memories", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/MEMORY_BRIDGE_TIMEOUT_MS "soon"/);
    const status = await client.callTool({ name: "memory_status", arguments: {} });
    const problems = (status.structuredContent as { problems: string[] }).problems;
    expect(problems).toEqual([expect.stringMatching(/MEMORY_BRIDGE_TIMEOUT_MS "soon"/)]);
    expect(bridge!.transport.stderr).toMatch(/MEMORY_BRIDGE_TIMEOUT_MS/);
  });

  it("legacy http-mcp-bridge.js variables work unchanged", async () => {
    for (const variable of ["MCP_MEMORY_HTTP_ENDPOINT", "MCP_HTTP_ENDPOINT"]) {
      fixture.clearRequests();
      bridge = await startBridge({ env: { [variable]: fixture.url, MCP_MEMORY_API_KEY: fixture.token!, MCP_MEMORY_AUTO_DISCOVER: "false" }, cwd: repo });
      const result = await bridge.client.callTool({ name: "list_memories", arguments: {} });
      expect(result.isError, variable).toBeFalsy();
      expect(fixture.requests.at(-1)!.headers.authorization).toBe(`Bearer ${fixture.token}`);
      await bridge.transport.close();
      bridge = undefined;
    }
  });
});
