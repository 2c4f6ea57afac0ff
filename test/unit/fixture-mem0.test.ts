/** The mem0 fixture answers as contracts/backends.md §2 says each generation does, on the wire. */
import { afterEach, describe, expect, it } from "vitest";
import { createMem0Fixture, factsOf, type Mem0Fixture, type Mem0FixtureOptions } from "../fixtures/mem0/index.js";

const open: Mem0Fixture[] = [];
const MISSING = "3f2b8a61-5c4d-4e8f-9a0b-1c2d3e4f5a6b";

async function start(options: Mem0FixtureOptions): Promise<Mem0Fixture> {
  const fixture = await createMem0Fixture(options);
  open.push(fixture);
  return fixture;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

async function call(fixture: Mem0Fixture, method: string, path: string, body?: unknown, headers: Record<string, string> = { "x-api-key": fixture.adminKey ?? "" }): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(fixture.url + path, {
    method,
    headers: { ...headers, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    redirect: "manual",
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === "" ? undefined : JSON.parse(text) };
}

describe("fact extraction stand-in", () => {
  it("keeps statements of three words or more, not questions or greetings", () => {
    expect(factsOf("I prefer tabs. The build uses pnpm! Hi. What now?\nDeploys run on Fridays")).toEqual(["I prefer tabs.", "The build uses pnpm!", "Deploys run on Fridays"]);
    expect(factsOf("Hi! Are you there?")).toEqual([]);
  });
});

describe("generation A auth", () => {
  it("missing and wrong keys: 401 with WWW-Authenticate: ApiKey; Bearer is not looked at", async () => {
    const fixture = await start({ generation: "A" });
    const missing = await call(fixture, "GET", "/memories?user_id=a", undefined, { authorization: `Bearer ${fixture.adminKey}` });
    expect(missing).toMatchObject({ status: 401, body: { detail: "X-API-Key header is required." } });
    expect(missing.headers.get("www-authenticate")).toBe("ApiKey");
    const wrong = await call(fixture, "GET", "/memories?user_id=a", undefined, { "x-api-key": fixture.adminKey!.toUpperCase() });
    expect(wrong).toMatchObject({ status: 401, body: { detail: "Invalid API key." } });
    expect(wrong.headers.get("www-authenticate")).toBe("ApiKey");
    expect(wrong.headers.get("x-request-id")).toBeNull();
  });

  it("without ADMIN_API_KEY every route is open", async () => {
    const fixture = await start({ generation: "A", adminKey: null });
    expect((await call(fixture, "GET", "/memories?user_id=a", undefined, {})).status).toBe(200);
  });
});

describe("generation B auth", () => {
  it("no credentials: 401 with WWW-Authenticate: Bearer; a wrong key: 401 without it; a bad JWT wins over a good key", async () => {
    const fixture = await start({ generation: "B" });
    const none = await call(fixture, "GET", "/memories?user_id=a", undefined, {});
    expect(none).toMatchObject({ status: 401, body: { detail: "Authentication required. Provide a Bearer token or X-API-Key header." } });
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    const wrong = await call(fixture, "GET", "/memories?user_id=a", undefined, { "x-api-key": "nope" });
    expect(wrong).toMatchObject({ status: 401, body: { detail: "Invalid API key." } });
    expect(wrong.headers.get("www-authenticate")).toBeNull();
    const both = await call(fixture, "GET", "/memories?user_id=a", undefined, { "x-api-key": fixture.adminKey!, authorization: "Bearer not.a.jwt" });
    expect(both).toMatchObject({ status: 401, body: { detail: "Invalid or expired token." } });
  });

  it("every answer carries X-Request-ID; /openapi.json is open and titled for detection", async () => {
    const fixture = await start({ generation: "B" });
    const openapi = await call(fixture, "GET", "/openapi.json", undefined, {});
    expect(openapi.status).toBe(200);
    expect((openapi.body as { info: { title: string } }).info.title).toMatch(/mem0/i);
    expect(openapi.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}$/);
  });

  it("listing without ids needs an admin", async () => {
    const fixture = await start({ generation: "B", adminKey: null, userKeys: { m0sk_user: "alice" } });
    expect(await call(fixture, "GET", "/memories", undefined, { "x-api-key": "m0sk_user" })).toMatchObject({ status: 403, body: { detail: "Admin role required to list all memories." } });
  });
});

describe.each(["A", "B"] as const)("generation %s routes", (generation) => {
  it("an add without ids is a 400; with ids the stand-in makes one memory per fact", async () => {
    const fixture = await start({ generation });
    expect(await call(fixture, "POST", "/memories", { messages: [{ role: "user", content: "x" }] })).toMatchObject({ status: 400, body: { detail: "At least one identifier (user_id, agent_id, run_id) is required." } });
    const added = await call(fixture, "POST", "/memories", { messages: [{ role: "user", content: "I prefer tabs. The build uses pnpm." }], user_id: "u" });
    expect(added.body).toMatchObject({ results: [{ memory: "I prefer tabs.", event: "ADD" }, { memory: "The build uses pnpm.", event: "ADD" }] });
    expect(await call(fixture, "POST", "/memories", { messages: [{ role: "user" }], user_id: "u" })).toMatchObject({ status: 422 });
  });

  it("a missing memory is 200 null; its update and delete fail as the generation does", async () => {
    const fixture = await start({ generation });
    expect(await call(fixture, "GET", `/memories/${MISSING}`)).toMatchObject({ status: 200, body: null });
    const put = await call(fixture, "PUT", `/memories/${MISSING}`, { text: "t" });
    const del = await call(fixture, "DELETE", `/memories/${MISSING}`);
    expect(put).toMatchObject({ status: generation === "A" ? 500 : 404, body: { detail: `Memory with id ${MISSING} not found. Please provide a valid 'memory_id'` } });
    expect(del).toMatchObject({ status: generation === "A" ? 500 : 404, body: { detail: `Memory with id ${MISSING} not found` } });
    expect(await call(fixture, "GET", `/memories/${MISSING}/history`)).toMatchObject({ status: 200, body: [] });
  });

  it("a non-UUID id makes the vector store fail", async () => {
    const fixture = await start({ generation });
    const res = await call(fixture, "GET", "/memories/abc");
    if (generation === "A") {
      expect(res.status).toBe(500);
      expect((res.body as { detail: string }).detail).toContain('invalid input syntax for type uuid: "abc"');
    } else {
      expect(res).toMatchObject({ status: 502, body: { detail: "Upstream provider error.", code: "unknown", request_id: res.headers.get("x-request-id") } });
    }
  });

  it(generation === "A" ? "search reads top-level ids and limit, not top_k" : "search reads filters and top_k, not limit", async () => {
    const fixture = await start({ generation });
    for (let i = 0; i < 30; i++) fixture.seed({ memory: `deploy note ${i}`, user_id: "u" });
    const ids = generation === "A" ? { user_id: "u" } : { filters: { user_id: "u" } };
    const results = async (extra: object) => ((await call(fixture, "POST", "/search", { query: "deploy note", ...ids, ...extra })).body as { results: unknown[] }).results.length;
    expect(await results({ limit: 3 })).toBe(generation === "A" ? 3 : 20);
    expect(await results({ top_k: 3 })).toBe(generation === "A" ? 30 : 3);
  });

  it(generation === "A" ? "list ignores top_k and stops at 100" : "list honours top_k up to 1000, default 20", async () => {
    const fixture = await start({ generation });
    for (let i = 0; i < 120; i++) fixture.seed({ memory: `m ${i}`, user_id: "u" });
    const count = async (query: string) => ((await call(fixture, "GET", `/memories?user_id=u${query}`)).body as { results: unknown[] }).results.length;
    expect(await count("&top_k=1000")).toBe(generation === "A" ? 100 : 120);
    expect(await count("")).toBe(generation === "A" ? 100 : 20);
    if (generation === "B") expect((await call(fixture, "GET", "/memories?user_id=u&top_k=1001")).status).toBe(422);
  });

  it("updates keep or drop unsent metadata as the generation does", async () => {
    const fixture = await start({ generation });
    const id = fixture.seed({ memory: "m", user_id: "u", metadata: { keep: 1 } });
    expect((await call(fixture, "PUT", `/memories/${id}`, { text: "m2", metadata: { added: 2 } })).body).toEqual({ message: "Memory updated successfully!" });
    expect(fixture.memories()[0]).toMatchObject({ memory: "m2", user_id: "u", metadata: generation === "A" ? { added: 2 } : { keep: 1, added: 2 } });
    if (generation === "A") expect((await call(fixture, "PUT", `/memories/${id}`, { metadata: {} })).status).toBe(422);
  });
});
