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
    const xdg = mkdtempSync(join(tmpdir(), "bridge-xdg-"));
    const old = join(xdg, "mcp-memory-bridge-nodejs");
    mkdirSync(old);
    writeFileSync(join(old, "config.json"), JSON.stringify({ endpoint: fixtureUrl, backend: "mcp-memory-service" }));
    writeFileSync(join(old, "credentials.json"), JSON.stringify({ [fixtureUrl]: TOKEN }), { mode: 0o600 });
    return { env: { MEMORY_BRIDGE_CONFIG_DIR: "", XDG_CONFIG_HOME: xdg }, old, now: join(xdg, "mcp-memory-bridge") };
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

  it("when both exist, doctor says which one is used and what to do with the other; doing it clears the check", async () => {
    const fixture = server();
    const m = earlierLogin(fixture.url);
    mkdirSync(m.now);
    const doctor = await runCli(["doctor"], { env: m.env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`✗ settings: An older config folder ${m.old} (from an earlier version) is still there and is not read; ${m.now} is used.`);
    expect(doctor.stdout).toMatch(/Move anything you need from it \(config\.json, credentials\.json\) into .*, then delete it\./);
    expect(existsSync(join(m.old, "credentials.json"))).toBe(true);

    const moved = await runPrinted(`mv "${m.old}"/* "${m.now}"/ && rmdir "${m.old}"`, { env: m.env });
    expect(moved.code, moved.stderr).toBe(0);
    const again = await runCli(["doctor"], { env: m.env });
    expect(again.stdout).toContain(`✓ settings: readable (config directory ${m.now})`);
    expect(again.stdout).toMatch(/✓ token: accepted/);
  });
});
