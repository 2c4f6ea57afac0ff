/**
 * `login`, called in-process against the fixture server with the machine and the keychain
 * injected, as it runs on Linux, macOS and Windows.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loginCommand } from "../../src/commands/login-command.js";
import type { KeychainProblemKind } from "../../src/credentials/keychain-problem.js";
import { PLATFORMS, runDirect, tempMachine } from "../helpers/command-io.js";
import { memoryServiceForFile } from "../helpers/fixture-per-file.js";
import { fakeKeychain } from "../helpers/fake-keychain.js";

const TOKEN = "tok_login_unit_Zp42distinct";
const server = memoryServiceForFile(TOKEN);

/** What each platform's keychain says when it cannot be used. */
const UNUSABLE: Record<(typeof PLATFORMS)[number], { kind: KeychainProblemKind; words: RegExp }> = {
  linux: { kind: "no-dbus", words: /no D-Bus session bus.*gnome-keyring-daemon/ },
  darwin: { kind: "locked", words: /keychain is locked.*unlock the macOS Keychain/ },
  win32: { kind: "access-denied", words: /refused access to the Windows Credential Manager/ },
};

describe.each(PLATFORMS)("login on %s", (platform) => {
  it("checks the token, stores it in the keychain and saves the endpoint", async () => {
    const m = tempMachine();
    const keychain = fakeKeychain();
    const run = await runDirect(loginCommand, [server().url, "--with-token"], { input: `${TOKEN}\n`, env: m.env, keychain, host: { platform, home: m.home } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`✓ Logged in to ${server().url} (mcp-memory-service`);
    expect(run.stdout).toContain(`✓ Token stored in the OS keychain (through keytar), service "mcp-memory-bridge", account "${server().url}".`);
    expect(keychain.tokens.get(server().url)).toBe(TOKEN);
    expect(keychain.opened.map((opened) => opened.platform)).toEqual([platform]);
    expect(JSON.parse(readFileSync(join(m.configDir, "config.json"), "utf8"))).toEqual({ endpoint: server().url, backend: "mcp-memory-service" });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it("with no usable keychain, says why in the platform's words and writes nothing", async () => {
    const m = tempMachine();
    const { kind, words } = UNUSABLE[platform];
    const run = await runDirect(loginCommand, [server().url, "--with-token"], { input: TOKEN, env: m.env, keychain: fakeKeychain({ problem: kind }), host: { platform, home: m.home } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(words);
    expect(run.stderr).toMatch(/--insecure-storage.*MEMORY_BRIDGE_TOKEN.*Nothing was stored\./);
    expect(existsSync(m.configDir)).toBe(false);
  });

  it("--insecure-storage keeps the token in the config directory's file", async () => {
    const m = tempMachine();
    const run = await runDirect(loginCommand, [server().url, "--with-token", "--insecure-storage"], { input: `${TOKEN}\r\n`, env: m.env, host: { platform, home: m.home } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`insecure token file ${join(m.configDir, "credentials.json")}`);
    expect(JSON.parse(readFileSync(join(m.configDir, "credentials.json"), "utf8"))).toEqual({ [server().url]: TOKEN });
  });

  it("a rejected token is not stored, and the message gives the server's reason", async () => {
    const m = tempMachine();
    const keychain = fakeKeychain();
    const run = await runDirect(loginCommand, [server().url, "--with-token"], { input: "tok_wrong_1234567", env: m.env, keychain, host: { platform, home: m.home } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/rejected the token \(401 invalid_token.*the token was not stored/);
    expect(keychain.tokens.size).toBe(0);
    expect(run.stderr).not.toContain("tok_wrong_1234567");
  });
});
