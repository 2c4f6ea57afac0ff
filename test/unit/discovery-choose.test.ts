import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { discoveryCachePath, readDiscoveryCache, updateDiscoveryCache } from "../../src/discovery/cache-file.js";
import { rememberEndpoint } from "../../src/discovery/cache.js";
import { chooseAttempt, LOCAL_CANDIDATES, type Attempt } from "../../src/discovery/choose.js";
import { discoverEndpoints, type DiscoverOptions } from "../../src/discovery/discover.js";
import type { BrowseResult } from "../../src/discovery/mdns-browse.js";
import type { MdnsService } from "../../src/discovery/mdns-records.js";
import { discoverAndRemember } from "../../src/discovery/remembering-discovery.js";
import type { DetectedBackend, Detection } from "../../src/discovery/types.js";

const [MMS, MEM0] = LOCAL_CANDIDATES as [string, string];

/** A server "answers" at each URL given here (after `delay` ms); every other URL is unreachable. */
function fakeDetect(servers: Record<string, { backend?: DetectedBackend; delay?: number; endpoint?: string }>) {
  const probed: string[] = [];
  const detect = async (url: string): Promise<Detection> => {
    probed.push(url);
    const server = servers[url];
    await new Promise((resolve) => setTimeout(resolve, server?.delay ?? 0));
    if (server === undefined) return { status: "unreachable", input: url, error: "ECONNREFUSED", probes: [] };
    const endpoint = server.endpoint ?? url;
    return { status: "found", input: url, endpoint, backend: server.backend ?? "mcp-memory-service", evidence: "health", latencyMs: 1, probes: [] };
  };
  return { detect, probed };
}

function advertised(name: string, port: number, addresses: string[] = []): MdnsService {
  return { instance: `${name}._mcp-memory._tcp.local`, name, host: `${name}.local`, port, addresses, sourceAddress: "127.0.0.1", txt: { api_path: "/api" } };
}

function browser(services: MdnsService[], error?: string) {
  let calls = 0;
  const browse = async (): Promise<BrowseResult> => {
    calls++;
    return { services, ...(error === undefined ? {} : { error }) };
  };
  return { browse, calls: () => calls };
}

async function run(servers: Parameters<typeof fakeDetect>[0], options: Omit<DiscoverOptions, "detect"> = {}, services: MdnsService[] = []) {
  const { detect, probed } = fakeDetect(servers);
  const mdns = browser(services);
  const report = await discoverEndpoints({ browse: mdns.browse, ...options, detect });
  return { report, probed, browsed: mdns.calls() };
}

describe("discoverEndpoints: the fixed order", () => {
  it("uses a configured endpoint and probes nothing else", async () => {
    const { report, probed, browsed } = await run({ [MMS]: {}, "https://mem.example.com/api": {} }, { configured: "https://mem.example.com/api" });
    expect(report.chosen).toMatchObject({ source: "configured", url: "https://mem.example.com/api" });
    expect(probed).toEqual(["https://mem.example.com/api"]);
    expect(browsed).toBe(0);
  });

  it("never replaces a configured endpoint that is not a memory server", async () => {
    const { report, probed } = await run({ [MMS]: {} }, { configured: "https://down.example.com/api" });
    expect(report.chosen).toBeUndefined();
    expect(probed).toEqual(["https://down.example.com/api"]);
  });

  it("uses the remembered endpoint before the local ones", async () => {
    const { report, probed, browsed } = await run({ [MMS]: {}, "http://127.0.0.1:9000/api": {} }, { remembered: "http://127.0.0.1:9000/api" });
    expect(report.chosen).toMatchObject({ source: "remembered", url: "http://127.0.0.1:9000/api" });
    expect(probed).toEqual(["http://127.0.0.1:9000/api"]);
    expect(browsed).toBe(0);
  });

  it("moves on when the remembered endpoint is gone", async () => {
    const { report, probed } = await run({ [MEM0]: { backend: "mem0" } }, { remembered: "http://127.0.0.1:9000/api" });
    expect(report.chosen).toMatchObject({ source: "local", url: MEM0 });
    expect(probed).toEqual(["http://127.0.0.1:9000/api", MMS, MEM0]);
  });

  it("ranks 127.0.0.1:8000/api before :8888 even when :8888 answers first", async () => {
    const { report } = await run({ [MMS]: { delay: 30 }, [MEM0]: { backend: "mem0" } });
    expect(report.chosen).toMatchObject({ url: MMS });
    expect(report.attempts.map((a) => a.url)).toEqual([MMS, MEM0]);
  });

  it("probes a URL once when the remembered one is also a local default", async () => {
    const { probed } = await run({}, { remembered: `${MMS}/` });
    expect(probed).toEqual([`${MMS}/`, MEM0]);
  });

  it("browses mDNS only when nothing nearer answered", async () => {
    const found = await run({ [MMS]: {} }, {}, [advertised("a", 8100)]);
    expect(found.browsed).toBe(0);
    const none = await run({ "http://127.0.0.1:8100/api": {} }, {}, [advertised("a", 8100)]);
    expect(none.browsed).toBe(1);
    expect(none.report.chosen).toMatchObject({ source: "mdns", url: "http://127.0.0.1:8100/api", mdns: { name: "a" } });
    expect(none.report.mdns).toEqual({ ran: true, services: 1 });
  });

  it("does not browse when mDNS is off", async () => {
    const { report, browsed } = await run({}, { mdns: "off" }, [advertised("a", 8100)]);
    expect(browsed).toBe(0);
    expect(report).toMatchObject({ mdns: { ran: false }, attempts: [{ url: MMS }, { url: MEM0 }] });
  });

  it("lists everything when asked to browse always, and still chooses by the fixed order", async () => {
    const { report, browsed } = await run(
      { [MMS]: { delay: 20 }, "http://127.0.0.1:8100/api": {} },
      { mdns: "always", configured: "https://down.example.com/api", remembered: "http://127.0.0.1:9000/api" },
      [advertised("a", 8100)],
    );
    expect(browsed).toBe(1);
    expect(report.attempts.map((a) => [a.source, a.url, a.detection.status])).toEqual([
      ["configured", "https://down.example.com/api", "unreachable"],
      ["remembered", "http://127.0.0.1:9000/api", "unreachable"],
      ["local", MMS, "found"],
      ["local", MEM0, "unreachable"],
      ["mdns", "http://127.0.0.1:8100/api", "found"],
    ]);
    expect(report.chosen).toBeUndefined(); // the configured endpoint is down, and nothing replaces it
  });
});

describe("discoverEndpoints: mDNS candidates", () => {
  it("chooses the live one of two advertised servers", async () => {
    const { report } = await run({ "http://127.0.0.1:8202/api": {} }, {}, [advertised("a-dead", 8201), advertised("b-live", 8202)]);
    expect(report.chosen).toMatchObject({ url: "http://127.0.0.1:8202/api", mdns: { name: "b-live" } });
  });

  it("tries 127.0.0.1 at the advertised port when the advertised address fails", async () => {
    const { report, probed } = await run({ "http://127.0.0.1:8300/api": {} }, {}, [advertised("a", 8300, ["127.0.0.2"])]);
    expect(probed).toEqual([MMS, MEM0, "http://127.0.0.2:8300/api", "http://127.0.0.1:8300/api"]);
    expect(report.chosen).toMatchObject({ url: "http://127.0.0.1:8300/api", mdns: { fallbackFor: ["http://127.0.0.2:8300/api"] } });
  });

  it("does not try the fallback when an advertised address answers", async () => {
    const { probed } = await run({ "http://127.0.0.2:8300/api": {} }, {}, [advertised("a", 8300, ["127.0.0.2"])]);
    expect(probed).not.toContain("http://127.0.0.1:8300/api");
  });

  it("orders mDNS attempts by service, whatever order the probes finish in", async () => {
    const { report } = await run(
      { "http://127.0.0.1:8401/api": { delay: 30 }, "http://127.0.0.1:8402/api": {} },
      {},
      [advertised("a", 8401), advertised("b", 8402)],
    );
    expect(report.chosen?.url).toBe("http://127.0.0.1:8401/api");
  });

  it("reports the browse's error", async () => {
    const { detect } = fakeDetect({});
    const report = await discoverEndpoints({ detect, browse: browser([], "EADDRINUSE").browse });
    expect(report.mdns).toEqual({ ran: true, services: 0, error: "EADDRINUSE" });
  });
});

describe("chooseAttempt", () => {
  const found = (url: string): Detection => ({ status: "found", input: url, endpoint: url, backend: "mem0", evidence: "openapi", latencyMs: 1, probes: [] });
  const gone = (url: string): Detection => ({ status: "unreachable", input: url, error: "ECONNREFUSED", probes: [] });

  it("goes by source order, not by position in the list", () => {
    const attempts: Attempt[] = [
      { source: "mdns", url: "a", detection: found("a") },
      { source: "local", url: "b", detection: gone("b") },
      { source: "remembered", url: "c", detection: found("c") },
    ];
    expect(chooseAttempt(attempts)?.url).toBe("c");
  });
});

describe("discoverAndRemember", () => {
  let dir = "";
  afterEach(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });
  function cacheFile(): string {
    dir = mkdtempSync(join(tmpdir(), "discovery-remember-"));
    return discoveryCachePath(dir);
  }

  it("remembers the endpoint it chose, with its detection, and starts from it next time", async () => {
    const file = cacheFile();
    const first = fakeDetect({ [MEM0]: { backend: "mem0" } });
    await discoverAndRemember({ cacheFile: file, detect: first.detect, mdns: "off", now: () => 5000 });
    const { cache } = await readDiscoveryCache(file);
    expect(cache.remembered).toEqual({ endpoint: MEM0, at: 5000 });
    expect(cache.endpoints[MEM0]?.detection).toEqual({ backend: "mem0", endpoint: MEM0, at: 5000 });

    const second = fakeDetect({ [MEM0]: { backend: "mem0" } });
    const report = await discoverAndRemember({ cacheFile: file, detect: second.detect, mdns: "off" });
    expect(report).toMatchObject({ remembered: MEM0, chosen: { source: "remembered", url: MEM0 } });
    expect(second.probed).toEqual([MEM0]);
  });

  it("re-discovers when the remembered endpoint is gone, and remembers the new one", async () => {
    const file = cacheFile();
    await updateDiscoveryCache(file, (c) => rememberEndpoint(c, "http://127.0.0.1:9000/api", 1));
    const { detect } = fakeDetect({ [MMS]: {} });
    const report = await discoverAndRemember({ cacheFile: file, detect, mdns: "off" });
    expect(report.chosen).toMatchObject({ source: "local", url: MMS });
    expect((await readDiscoveryCache(file)).cache.remembered?.endpoint).toBe(MMS);
  });

  it("keeps the remembered endpoint when nothing answers (it may be restarting)", async () => {
    const file = cacheFile();
    await updateDiscoveryCache(file, (c) => rememberEndpoint(c, "http://127.0.0.1:9000/api", 1));
    const { detect } = fakeDetect({});
    expect((await discoverAndRemember({ cacheFile: file, detect, mdns: "off" })).chosen).toBeUndefined();
    expect((await readDiscoveryCache(file)).cache.remembered?.endpoint).toBe("http://127.0.0.1:9000/api");
  });

  it("never remembers a configured endpoint, but records its detection", async () => {
    const file = cacheFile();
    const { detect } = fakeDetect({ "https://mem.example.com/api": {} });
    await discoverAndRemember({ cacheFile: file, detect, configured: "https://mem.example.com/api", now: () => 9 });
    const { cache } = await readDiscoveryCache(file);
    expect(cache.remembered).toBeUndefined();
    expect(cache.endpoints["https://mem.example.com/api"]?.detection?.at).toBe(9);
  });

  it("remembers the corrected endpoint, not the URL probed", async () => {
    const file = cacheFile();
    const { detect } = fakeDetect({ "http://127.0.0.1:8000": { endpoint: MMS } });
    await discoverAndRemember({ cacheFile: file, detect, localCandidates: ["http://127.0.0.1:8000"], mdns: "off" });
    expect((await readDiscoveryCache(file)).cache.remembered?.endpoint).toBe("http://127.0.0.1:8000/api");
  });
});
