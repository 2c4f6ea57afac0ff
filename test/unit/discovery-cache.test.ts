import { describe, expect, it } from "vitest";
import {
  cachedDetection,
  cachedToolList,
  emptyCache,
  forgetDetection,
  forgetRemembered,
  MAX_CACHE_FILE_BYTES,
  MAX_CACHED_ENDPOINTS,
  parseCache,
  recordDetection,
  rememberEndpoint,
  serializeCache,
  setServerInit,
  cachedServerInit,
  setToolList,
} from "../../src/discovery/cache.js";
import type { FoundDetection } from "../../src/discovery/types.js";

const ROOT = "http://127.0.0.1:8000";
const API = `${ROOT}/api`;
const HOUR = 3600_000;

function found(input: string, endpoint: string, extra: Partial<FoundDetection> = {}): FoundDetection {
  return { status: "found", input, endpoint, backend: "mcp-memory-service", evidence: "health", latencyMs: 3, probes: [], ...extra };
}

describe("detections in the cache", () => {
  it("records under the probed URL and the corrected endpoint, fresh within the TTL", () => {
    const cache = recordDetection(emptyCache(), found(ROOT, API, { version: "10.1", authRequired: true }), 1000);
    const expected = { backend: "mcp-memory-service", endpoint: API, version: "10.1", authRequired: true, at: 1000 };
    expect(cachedDetection(cache, ROOT, 1000 + HOUR, 2 * HOUR)).toEqual(expected);
    expect(cachedDetection(cache, `${API}/`, 1000 + HOUR, 2 * HOUR)).toEqual(expected);
    expect(cachedDetection(cache, API, 1000 + 2 * HOUR, 2 * HOUR)).toBeUndefined();
    expect(cachedDetection(cache, "http://127.0.0.1:8001/api", 1000, 2 * HOUR)).toBeUndefined();
  });

  it("treats an entry from the future (clock set back) as stale", () => {
    const cache = recordDetection(emptyCache(), found(API, API), 5000);
    expect(cachedDetection(cache, API, 4000)).toBeUndefined();
  });

  it("forgets a detection and keeps the tool list", () => {
    let cache = recordDetection(emptyCache(), found(API, API), 1000);
    cache = setToolList(cache, API, [{ name: "store_memory" }], 1000);
    cache = forgetDetection(cache, API);
    expect(cachedDetection(cache, API, 1000)).toBeUndefined();
    expect(cachedToolList(cache, API, 1000)?.list).toEqual([{ name: "store_memory" }]);
  });

  it("does not store a tool list over the cap", () => {
    const huge = [{ description: "x".repeat(200 * 1024) }];
    expect(setToolList(emptyCache(), API, huge, 1)).toEqual(emptyCache());
  });
});

describe("a remote MCP server's initialize answer in the cache", () => {
  const MCP = "http://127.0.0.1:8080/mcp";
  const init = {
    protocolVersion: "2025-06-18",
    capabilities: { tools: { listChanged: false }, resources: {} },
    serverInfo: { name: "mem0-mcp", version: "1.12.4" },
    instructions: "Use it.",
  };

  it("is kept beside the tool list, under the canonical endpoint, fresh within the TTL given", () => {
    let cache = setToolList(emptyCache(), `${MCP}/`, [{ name: "add_coding_preference" }], 1000);
    cache = setServerInit(cache, `${MCP}/`, init, 1000);
    const read = parseCache(JSON.parse(serializeCache(cache)));
    expect(cachedServerInit(read, MCP, 1000 + HOUR, 2 * HOUR)).toEqual({ ...init, at: 1000 });
    expect(cachedToolList(read, MCP, 1000 + HOUR, 2 * HOUR)?.list).toEqual([{ name: "add_coding_preference" }]);
    expect(cachedServerInit(read, MCP, 1000 + 3 * HOUR, 2 * HOUR)).toBeUndefined();
  });

  it("is not stored when malformed or over its cap; an entry holding a malformed one is dropped when read", () => {
    expect(setServerInit(emptyCache(), MCP, { ...init, instructions: "x".repeat(40 * 1024) }, 1)).toEqual(emptyCache());
    expect(setServerInit(emptyCache(), MCP, { ...init, serverInfo: { name: 1 } } as never, 1)).toEqual(emptyCache());
    const file = { version: 1, endpoints: { [MCP]: { server: { at: 1, protocolVersion: 5 }, tools: { at: 1, list: [] } } } };
    expect(parseCache(file).endpoints[MCP]).toBeUndefined();
  });
});

describe("the remembered endpoint", () => {
  it("is remembered canonical and forgotten only while it is still the same", () => {
    const cache = rememberEndpoint(emptyCache(), `${API}/`, 7);
    expect(cache.remembered).toEqual({ endpoint: API, at: 7 });
    expect(forgetRemembered(cache, "http://127.0.0.1:8888").remembered).toEqual({ endpoint: API, at: 7 });
    expect(forgetRemembered(cache, API).remembered).toBeUndefined();
  });
});

describe("parseCache", () => {
  it("keeps valid entries and drops each bad one on its own", () => {
    const good = { detection: { backend: "mem0", endpoint: "http://127.0.0.1:8888", at: 1 } };
    const cache = parseCache({
      version: 1,
      remembered: { endpoint: "http://127.0.0.1:8888", at: 2 },
      endpoints: {
        "http://127.0.0.1:8888": good,
        "http://127.0.0.1:8000/api": { detection: { backend: "redis", endpoint: API, at: 1 } },
        "http://127.0.0.1:8000/api/": good,
        ["__proto__"]: good,
        "not a url": good,
      },
    });
    expect(cache).toEqual({ version: 1, remembered: { endpoint: "http://127.0.0.1:8888", at: 2 }, endpoints: { "http://127.0.0.1:8888": good } });
  });

  it.each([[null], [[]], ["text"], [{ version: 2, endpoints: {} }], [{ endpoints: {} }]])("reads %j as empty", (data) => {
    expect(parseCache(data)).toEqual(emptyCache());
  });

  it("drops a remembered endpoint that is not canonical", () => {
    expect(parseCache({ version: 1, remembered: { endpoint: `${API}/`, at: 1 }, endpoints: {} }).remembered).toBeUndefined();
  });
});

describe("serializeCache", () => {
  it("keeps the most recent endpoints, and the remembered one whatever its age", () => {
    let cache = emptyCache();
    const total = MAX_CACHED_ENDPOINTS + 4;
    for (let i = 0; i < total; i++) cache = recordDetection(cache, found(`http://127.0.0.1:${9000 + i}/api`, `http://127.0.0.1:${9000 + i}/api`), 100 + i);
    cache = rememberEndpoint(cache, "http://127.0.0.1:9000/api", 1);
    const kept = Object.keys(parseCache(JSON.parse(serializeCache(cache))).endpoints);
    expect(kept).toHaveLength(MAX_CACHED_ENDPOINTS);
    expect(kept).toContain("http://127.0.0.1:9000/api");
    expect(kept).toContain(`http://127.0.0.1:${9000 + total - 1}/api`);
    expect(kept).not.toContain("http://127.0.0.1:9001/api");
  });

  it("drops the oldest tool lists until the file fits its cap", () => {
    let cache = emptyCache();
    for (let i = 0; i < 12; i++) cache = setToolList(cache, `http://127.0.0.1:${9000 + i}/api`, [{ d: "x".repeat(120 * 1024) }], i);
    const text = serializeCache(cache);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_CACHE_FILE_BYTES);
    const kept = Object.keys(JSON.parse(text).endpoints);
    expect(kept.length).toBeLessThan(12);
    expect(kept).toContain("http://127.0.0.1:9011/api");
  });
});
