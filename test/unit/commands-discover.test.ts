/**
 * `discover`, called in-process: real probes against the fixture server (standing in for the
 * loopback candidates), no mDNS on this machine's interfaces (the browse is stubbed; the real one
 * runs in test/integration/discovery-mdns-netns.test.ts).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discoverCommand } from "../../src/commands/discover-command.js";
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
