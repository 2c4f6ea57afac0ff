/**
 * The mcp-memory-service backend against a server that sends malformed records (the hostile
 * fixture, 127.0.0.1 only): what can be read is kept, the rest named in a note or counted.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WrongProjectError } from "../../src/backends/errors.js";
import { createMcpMemoryServiceBackend } from "../../src/backends/mcp-memory-service.js";
import type { CallContext, MemoryBackend } from "../../src/backends/types.js";
import { createHttpClient } from "../../src/http/client.js";
import type { HttpClient } from "../../src/http/types.js";
import type { ProjectResolution } from "../../src/project/types.js";
import { createHostileServer, type HostileServer } from "../fixtures/hostile/server.js";

const TOKEN = "tok_malformed_records_1234";
const PROJECT: ProjectResolution = { id: "project_app_12345678", mode: "auto", source: "cwd", reason: "test" };
const GLOBAL: ProjectResolution = { id: null, mode: "global", source: "global", reason: "test" };
const TAG = "proj:project_app_12345678";
const hash = (n: number) => String(n).repeat(64).slice(0, 64);

let server: HostileServer;
let http: HttpClient;
let backend: MemoryBackend;

beforeAll(async () => {
  server = await createHostileServer({ token: TOKEN });
  http = createHttpClient({ endpoint: server.url, auth: { header: "authorization", value: `Bearer ${TOKEN}` } });
  backend = createMcpMemoryServiceBackend({ http });
});
afterAll(async () => {
  await http.close();
  await server.close();
});
beforeEach(() => server.reset());

const ctx = (project = GLOBAL): CallContext => ({ deadline: Date.now() + 5_000, signal: new AbortController().signal, project });

describe("malformed records", () => {
  beforeEach(() => {
    server.records = [
      { content: "fine", content_hash: hash(1), tags: [TAG, "ok"], created_at: 1_700_000_000 },
      { content: "tags as text", content_hash: hash(2), tags: `${TAG},b` },
      { content: "bad time", content_hash: hash(3), tags: [TAG], created_at: 1e20 },
      { content_hash: hash(4), tags: [TAG] },
      "not even an object",
    ];
  });

  it("list keeps the readable ones, notes what was left out, and counts the unreadable", async () => {
    const page = await backend.list({ page: 1, page_size: 10 }, ctx(PROJECT));
    expect(page.memories.map((m) => [m.id, m.tags, m.note !== undefined])).toEqual([
      [hash(1), ["ok"], false],
      [hash(2), ["b"], true],
      [hash(3), [], true],
    ]);
    expect(page.skipped).toBe(2);
  });

  it("search filters by the tags as the server means them, and counts the unreadable", async () => {
    const results = await backend.search({ query: "x", limit: 10, scope: "project" }, ctx(PROJECT));
    expect(results.map((m) => m.id)).toEqual([hash(1), hash(2), hash(3)]);
    expect(results.skipped).toBe(2);
  });

  it("get shows a record with a note", async () => {
    const memory = await backend.get(hash(2), ctx(PROJECT));
    expect(memory).toMatchObject({ content: "tags as text", tags: ["b"], note: expect.stringMatching(/comma-separated/) });
  });

  it("ownership reads tags as a list: a tag string that merely contains the project's tag is not a match", async () => {
    server.records = [{ content: "elsewhere", content_hash: hash(5), tags: `${TAG}9,other` }];
    await expect(backend.get(hash(5), ctx(PROJECT))).rejects.toBeInstanceOf(WrongProjectError);
  });
});
