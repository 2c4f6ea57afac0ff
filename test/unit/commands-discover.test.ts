/**
 * `discover`, called in-process: real probes against the fixture server (standing in for the
 * loopback candidates), no mDNS on this machine's interfaces (the browse is stubbed; the real one
 * runs in test/integration/discovery-mdns-netns.test.ts).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discoverCommand } from "../../src/commands/discover-command.js";
import { doctorCommand } from "../../src/commands/doctor-command.js";
import { statusCommand } from "../../src/commands/status-command.js";
import { discoverAndRemember } from "../../src/discovery/remembering-discovery.js";
import type { DiscoveryRunner } from "../../src/session/endpoint-source.js";
import { fakeKeychain } from "../helpers/fake-keychain.js";
import { PLATFORMS, runDirect, tempHome } from "../helpers/command-io.js";
import { memoryServiceForFile } from "../helpers/fixture-per-file.js";

const TOKEN = "tok_discover_unit_Qx81distinct";
const server = memoryServiceForFile(TOKEN);
// A port nothing listens on: the fixture's neighbour is closed once its own server is.
const CLOSED = "http://127.0.0.1:1/api";

function runner(seen: { windowMs?: number; mdns?: string }[], candidates: () => string[]): DiscoveryRunner {
  return (options) => {
    seen.push({ ...(options.browseOptions?.windowMs !== undefined && { windowMs: options.browseOptions.windowMs }), ...(options.mdns && { mdns: options.mdns }) });
    return discoverAndRemember({ ...options, localCandidates: candidates(), browse: async () => ({ services: [] }) });
  };
}

describe.each(PLATFORMS)("discover on %s", (platform) => {
  it("--json lists the server with its backend, version, auth as probed and whether a token is stored", async () => {
    const home = tempHome();
    const seen: { windowMs?: number; mdns?: string }[] = [];
    const keychain = fakeKeychain({ tokens: { [server().url.replace("127.0.0.1", "localhost")]: TOKEN } });
    const run = await runDirect(discoverCommand, ["--json", "--wait", "700"], {
      env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "config") },
      host: { platform, home },
      keychain,
      discover: runner(seen, () => [server().url, CLOSED]),
    });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.servers).toEqual([
      { url: server().url, backend: "mcp-memory-service", version: expect.any(String), auth_required: true, latency_ms: expect.any(Number), token_stored: true, found_by: "local" },
    ]);
    expect(out.tried).toEqual([
      { url: server().url, source: "local", result: "found" },
      { url: CLOSED, source: "local", result: "unreachable" },
    ]);
    expect(seen).toEqual([{ windowMs: 700, mdns: "always" }]);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it("says what it tried and how to configure a server when it finds none", async () => {
    const home = tempHome();
    const run = await runDirect(discoverCommand, [], {
      env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "config") },
      host: { platform, home },
      discover: runner([], () => [CLOSED]),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("No memory server found.");
    expect(run.stdout).toContain(`tried ${CLOSED} (local): unreachable`);
    expect(run.stdout).toMatch(/login <URL>/);
  });

  it("refuses a --wait that is not a number of milliseconds", async () => {
    const home = tempHome();
    const run = await runDirect(discoverCommand, ["--wait", "soon"], { env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "config") }, host: { platform, home }, discover: runner([], () => []) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--wait "soon"/);
  });
});

describe("status and doctor with no endpoint configured and discovery on", () => {
  const env = (home: string) => ({ MEMORY_BRIDGE_CONFIG_DIR: join(home, "config"), MEMORY_BRIDGE_DISCOVERY: "1" });

  it("status says what discovery tried and how to configure a server when it found none", async () => {
    const home = tempHome();
    const run = await runDirect(statusCommand, ["--json"], { env: env(home), host: { home }, discover: runner([], () => [CLOSED]) });
    expect(run.code).toBe(1);
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({ endpoint: null, endpoint_source: "discovered", reachable: false });
    expect(status.discovery).toEqual({ tried: [{ url: CLOSED, source: "local", result: "unreachable" }], mdns: { ran: true, services: 0 } });
    expect(status.problems).toEqual([expect.stringMatching(/No memory server was found: tried http:\/\/127\.0\.0\.1:1\/api.*login <URL>.*MEMORY_BRIDGE_ENDPOINT/)]);
  });

  it("status and doctor use the server discovery found, and doctor says how it was found", async () => {
    const home = tempHome();
    const keychain = fakeKeychain({ tokens: { [server().url]: TOKEN } });
    const status = await runDirect(statusCommand, [], { env: env(home), host: { home }, keychain, discover: runner([], () => [CLOSED, server().url]) });
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain(`endpoint: ${server().url} (discovered)`);
    expect(status.stdout).toContain(`discovery tried: ${CLOSED} (local: unreachable); ${server().url} (local: found); mDNS: not needed`);
    const doctor = await runDirect(doctorCommand, [], { env: env(home), host: { home }, keychain, discover: runner([], () => [CLOSED, server().url]) });
    expect(doctor.stdout).toContain(`✓ discovery: found ${server().url} (remembered)`);
    expect(doctor.stdout).toContain("✓ token: accepted");
  });

  it("doctor fails the discovery check, saying what was tried, when nothing was found", async () => {
    const home = tempHome();
    const run = await runDirect(doctorCommand, [], { env: env(home), host: { home }, discover: runner([], () => [CLOSED]) });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ discovery: No memory server was found: tried http:\/\/127\.0\.0\.1:1\/api.*login <URL>/);
  });
});
