import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { memoryServiceForFile } from "../helpers/fixture-per-file.js";
import { startBridge } from "./harness.js";
import { runCli, runPrinted } from "./run-cli.js";

/** issue 10, item 10: the smaller traps, each run as a user meets it. */

const TOKEN = "tok_smalls_Vb71distinctive";
const server = memoryServiceForFile(TOKEN);
let configDir: string;

beforeEach(() => {
  server().reset();
  configDir = mkdtempSync(join(tmpdir(), "bridge-smalls-"));
});

const envWith = (extra: Record<string, string> = {}) => ({ MEMORY_BRIDGE_CONFIG_DIR: configDir, ...extra });

describe("the insecure token file's warning", () => {
  it("is said once per process, as a sentence naming the file and the login command, however many calls read the token", async () => {
    const fixture = server();
    const login = await runCli(["login", fixture.url, "--with-token", "--insecure-storage"], { input: TOKEN, env: envWith() });
    expect(login.code, login.stderr).toBe(0);
    const bridge = await startBridge({ env: envWith({ MEMORY_BRIDGE_ENDPOINT: fixture.url }) });
    try {
      for (let i = 0; i < 3; i++) {
        const stored = await bridge.client.callTool({ name: "store_memory", arguments: { content: `note ${i}` } });
        expect(stored.isError).toBeFalsy();
        await bridge.client.callTool({ name: "memory_status", arguments: {} });
      }
    } finally {
      await bridge.transport.close();
    }
    const warnings = bridge.transport.stderr.split("\n").filter((line) => line.includes("insecure token file"));
    expect(warnings).toHaveLength(1);
    const file = join(configDir, "credentials.json");
    expect(warnings[0]).toMatch(
      new RegExp(`The token for ${fixture.url} was read from the insecure token file ${file}, which any program running as you can read\\. To move it into the OS keychain, run \`node \\S*bin/mcp-memory-bridge\\.js login ${fixture.url}\`\\.$`),
    );
    expect(bridge.transport.stderr).not.toContain(TOKEN);

    // The command it names is this bridge's login for that endpoint: run as printed, it goes for the keychain (none here, so it says so).
    const command = /run `([^`]+)`/.exec(warnings[0]!)![1]!;
    const moved = await runPrinted(`${command} --with-token`, { input: TOKEN, env: envWith(), cwd: process.cwd() });
    expect(moved.stderr).toMatch(/no D-Bus session bus/);
    expect(moved.stderr).not.toMatch(/Unknown|Unexpected/);
  });
});

describe("the config folder: mcp-memory-bridge, the old mcp-memory-bridge-nodejs moved over once", () => {
  /** A machine with no MEMORY_BRIDGE_CONFIG_DIR, where a login of an earlier version left its folder. */
  function earlierLogin(fixtureUrl: string) {
    const home = mkdtempSync(join(tmpdir(), "bridge-home-"));
    const xdg = join(home, ".config");
    const old = join(xdg, "mcp-memory-bridge-nodejs");
    mkdirSync(old, { recursive: true });
    writeFileSync(join(old, "config.json"), JSON.stringify({ endpoint: fixtureUrl, backend: "mcp-memory-service" }));
    writeFileSync(join(old, "credentials.json"), JSON.stringify({ [fixtureUrl]: TOKEN }), { mode: 0o600 });
    return { env: { MEMORY_BRIDGE_CONFIG_DIR: "", HOME: home, XDG_CONFIG_HOME: xdg }, old, now: join(xdg, "mcp-memory-bridge") };
  }

  it("the first run moves the old folder, and its endpoint and token keep working", async () => {
    const fixture = server();
    const m = earlierLogin(fixture.url);
    const status = await runCli(["status"], { env: m.env });
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toMatch(/token accepted: yes/);
    expect(existsSync(m.old)).toBe(false);
    expect(JSON.parse(readFileSync(join(m.now, "credentials.json"), "utf8"))).toEqual({ [fixture.url]: TOKEN });
    const doctor = await runCli(["doctor"], { env: m.env });
    expect(doctor.stdout).toContain(`✓ settings: readable (config directory ${m.now})`);
  });

  it("MEMORY_BRIDGE_CONFIG_DIR pinned to the old folder keeps it there, even when serve falls back to defaults over an invalid setting", async () => {
    const fixture = server();
    const m = earlierLogin(fixture.url);
    const pinned = { ...m.env, MEMORY_BRIDGE_CONFIG_DIR: m.old };
    const serve = await runCli([], { env: { ...pinned, MEMORY_BRIDGE_TIMEOUT_MS: "soon" } });
    expect(serve.code).toBe(0);
    expect(serve.stderr).toMatch(/MEMORY_BRIDGE_TIMEOUT_MS/);
    expect(existsSync(join(m.old, "credentials.json"))).toBe(true);
    expect(existsSync(m.now)).toBe(false);
    const status = await runCli(["status"], { env: pinned });
    expect(status.stdout).toMatch(/token accepted: yes/);
  });

  it("when both exist, doctor says which one is used and what to do with the other; doing it clears the check", async () => {
    const fixture = server();
    const m = earlierLogin(fixture.url);
    mkdirSync(m.now);
    const doctor = await runCli(["doctor"], { env: m.env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`✗ settings: An older config folder ${m.old} (from an earlier version) is still there and is not read; ${m.now} is used.`);
    expect(doctor.stdout).toMatch(/Move anything you need from it \(config\.json, credentials\.json\) into .*, then delete it\./);
    expect(existsSync(join(m.old, "credentials.json"))).toBe(true);
    const status = await runCli(["status"], { env: m.env });
    expect(status.stdout.split("\n").filter((line) => line.startsWith("problem: An older config folder"))).toHaveLength(1);

    const moved = await runPrinted(`mv "${m.old}"/* "${m.now}"/ && rmdir "${m.old}"`, { env: m.env });
    expect(moved.code, moved.stderr).toBe(0);
    const again = await runCli(["doctor"], { env: m.env });
    expect(again.stdout).toContain(`✓ settings: readable (config directory ${m.now})`);
    expect(again.stdout).toMatch(/✓ token: accepted/);
  });
});

describe("login reports the scopes it could check, and never writes to check them", () => {
  const READ_ONLY = "tok_read_only_Hq28distinctive";

  async function loginWith(fixtureOptions: { version?: string }, token: string) {
    const { createMemoryServiceFixture } = await import("../fixtures/memory-service/index.js");
    const fixture = await createMemoryServiceFixture({ token: TOKEN, readOnlyToken: READ_ONLY, ...fixtureOptions });
    try {
      const run = await runCli(["login", fixture.url, "--with-token", "--insecure-storage"], { input: token, env: envWith() });
      const writes = fixture.requests.filter((request) => request.method !== "GET");
      return { run, writes, url: fixture.url, memories: fixture.memories().length };
    } finally {
      await fixture.close();
    }
  }

  it("a read-only token: logged in, but says it cannot write, why, and the login that fixes it, which runs as printed", async () => {
    const { createMemoryServiceFixture } = await import("../fixtures/memory-service/index.js");
    const fixture = await createMemoryServiceFixture({ token: TOKEN, readOnlyToken: READ_ONLY });
    try {
      const run = await runCli(["login", fixture.url, "--with-token", "--insecure-storage"], { input: READ_ONLY, env: envWith() });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^! Access: can read ✓, can write ✗ — this token has read-only scope \(asked with GET \/memory-stats, which needs the write scope and changes nothing\): search, list and get work, but store, update and delete will be refused\./m);
      expect(fixture.requests.filter((request) => request.method !== "GET")).toEqual([]);
      const fix = /`([^`]+ login [^`]+)`\.$/m.exec(run.stdout)![1]!;
      expect(fix).toMatch(new RegExp(`login ${fixture.url}$`));
      const again = await runPrinted(`${fix} --with-token --insecure-storage`, { input: TOKEN, env: envWith(), cwd: process.cwd() });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/^✓ Access: can read ✓, can write ✓/m);
      // And the store the read-only token would have failed at now works.
      const bridge = await startBridge({ env: envWith({ MEMORY_BRIDGE_ENDPOINT: fixture.url }) });
      try {
        const stored = await bridge.client.callTool({ name: "store_memory", arguments: { content: "written with the write scope" } });
        expect(stored.isError).toBeFalsy();
      } finally {
        await bridge.transport.close();
      }
    } finally {
      await fixture.close();
    }
  });

  it("the API key: can read ✓, can write ✓, with nothing written", async () => {
    const { run, writes, memories } = await loginWith({}, TOKEN);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^✓ Access: can read ✓, can write ✓ \(asked with GET \/memory-stats, which needs the write scope and changes nothing\)\.$/m);
    expect(writes).toEqual([]);
    expect(memories).toBe(0);
  });

  it("a server older than 10.21 (where that probe needs only read): write is reported as not checked, with why", async () => {
    const { run, writes } = await loginWith({ version: "10.20.0" }, READ_ONLY);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Access: can read ✓; write: not checked — this server \(10\.20\.0\) has no way to ask without writing \(mcp-memory-service 10\.21\.0 added one\), and login never writes to check\.$/m);
    expect(run.stdout).not.toMatch(/can write ✓/);
    expect(writes).toEqual([]);
  });

  it("self-hosted mem0 gives every key it accepts the same rights: write follows from the read, nothing written", async () => {
    const { createMem0Fixture } = await import("../fixtures/mem0/index.js");
    const mem0 = await createMem0Fixture({ generation: "B" });
    try {
      const run = await runCli(["login", mem0.url, "--with-token", "--insecure-storage"], { input: mem0.adminKey!, env: envWith({ MEMORY_BRIDGE_USER_ID: "alice" }) });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^✓ Access: can read ✓, can write ✓ \(this server gives every key it accepts the same rights to read and write memories\)\.$/m);
      expect(mem0.requests.filter((request) => request.method !== "GET")).toEqual([]);
    } finally {
      await mem0.close();
    }
  });

  it("the mem0 platform has no way to ask: write is reported as not checked", async () => {
    const { createPlatformFixture } = await import("../fixtures/mem0-platform/index.js");
    const platform = await createPlatformFixture();
    try {
      const run = await runCli(["login", platform.url, "--backend", "mem0-platform", "--with-token", "--insecure-storage"], { input: platform.apiKey, env: envWith() });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Access: can read ✓; write: not checked — this server has no way to ask without writing, and login never writes to check\.$/m);
      expect(platform.requests.filter((request) => request.method !== "GET")).toEqual([]);
    } finally {
      await platform.close();
    }
  });
});
