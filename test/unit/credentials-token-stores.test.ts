import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { credentialsFilePath } from "../../src/credentials/file-store.js";
import type { Keychain, OpenKeychainOptions } from "../../src/credentials/keychain.js";
import { keychainProblem } from "../../src/credentials/keychain-problem.js";
import { resolveToken } from "../../src/credentials/resolve-token.js";
import type { TokenStore } from "../../src/credentials/token-store.js";
import { runtimeTokenStores } from "../../src/credentials/token-stores.js";

const ENDPOINT = "https://memory.example.com";
let dir = "";
let configDir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "token-stores-"));
  configDir = join(dir, "config");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function memoryStore(name: "keytar" | "keyring", tokens: Record<string, string> = {}): TokenStore {
  return {
    name,
    get: async (account) => tokens[account],
    set: async (account, token) => void (tokens[account] = token),
    delete: async (account) => (account in tokens ? (delete tokens[account], true) : false),
  };
}

/** An openKeychain stand-in that counts its calls and records the options it got. */
function fakeOpen(result: Keychain) {
  const calls: OpenKeychainOptions[] = [];
  const open = async (options: OpenKeychainOptions) => {
    calls.push(options);
    return result;
  };
  return { open, calls };
}

describe("runtimeTokenStores", () => {
  it("opens nothing when the environment supplies the token", async () => {
    const { open, calls } = fakeOpen({ stores: [memoryStore("keytar")] });
    const stores = runtimeTokenStores({ platform: "linux", env: {}, configDir, openKeychain: open });
    const resolution = await resolveToken({ env: { MEMORY_BRIDGE_TOKEN: "from-env" }, endpoint: ENDPOINT, stores });
    expect(resolution).toMatchObject({ token: "from-env", source: "env" });
    expect(calls).toHaveLength(0);
  });

  it("keychain placeholders in order, opened once on first use; a miss in keytar is found in keyring", async () => {
    const { open, calls } = fakeOpen({ stores: [memoryStore("keytar"), memoryStore("keyring", { [ENDPOINT]: "kr-token" })] });
    const stores = runtimeTokenStores({ platform: "linux", env: { X: "1" }, configDir, openKeychain: open });
    expect(stores.map((s) => s.name)).toEqual(["keytar", "keyring", "file"]);
    expect(calls).toHaveLength(0);
    const resolution = await resolveToken({ env: {}, endpoint: ENDPOINT, stores });
    expect(resolution).toMatchObject({ token: "kr-token", source: "keychain", origin: "keyring", failures: [] });
    await resolveToken({ env: {}, endpoint: ENDPOINT, stores });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ platform: "linux", env: { X: "1" } });
  });

  it("an unusable keychain is reported once, then the file store is tried", async () => {
    mkdirSync(configDir, { recursive: true });
    writeFileSync(credentialsFilePath(configDir), JSON.stringify({ [ENDPOINT]: "file-token" }), { mode: 0o600 });
    const problem = keychainProblem("no-dbus", "DBUS_SESSION_BUS_ADDRESS is not set", "linux");
    const { open } = fakeOpen({ stores: [], problem });
    const stores = runtimeTokenStores({ platform: "linux", env: {}, configDir, openKeychain: open });
    expect(stores.map((s) => s.name)).toEqual(["keytar", "keyring", "file"]);
    const resolution = await resolveToken({ env: {}, endpoint: ENDPOINT, stores });
    expect(resolution).toMatchObject({ token: "file-token", source: "file", origin: "file" });
    expect(resolution.failures).toEqual([{ store: "keytar", reason: problem.message }]);
  });

  it("set() on an unusable keychain fails for every placeholder; delete() reads as nothing removed", async () => {
    const problem = keychainProblem("locked", "the default keyring is locked", "linux");
    const { open } = fakeOpen({ stores: [], problem });
    const [keytar, keyring] = runtimeTokenStores({ platform: "linux", env: {}, configDir, openKeychain: open }) as [TokenStore, TokenStore];
    await expect(keytar.set(ENDPOINT, "t")).rejects.toMatchObject({ name: "KeychainError", problem: { kind: "locked" } });
    await expect(keyring.set(ENDPOINT, "t")).rejects.toMatchObject({ problem: { kind: "locked" } });
    await expect(keytar.delete(ENDPOINT)).rejects.toMatchObject({ problem: { kind: "locked" } });
    expect(await keyring.delete(ENDPOINT)).toBe(false);
  });

  it("a backend whose module alone is missing reads as empty", async () => {
    const { open } = fakeOpen({ stores: [memoryStore("keyring")] });
    const [keytar] = runtimeTokenStores({ platform: "linux", env: {}, configDir, openKeychain: open }) as [TokenStore];
    expect(await keytar.get(ENDPOINT)).toBeUndefined();
    await expect(keytar.set(ENDPOINT, "t")).rejects.toThrow(/keytar keychain module is not available/);
  });

  it("the insecure file is always consulted, read-only: a missing file is a quiet miss and nothing can be written to it", async () => {
    const { open } = fakeOpen({ stores: [] });
    const stores = runtimeTokenStores({ platform: "linux", env: {}, configDir, openKeychain: open });
    expect(stores.map((s) => s.name)).toEqual(["keytar", "keyring", "file"]);
    const file = stores[2]!;
    await expect(file.get(ENDPOINT)).resolves.toBeUndefined();
    await expect(file.set(ENDPOINT, "tok_should_not_be_written")).rejects.toThrow(/only by `login --insecure-storage`/);
    expect(existsSync(join(configDir, "credentials.json"))).toBe(false);
  });

  it("MEMORY_BRIDGE_KEYCHAIN_BACKEND limits the placeholders; an invalid value is reported without opening", async () => {
    const { open, calls } = fakeOpen({ stores: [memoryStore("keyring")] });
    const forced = runtimeTokenStores({ platform: "linux", env: { MEMORY_BRIDGE_KEYCHAIN_BACKEND: "keyring" }, configDir, openKeychain: open });
    expect(forced.map((s) => s.name)).toEqual(["keyring", "file"]);
    const invalid = runtimeTokenStores({ platform: "linux", env: { MEMORY_BRIDGE_KEYCHAIN_BACKEND: "vault" }, configDir, openKeychain: open });
    const resolution = await resolveToken({ env: {}, endpoint: ENDPOINT, stores: invalid });
    expect(resolution.failures).toEqual([{ store: "keytar", reason: expect.stringContaining('MEMORY_BRIDGE_KEYCHAIN_BACKEND is "vault"') }]);
    expect(calls).toHaveLength(0);
  });
});
