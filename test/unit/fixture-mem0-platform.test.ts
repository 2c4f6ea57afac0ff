/** The platform fixture answers as contracts/backends.md §3 and mem0's docs/openapi.json say, on the wire. */
import { afterEach, describe, expect, it } from "vitest";
import { createPlatformFixture, type PlatformFixture, type PlatformFixtureOptions } from "../fixtures/mem0-platform/index.js";

const open: PlatformFixture[] = [];
const MISSING = "3f2b8a61-5c4d-4e8f-9a0b-1c2d3e4f5a6b";

async function start(options?: PlatformFixtureOptions): Promise<PlatformFixture> {
  const fixture = await createPlatformFixture(options);
  open.push(fixture);
  return fixture;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

async function call(fixture: PlatformFixture, method: string, path: string, body?: unknown, token: string | null = fixture.apiKey): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Token ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(fixture.url + path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  return { status: res.status, body: await res.json() };
}

describe("mem0 platform fixture", () => {
  it("Token auth: /v1/ping/ names org and project; a wrong key is 401 Invalid API key", async () => {
    const fixture = await start();
    expect(await call(fixture, "GET", "/v1/ping/")).toEqual({ status: 200, body: { status: "ok", org_id: fixture.orgId, project_id: fixture.projectId, user_email: "dev@example.com" } });
    const wrong = await call(fixture, "GET", "/v1/ping/", undefined, "nope");
    expect(wrong.status).toBe(401);
    expect((wrong.body as { detail: string }).detail).toMatch(/^Invalid API key/);
    expect((await call(fixture, "GET", "/v1/ping/", undefined, null)).status).toBe(401);
  });

  it("an add is queued, and its event runs PENDING → RUNNING → SUCCEEDED with the memories", async () => {
    const fixture = await start({ pendingPolls: 1 });
    const added = await call(fixture, "POST", "/v3/memories/add/", { messages: [{ role: "user", content: "I prefer tabs. The build uses pnpm." }], user_id: "u" });
    expect(added.body).toEqual({ event_id: fixture.events()[0], status: "PENDING" });
    expect(fixture.memories()).toEqual([]);
    const path = `/v1/event/${fixture.events()[0]}/`;
    expect((await call(fixture, "GET", path)).body).toMatchObject({ status: "RUNNING", results: [] });
    const done = (await call(fixture, "GET", path)).body as { status: string; results: unknown[] };
    expect(done).toMatchObject({ status: "SUCCEEDED", results: [{ event: "ADD", user_id: "u", data: { memory: "I prefer tabs." } }, { event: "ADD", data: { memory: "The build uses pnpm." } }] });
    expect(fixture.memories()).toHaveLength(2);
    expect(await call(fixture, "GET", `/v1/event/${MISSING}/`)).toEqual({ status: 404, body: { error: "Event not found or you don't have permission to access it." } });
  });

  it("an add without any entity id is the invalid-input 400", async () => {
    const fixture = await start();
    expect(await call(fixture, "POST", "/v3/memories/add/", { messages: [{ role: "user", content: "x" }] })).toMatchObject({ status: 400, body: { error: "400 Bad Request", details: { message: expect.stringContaining("Invalid input data") } } });
  });

  it("search and list need filters scoping an entity, and refuse top-level ids", async () => {
    const fixture = await start();
    fixture.seed({ memory: "deploys on friday", user_id: "u", app_id: "p" });
    expect((await call(fixture, "POST", "/v3/memories/search/", { query: "deploys" })).status).toBe(400);
    expect((await call(fixture, "POST", "/v3/memories/search/", { query: "deploys", user_id: "u", filters: { user_id: "u" } })).status).toBe(400);
    expect((await call(fixture, "POST", "/v3/memories/search/", { query: "deploys", filters: { NOT: [{ user_id: "x" }] } })).status).toBe(400);
    const found = await call(fixture, "POST", "/v3/memories/search/", { query: "deploys", filters: { AND: [{ user_id: "u" }, { app_id: "p" }] } });
    expect(found.body).toMatchObject({ results: [{ memory: "deploys on friday", app_id: "p", run_id: null }] });
    const listed = await call(fixture, "POST", "/v3/memories/?page=1&page_size=1", { filters: { user_id: "u" } });
    expect(listed.body).toMatchObject({ count: 1, next: null, previous: null, results: [{ memory: "deploys on friday", session_id: null }] });
  });

  it("one memory: UUID check, Memory not found!, delete with a message", async () => {
    const fixture = await start();
    const id = fixture.seed({ memory: "m", user_id: "u" });
    expect(await call(fixture, "GET", "/v1/memories/abc/")).toEqual({ status: 400, body: { error: "memory_id should be a valid UUID" } });
    expect(await call(fixture, "GET", `/v1/memories/${MISSING}/`)).toEqual({ status: 404, body: { error: "Memory not found!" } });
    expect(await call(fixture, "PUT", `/v1/memories/${id}/`, { text: "m2" })).toMatchObject({ status: 200, body: { id, memory: "m2" } });
    expect(await call(fixture, "DELETE", `/v1/memories/${id}/`)).toEqual({ status: 200, body: { message: "Memory deleted successfully!" } });
    expect((await call(fixture, "GET", `/v1/memories/${id}/history/`)).body).toMatchObject([{ event: "ADD" }, { event: "UPDATE" }, { event: "DELETE" }]);
  });
});
