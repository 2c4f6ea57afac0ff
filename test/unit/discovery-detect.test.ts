import { describe, expect, it } from "vitest";
import { detectBackend, type DetectOptions } from "../../src/discovery/detect.js";
import type { Detection, FoundDetection } from "../../src/discovery/types.js";
import { fakeFetch, json, steppingClock, text, type FakeAnswer } from "./discovery-fake-fetch.js";

const MMS = "http://127.0.0.1:8000";
const MMS_OPENAPI = { openapi: "3.1.0", info: { title: "MCP Memory Service", description: "HTTP REST API", version: "10.59.0" }, paths: {} };
const MEM0_OPENAPI = { openapi: "3.1.0", info: { title: "Mem0 REST APIs", description: "A REST API", version: "1.0.0" }, paths: {} };
const NOT_FOUND = () => json({ detail: "Not Found" }, 404);
const MMS_401 = () =>
  json({ detail: { error: "authorization_required", error_description: "Authorization required." } }, 401, {
    "www-authenticate": `Bearer resource_metadata="${MMS}/.well-known/oauth-protected-resource"`,
  });

async function detect(url: string, answers: Record<string, FakeAnswer | (() => FakeAnswer)>, options: Partial<DetectOptions> = {}) {
  const fake = fakeFetch(answers);
  const detection = await detectBackend(url, { now: steppingClock(), ...options, fetch: fake.fetch });
  return { detection, calls: fake.calls, headers: fake.headers };
}

function found(d: Detection): FoundDetection {
  expect(d.status).toBe("found");
  return d as FoundDetection;
}

describe("detectBackend: mcp-memory-service", () => {
  const server = {
    [`${MMS}/api/health`]: () => json({ status: "healthy" }),
    [`${MMS}/openapi.json`]: () => json(MMS_OPENAPI),
    [`${MMS}/api/memories?page_size=1`]: MMS_401,
    [`${MMS}/health`]: NOT_FOUND,
    [`${MMS}/api/api/health`]: NOT_FOUND,
  };

  it("finds it at a base ending in /api, with its version and auth as probed", async () => {
    const { detection, calls } = await detect(`${MMS}/api`, server);
    const d = found(detection);
    expect(d).toMatchObject({ backend: "mcp-memory-service", endpoint: `${MMS}/api`, evidence: "health", version: "10.59.0", authRequired: true });
    expect(d.correction).toBeUndefined();
    expect(calls).not.toContain(`GET ${MMS}/api/api/health`);
    expect(d.probes.map((p) => [p.url, p.status])).toEqual([
      [`${MMS}/api/health`, 200],
      [`${MMS}/openapi.json`, 200],
      [`${MMS}/api/memories?page_size=1`, 401],
    ]);
    expect(d.latencyMs).toBeGreaterThan(0);
  });

  it("corrects a URL without /api (Did you mean …/api?)", async () => {
    const d = found((await detect(MMS, server)).detection);
    expect(d).toMatchObject({ endpoint: `${MMS}/api`, evidence: "api-health", correction: { from: MMS, to: `${MMS}/api` } });
  });

  it("corrects any other path on its origin by its openapi title", async () => {
    const d = found((await detect(`${MMS}/v1`, server)).detection);
    expect(d).toMatchObject({ backend: "mcp-memory-service", evidence: "openapi", correction: { from: `${MMS}/v1`, to: `${MMS}/api` } });
  });

  it("reads the title from the start of an openapi.json larger than the body cap", async () => {
    const big = JSON.stringify({ ...MMS_OPENAPI, paths: { "/x": { description: "y".repeat(200_000) } } });
    const { detection } = await detect(`${MMS}/v1`, { ...server, [`${MMS}/openapi.json`]: () => new Response(big, { status: 200 }) }, { maxBodyBytes: 4096 });
    expect(found(detection)).toMatchObject({ backend: "mcp-memory-service", version: "10.59.0" });
  });

  it("says auth is not required when the unauthenticated read succeeds", async () => {
    const open = { ...server, [`${MMS}/api/memories?page_size=1`]: () => json({ memories: [], total: 0, page: 1, page_size: 1, has_more: false }) };
    expect(found((await detect(`${MMS}/api`, open)).detection).authRequired).toBe(false);
  });

  it("skips the auth read when asked", async () => {
    const { detection, calls } = await detect(`${MMS}/api`, server, { probeAuth: false });
    expect(found(detection).authRequired).toBeUndefined();
    expect(calls.some((c) => c.includes("/memories"))).toBe(false);
  });

  it("never sends credentials", async () => {
    const { headers } = await detect(MMS, server);
    for (const h of headers) {
      expect(Object.keys(h).map((k) => k.toLowerCase())).not.toEqual(expect.arrayContaining(["authorization"]));
      expect(Object.keys(h).map((k) => k.toLowerCase())).not.toContain("x-api-key");
    }
  });
});

describe("detectBackend: mem0", () => {
  const mem0 = "http://127.0.0.1:8888";
  const server = {
    [`${mem0}/openapi.json`]: () => json(MEM0_OPENAPI),
    [`${mem0}/memories?user_id=mcp-memory-bridge&top_k=1`]: () =>
      json({ detail: "Authentication required. Provide a Bearer token or X-API-Key header." }, 401, { "www-authenticate": "Bearer" }),
  };

  it("finds it by its openapi title, at the server root", async () => {
    const d = found((await detect(mem0, { ...server, [`${mem0}/health`]: NOT_FOUND, [`${mem0}/api/health`]: NOT_FOUND })).detection);
    expect(d).toMatchObject({ backend: "mem0", endpoint: mem0, evidence: "openapi", version: "1.0.0", serverName: "Mem0 REST APIs", authRequired: true });
  });

  it("matches a fork's title and corrects a path to the root", async () => {
    const fork = { ...server, [`${mem0}/openapi.json`]: () => json({ info: { title: "mem0 REST API", version: "2" } }) };
    const d = found((await detect(`${mem0}/api`, fork)).detection);
    expect(d).toMatchObject({ backend: "mem0", correction: { from: `${mem0}/api`, to: mem0 } });
  });
});

describe("detectBackend: mem0 platform", () => {
  it("knows api.mem0.ai without a probe", async () => {
    const { detection, calls } = await detect("https://api.mem0.ai", {});
    expect(found(detection)).toMatchObject({ backend: "mem0-platform", endpoint: "https://api.mem0.ai", evidence: "host", authRequired: true });
    expect(calls).toEqual([]);
  });

  it("corrects a path on it", async () => {
    const d = found((await detect("https://api.mem0.ai/v1/", {})).detection);
    expect(d.correction).toEqual({ from: "https://api.mem0.ai/v1", to: "https://api.mem0.ai" });
  });
});

describe("detectBackend: remote MCP", () => {
  const mcp = "http://127.0.0.1:8080/mcp";
  const initialized = {
    jsonrpc: "2.0",
    id: 1,
    result: { protocolVersion: "2025-06-18", capabilities: {}, serverInfo: { name: "mem0-mcp", version: "1.4.0" } },
  };

  it("accepts a JSON initialize result and closes the session it opened", async () => {
    const { detection, calls } = await detect(`${mcp}/`, {
      [`POST ${mcp}/`]: () => json(initialized, 200, { "mcp-session-id": "s-1" }),
      [`DELETE ${mcp}/`]: () => new Response(null, { status: 200 }),
    });
    expect(found(detection)).toMatchObject({ backend: "mcp", evidence: "mcp-initialize", authRequired: false, serverName: "mem0-mcp", version: "1.4.0", endpoint: mcp });
    expect(calls).toEqual([`POST ${mcp}/`, `DELETE ${mcp}/`]);
  });

  it("accepts the result as an SSE event, even when the stream stays open", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`event: message\ndata: ${JSON.stringify(initialized)}\n\n`));
      },
    });
    const { detection } = await detect(mcp, {
      [`POST ${mcp}`]: () => new Response(stream, { status: 200, headers: { "content-type": "text/event-stream" } }),
    });
    expect(found(detection)).toMatchObject({ backend: "mcp", evidence: "mcp-initialize" });
  });

  it("takes a 401 with WWW-Authenticate as an MCP endpoint that needs auth", async () => {
    const { detection } = await detect(mcp, { [`POST ${mcp}`]: MMS_401 });
    expect(found(detection)).toMatchObject({ backend: "mcp", evidence: "mcp-401", authRequired: true });
  });

  it("follows a same-origin 307 to the trailing-slash path", async () => {
    const { detection, calls } = await detect(mcp, {
      [`POST ${mcp}`]: () => new Response(null, { status: 307, headers: { location: "/mcp/" } }),
      [`POST ${mcp}/`]: () => json(initialized),
    });
    expect(found(detection).backend).toBe("mcp");
    expect(calls).toEqual([`POST ${mcp}`, `POST ${mcp}/`]);
  });

  it("does not follow a redirect to another origin", async () => {
    const { detection, calls } = await detect(mcp, {
      [`POST ${mcp}`]: () => new Response(null, { status: 307, headers: { location: "http://127.0.0.2:9/mcp" } }),
    });
    expect(detection.status).toBe("not-memory-server");
    expect(calls.filter((c) => c.includes("127.0.0.2"))).toEqual([]);
  });

  it("falls back to the REST probes when /mcp is not MCP", async () => {
    const { detection } = await detect(mcp, { [`POST ${mcp}`]: NOT_FOUND });
    expect(detection.status).toBe("not-memory-server");
  });
});

describe("detectBackend: what is not a memory server", () => {
  it("calls a plain web server not a memory server, naming what was probed", async () => {
    const page = () => text("<html>hello</html>");
    const web = "http://127.0.0.1:8081";
    const { detection } = await detect(web, { [`${web}/health`]: page, [`${web}/api/health`]: () => text("no", 404), [`${web}/openapi.json`]: () => text("no", 404) });
    expect(detection.status).toBe("not-memory-server");
    if (detection.status !== "not-memory-server") return;
    expect(detection.probes.map((p) => [p.url, p.status])).toEqual([
      [`${web}/health`, 200],
      [`${web}/api/health`, 404],
      [`${web}/openapi.json`, 404],
    ]);
  });

  it("does not take a healthy /health on a base without /api for mcp-memory-service", async () => {
    const web = "http://127.0.0.1:8081";
    const { detection } = await detect(web, { [`${web}/health`]: () => json({ status: "healthy" }) });
    expect(detection.status).toBe("not-memory-server");
  });

  it("reports a closed port as unreachable with the error code", async () => {
    const { detection } = await detect("http://127.0.0.1:9/api", {});
    expect(detection).toMatchObject({ status: "unreachable", error: "ECONNREFUSED", input: "http://127.0.0.1:9/api" });
  });

  it("gives up on a server that never answers, after its own timeout", async () => {
    const url = "http://127.0.0.1:9/api";
    const { detection } = await detect(url, { [`${url}/health`]: "hang", "http://127.0.0.1:9/openapi.json": "hang" }, { timeoutMs: 20 });
    expect(detection).toMatchObject({ status: "unreachable", error: "timeout" });
  });

  it("reports the caller's abort as aborted", async () => {
    const url = "http://127.0.0.1:9/api";
    const controller = new AbortController();
    const pending = detect(url, { [`${url}/health`]: "hang", "http://127.0.0.1:9/openapi.json": "hang" }, { signal: controller.signal, timeoutMs: 60_000 });
    controller.abort();
    expect((await pending).detection).toMatchObject({ status: "unreachable", error: "aborted" });
  });

  it("refuses plain http to a host that is not loopback, sending nothing", async () => {
    const { detection, calls } = await detect("http://192.0.2.10:8000/api", {});
    expect(detection).toEqual({ status: "refused", input: "http://192.0.2.10:8000/api", reason: "insecure-http" });
    expect(calls).toEqual([]);
  });

  it("probes plain http to such a host when allowed", async () => {
    const { calls } = await detect("http://192.0.2.10:8000/api", {}, { allowHttp: true });
    expect(calls).toContain("GET http://192.0.2.10:8000/api/health");
  });

  it("refuses a URL that does not parse", async () => {
    expect((await detect("localhost:8000", {})).detection).toEqual({ status: "refused", reason: "invalid-url" });
  });
});
