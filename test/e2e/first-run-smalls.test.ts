import { mkdtempSync } from "node:fs";
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
