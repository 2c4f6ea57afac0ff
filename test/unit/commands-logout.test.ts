/** `logout`, called in-process with the machine and the keychain injected, on each platform. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { logoutCommand } from "../../src/commands/logout-command.js";
import { PLATFORMS, runDirect, tempMachine } from "../helpers/command-io.js";
import { fakeKeychain } from "../helpers/fake-keychain.js";

const ENDPOINT = "https://memory.example.com/api";

describe.each(PLATFORMS)("logout on %s", (platform) => {
  it("removes the token from the keychain and from the insecure file", async () => {
    const m = tempMachine();
    mkdirSync(m.configDir, { recursive: true });
    writeFileSync(join(m.configDir, "credentials.json"), JSON.stringify({ [ENDPOINT]: "tok_file_copy_123" }), { mode: 0o600 });
    const keychain = fakeKeychain({ tokens: { [ENDPOINT]: "tok_keychain_123" } });
    const run = await runDirect(logoutCommand, [ENDPOINT], { env: m.env, keychain, host: { platform, home: m.home } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`✓ Removed the token for ${ENDPOINT} from the OS keychain (keytar) and the insecure token file ${join(m.configDir, "credentials.json")}.`);
    expect(keychain.tokens.size).toBe(0);
    expect(existsSync(join(m.configDir, "credentials.json"))).toBe(false);
    expect(keychain.opened.map((opened) => opened.platform)).toEqual([platform]);
  });

  it("says when nothing was stored, and when a token is still set in the environment", async () => {
    const m = tempMachine();
    const run = await runDirect(logoutCommand, [ENDPOINT], { env: { ...m.env, MEMORY_BRIDGE_TOKEN: "tok_env" }, host: { platform, home: m.home } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`No token was stored for ${ENDPOINT}; nothing to remove.`);
    expect(run.stdout).toContain("! A token is still set in this environment");
  });

  it("a locked keychain may still hold the token: exit 1, saying so", async () => {
    const m = tempMachine();
    const run = await runDirect(logoutCommand, [ENDPOINT], { env: m.env, keychain: fakeKeychain({ problem: "locked" }), host: { platform, home: m.home } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^Could not check the keychain for a token for ${ENDPOINT}: The keychain is locked`));
  });

  it("a keychain that cannot be reached (no session bus) may hold a token: never 'nothing to remove'", async () => {
    const m = tempMachine();
    const run = await runDirect(logoutCommand, [ENDPOINT], { env: m.env, keychain: fakeKeychain({ problem: "no-dbus" }), host: { platform, home: m.home } });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/nothing to remove/);
    expect(run.stderr).toMatch(new RegExp(`^Could not look for a token for ${ENDPOINT} in the keychain \\(.+\\), so one that login stored there was not removed: run \`.* logout ${ENDPOINT}\` where login ran`));
  });

  it("removing the file's copy with the keychain out of reach succeeds, and says the keychain was not checked", async () => {
    const m = tempMachine();
    mkdirSync(m.configDir, { recursive: true });
    writeFileSync(join(m.configDir, "credentials.json"), JSON.stringify({ [ENDPOINT]: "tok_file_copy_123" }), { mode: 0o600 });
    const run = await runDirect(logoutCommand, [ENDPOINT], { env: m.env, keychain: fakeKeychain({ problem: "no-dbus" }), host: { platform, home: m.home } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ Removed the token .* insecure token file/);
    expect(run.stdout).toMatch(/^! Could not look for a token .* in the keychain .*, if there is one\.$/m);
  });

  it("no URL and no configured endpoint is a usage error", async () => {
    const m = tempMachine();
    const run = await runDirect(logoutCommand, [], { env: m.env, host: { platform, home: m.home } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/give logout the memory server's URL/);
  });
});
