import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptyCache, recordDetection, rememberEndpoint } from "../../src/discovery/cache.js";
import { discoveryCachePath, readDiscoveryCache, updateDiscoveryCache } from "../../src/discovery/cache-file.js";

const API = "http://127.0.0.1:8000/api";
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "discovery-cache-"));
  file = discoveryCachePath(join(dir, "config"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("readDiscoveryCache", () => {
  it("reads a missing file as an empty cache, with no problem", async () => {
    expect(await readDiscoveryCache(file)).toEqual({ cache: emptyCache() });
  });

  it("reads back what an update wrote; the file is 0600 in a 0700 folder", async () => {
    const update = await updateDiscoveryCache(file, (c) => rememberEndpoint(c, API, 42));
    expect(update.ok).toBe(true);
    expect(await readDiscoveryCache(file)).toEqual({ cache: { version: 1, remembered: { endpoint: API, at: 42 }, endpoints: {} } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "config")).mode & 0o777).toBe(0o700);
  });

  it("does not follow a symlink, and an update replaces the link, not its target", async () => {
    const target = join(dir, "elsewhere.json");
    writeFileSync(target, JSON.stringify({ version: 1, remembered: { endpoint: API, at: 1 }, endpoints: {} }));
    await updateDiscoveryCache(file, (c) => c); // creates the folder
    rmSync(file);
    symlinkSync(target, file);
    expect(await readDiscoveryCache(file)).toEqual({ cache: emptyCache(), problem: "symlink" });
    await updateDiscoveryCache(file, (c) => rememberEndpoint(c, "http://127.0.0.1:8888", 2));
    expect(JSON.parse(readFileSync(target, "utf8")).remembered.endpoint).toBe(API);
    expect((await readDiscoveryCache(file)).cache.remembered?.endpoint).toBe("http://127.0.0.1:8888");
  });

  it("does not open a FIFO (a plain read would wait for a writer for ever)", async () => {
    await updateDiscoveryCache(file, (c) => c);
    rmSync(file);
    execFileSync("mkfifo", [file]);
    expect(await readDiscoveryCache(file)).toEqual({ cache: emptyCache(), problem: "not-a-file" });
  });

  it("does not read a file over the cap", async () => {
    await updateDiscoveryCache(file, (c) => c);
    truncateSync(file, 64 * 1024 * 1024);
    expect(await readDiscoveryCache(file)).toEqual({ cache: emptyCache(), problem: "too-large" });
  });

  it("reads a file that is not JSON as empty, and the next update replaces it", async () => {
    await updateDiscoveryCache(file, (c) => c);
    writeFileSync(file, "{ not json");
    expect(await readDiscoveryCache(file)).toEqual({ cache: emptyCache(), problem: "invalid-json" });
    await updateDiscoveryCache(file, (c) => rememberEndpoint(c, API, 3));
    expect((await readDiscoveryCache(file)).problem).toBeUndefined();
  });
});

describe("updateDiscoveryCache", () => {
  it("leaves a whole file after many concurrent updates, readable at every moment, and no temporary files", async () => {
    const writes = Array.from({ length: 40 }, (_, i) =>
      updateDiscoveryCache(file, (c) =>
        recordDetection(c, { status: "found", input: `http://127.0.0.1:${9000 + i}/api`, endpoint: `http://127.0.0.1:${9000 + i}/api`, backend: "mem0", evidence: "openapi", latencyMs: 1, probes: [] }, i),
      ),
    );
    const reads = Array.from({ length: 40 }, () => readDiscoveryCache(file));
    const [written, read] = await Promise.all([Promise.all(writes), Promise.all(reads)]);
    expect(written.every((w) => w.ok)).toBe(true);
    for (const r of read) expect(r.problem).toBeUndefined();
    const final = await readDiscoveryCache(file);
    expect(final.problem).toBeUndefined();
    expect(Object.keys(final.cache.endpoints).length).toBeGreaterThan(0);
    expect(readdirSync(join(dir, "config"))).toEqual(["discovery-cache.json"]);
  });

  it("never reads or writes a relative path (another file in each working directory)", async () => {
    const relative = "\\tmp\\home\\AppData\\Roaming\\Config\\discovery-cache.json";
    expect(await readDiscoveryCache(relative)).toMatchObject({ problem: "unreadable", code: "ENOTABSOLUTE" });
    expect(await updateDiscoveryCache(relative, (c) => rememberEndpoint(c, API, 1))).toMatchObject({ ok: false, code: "ENOTABSOLUTE" });
    expect(existsSync(relative)).toBe(false);
  });

  it("returns a write failure as a code, without throwing", async () => {
    writeFileSync(join(dir, "config"), "a file where the folder should be");
    const update = await updateDiscoveryCache(file, (c) => rememberEndpoint(c, API, 1));
    expect(update).toMatchObject({ ok: false, code: expect.stringMatching(/^E/) });
  });
});
