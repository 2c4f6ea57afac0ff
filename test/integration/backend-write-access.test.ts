/**
 * mcp-memory-service: whether a token may write, asked without writing (GET /memory-stats needs the
 * write scope since 10.21.0), against the fixture doing what each server version does.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createMcpMemoryServiceBackend } from "../../src/backends/mcp-memory-service.js";
import { createHttpClient } from "../../src/http/client.js";
import type { HttpClient } from "../../src/http/types.js";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { ctx } from "./memory-service-projects.js";

const KEY = "tok_write_access_key_Qm81";
const READ_ONLY = "tok_write_access_read_Pz63";

const open: { fixture: MemoryServiceFixture; http: HttpClient }[] = [];
afterEach(async () => {
  for (const { fixture, http } of open.splice(0)) {
    await http.close().catch(() => undefined);
    await fixture.close();
  }
});

async function accessWith(token: string, version?: string, prepare?: (fixture: MemoryServiceFixture) => void) {
  const fixture = await createMemoryServiceFixture({ token: KEY, readOnlyToken: READ_ONLY, ...(version && { version }) });
  const http = createHttpClient({ endpoint: fixture.url, auth: { header: "authorization", value: `Bearer ${token}` } });
  open.push({ fixture, http });
  prepare?.(fixture);
  const backend = createMcpMemoryServiceBackend({ http });
  const server = await backend.verifyToken(ctx());
  const access = await backend.checkWriteAccess!(ctx(), server);
  return { access, methods: fixture.requests.map((r) => `${r.method} ${r.path}`) };
}

describe("checkWriteAccess", () => {
  it("the API key (scopes read write admin): granted, by a GET that changes nothing", async () => {
    const { access, methods } = await accessWith(KEY);
    expect(access).toEqual({ result: "granted", how: "asked with GET /memory-stats, which needs the write scope and changes nothing" });
    expect(methods).toEqual(["GET /api/health/detailed", "GET /api/memory-stats"]);
  });

  it("a read-only OAuth token: denied", async () => {
    expect((await accessWith(READ_ONLY)).access).toMatchObject({ result: "denied" });
  });

  it("a server before 10.21, where the probe needs only read: not asked at all", async () => {
    const { access, methods } = await accessWith(READ_ONLY, "10.20.3");
    expect(access).toEqual({ result: "unchecked", reason: "old-server", detail: "10.20.3" });
    expect(methods).toEqual(["GET /api/health/detailed"]);
  });

  it("the probe failing (a 500) is reported as not checked, with what it answered", async () => {
    const { access } = await accessWith(KEY, undefined, (fixture) => fixture.inject({ method: "GET", path: "/memory-stats", status: 500, times: Infinity }));
    expect(access).toMatchObject({ result: "unchecked", reason: "probe-failed" });
  });
});
