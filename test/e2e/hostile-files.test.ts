import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHostileServer, type HostileServer } from "../fixtures/hostile/server.js";
import { startBridge, textOf, type BridgeProcess } from "./harness.js";
import { peakRssMb } from "./proc-status.js";
import { runCli } from "./run-cli.js";

// Issue 7's rows about odd files in the config directory: the bridge answers, says what is wrong
// with the file, goes on without it, changes no file's mode, and SIGTERM always ends it.

const TOKEN = "tok_files_side_0987654321";
let server: HostileServer;
let bridge: BridgeProcess | undefined;
let configDir: string;

beforeAll(async () => {
  server = await createHostileServer({ token: TOKEN, records: [{ content: "a memory", content_hash: "b".repeat(64), tags: [], created_at: 1_700_000_000 }] });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  configDir = mkdtempSync(join(tmpdir(), "bridge-odd-files-"));
});
afterEach(async () => {
  await bridge?.transport.close();
  bridge = undefined;
});

/** The bridge with `configDir` as its config directory; the token only from a file there unless `token`. */
async function start(env: Record<string, string> = {}): Promise<BridgeProcess> {
  bridge = await startBridge({
    env: { MEMORY_BRIDGE_ENDPOINT: server.url, MEMORY_BRIDGE_CONFIG_DIR: configDir, MEMORY_BRIDGE_PROJECT_MODE: "global", MEMORY_BRIDGE_TIMEOUT_MS: "3000", ...env },
  });
  return bridge;
}

const call = (name: string, args: Record<string, unknown> = {}) => bridge!.client.callTool({ name, arguments: args }, undefined, { timeout: 20_000 });
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("config.json", () => {
  it("a FIFO: initialize is answered, memory_status names the problem, the tools work, exit 0", async () => {
    execFileSync("mkfifo", [join(configDir, "config.json")]);
    await start({ MEMORY_BRIDGE_TOKEN: TOKEN });
    const status = await call("memory_status");
    expect((status.structuredContent as { problems?: string[] }).problems).toEqual([expect.stringMatching(/config\.json is not a regular file .*; defaults are used/)]);
    expect((await call("list_memories")).isError).toBeFalsy();
    bridge!.transport.endStdin();
    expect(await bridge!.transport.exited).toEqual({ code: 0, signal: null });
  });

  it("a link to /dev/zero: refused without reading it, memory stays bounded, exit 0", async () => {
    symlinkSync("/dev/zero", join(configDir, "config.json"));
    await start({ MEMORY_BRIDGE_TOKEN: TOKEN });
    const status = await call("memory_status");
    expect(textOf(status)).toMatch(/problem: The saved profile .*config\.json is not a regular file/);
    expect(peakRssMb(bridge!.transport.child.pid!)).toBeLessThan(300);
    bridge!.transport.endStdin();
    expect(await bridge!.transport.exited).toEqual({ code: 0, signal: null });
  });

  it("status and doctor report it and go on", async () => {
    execFileSync("mkfifo", [join(configDir, "config.json")]);
    const env = { MEMORY_BRIDGE_ENDPOINT: server.url, MEMORY_BRIDGE_TOKEN: TOKEN, MEMORY_BRIDGE_CONFIG_DIR: configDir };
    const status = await runCli(["status"], { env });
    expect(status.stdout).toMatch(/problem: The saved profile .*is not a regular file/);
    expect(status.stdout).toMatch(/reachable: yes/);
    const doctor = await runCli(["doctor"], { env });
    expect(doctor.stdout).toMatch(/✗ settings: The saved profile .*is not a regular file/);
    expect(doctor.stdout).toMatch(/✓ token: accepted/);
  });
});

describe("credentials.json", () => {
  it("a FIFO: every call is answered within its deadline and says why; SIGTERM ends the process with 0", async () => {
    execFileSync("mkfifo", [join(configDir, "credentials.json")]);
    server.mode = { kind: "slow", delayMs: 500 };
    await start();
    const list = await call("list_memories");
    expect(list.isError).toBe(true);
    expect(textOf(list)).toMatch(/Authentication required \(401\).*\(Also: The token file .*credentials\.json is not a regular file/);
    const status = await call("memory_status");
    expect((status.structuredContent as { problems?: string[] }).problems).toContainEqual(expect.stringMatching(/credentials\.json is not a regular file/));
    const inFlight = call("list_memories");
    await new Promise((resolve) => setTimeout(resolve, 200));
    bridge!.transport.child.kill("SIGTERM");
    expect((await inFlight).isError).toBe(true); // answered (401 after the slow server), not dropped
    expect(await bridge!.transport.exited).toEqual({ code: 0, signal: null });
  });

  it("a FIFO: doctor says so in a check of its own", async () => {
    execFileSync("mkfifo", [join(configDir, "credentials.json")]);
    const doctor = await runCli(["doctor"], { env: { MEMORY_BRIDGE_ENDPOINT: server.url, MEMORY_BRIDGE_CONFIG_DIR: configDir } });
    expect(doctor.stdout).toMatch(/✗ token file: The token file .*is not a regular file/);
    expect(doctor.code).toBe(1);
  });

  for (const [what, content] of [
    ["a token file", JSON.stringify({ "http://127.0.0.1:8000/api": TOKEN })],
    ["not JSON", "# my notes\nnothing to see\n"],
  ] as const) {
    it(`a link to another file (${what}): not followed, and that file's mode is unchanged`, async () => {
      const target = join(configDir, "elsewhere.txt");
      writeFileSync(target, content);
      chmodSync(target, 0o644);
      symlinkSync(target, join(configDir, "credentials.json"));
      await start();
      const list = await call("list_memories");
      expect(textOf(list)).toMatch(/The token file .*credentials\.json is a symbolic link, which the bridge does not follow/);
      await call("memory_status");
      bridge!.transport.endStdin();
      expect(await bridge!.transport.exited).toEqual({ code: 0, signal: null });
      expect(mode(target)).toBe("644");
    });
  }
});
