/**
 * `status` with `--backend auto` (the default) detects the server behind an https endpoint whose
 * certificate a private CA signed, when `--ca-file` names that CA: detection's probes trust what
 * the tool calls trust. The fixtures sit behind an https front on 127.0.0.1.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { discoveryCachePath } from "../../src/discovery/cache-file.js";
import { createMem0Fixture, type Mem0Fixture } from "../fixtures/mem0/index.js";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { makePrivateCa } from "../fixtures/private-ca.js";
import { startTlsFront, type TlsFront } from "../fixtures/tls-front.js";
import { isPresent, needs } from "../prerequisites/prerequisites.js";
import { runCli } from "./run-cli.js";

let dir = "";
let caFile = "";
let service: MemoryServiceFixture;
let mem0: Mem0Fixture;
let serviceFront: TlsFront | undefined;
let mem0Front: TlsFront | undefined;
let configDir = "";

beforeAll(async () => {
  service = await createMemoryServiceFixture();
  mem0 = await createMem0Fixture({ generation: "B" });
  if (!isPresent("openssl")) return;
  dir = mkdtempSync(join(tmpdir(), "detection-ca-file-"));
  const ca = makePrivateCa(dir);
  caFile = ca.caFile;
  serviceFront = await startTlsFront(service.url.replace(/\/api$/, ""), ca);
  mem0Front = await startTlsFront(mem0.url, ca);
});
afterAll(async () => {
  await Promise.all([service.close(), mem0.close(), serviceFront?.close(), mem0Front?.close()]);
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});
beforeEach((ctx) => {
  needs(ctx, "openssl");
  configDir = mkdtempSync(join(dir, "config-"));
});

function detectedIn(config: string, endpoint: string): unknown {
  const cache = JSON.parse(readFileSync(discoveryCachePath(config), "utf8")) as { endpoints: Record<string, { detection?: unknown }> };
  return cache.endpoints[endpoint]?.detection;
}

describe("status --ca-file on an https endpoint with --backend auto", () => {
  it("detects mcp-memory-service at <origin>/api and records it", async () => {
    const endpoint = `${serviceFront!.origin}/api`;
    const run = await runCli(["status", "--json", "--ca-file", caFile, "--endpoint", endpoint], {
      env: { MEMORY_BRIDGE_CONFIG_DIR: configDir, MEMORY_BRIDGE_TOKEN: service.token! },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ endpoint, backend: "mcp-memory-service", reachable: true, token_accepted: true });
    expect(detectedIn(configDir, endpoint)).toMatchObject({ backend: "mcp-memory-service", endpoint, version: "10.59.0", authRequired: true });
  });

  it("detects mem0 (which the fallback would never name) and uses it", async () => {
    const endpoint = mem0Front!.origin;
    const run = await runCli(["status", "--json", "--ca-file", caFile, "--endpoint", endpoint], {
      env: { MEMORY_BRIDGE_CONFIG_DIR: configDir, MEMORY_BRIDGE_TOKEN: mem0.adminKey! },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ endpoint, backend: "mem0", reachable: true, token_accepted: true });
  });

  it("without the CA file detects nothing and says the certificate did not verify", async () => {
    const endpoint = mem0Front!.origin;
    const run = await runCli(["status", "--json", "--endpoint", endpoint], { env: { MEMORY_BRIDGE_CONFIG_DIR: configDir, MEMORY_BRIDGE_TOKEN: mem0.adminKey! } });
    expect(run.code).toBe(1);
    const status = JSON.parse(run.stdout) as { backend: string; reachable: boolean; problems: string[] };
    expect(status).toMatchObject({ backend: "mcp-memory-service", reachable: false });
    expect(status.problems.join("\n")).toMatch(/TLS certificate verification failed.*--ca-file PATH/);
  });
});
