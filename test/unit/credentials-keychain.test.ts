import { describe, expect, it } from "vitest";
import type { Env } from "../../src/core/env.js";
import { backendChoiceFromEnv, KEYCHAIN_BACKEND_ENV_VAR } from "../../src/credentials/keychain-backend.js";
import { openKeychain, type OpenKeychainOptions } from "../../src/credentials/keychain.js";
import { classifyKeychainError, KeychainError, keychainProblem, problemFromProbe } from "../../src/credentials/keychain-problem.js";
import { createKeyringStore, type KeyringApi } from "../../src/credentials/keyring-store.js";
import { createKeytarStore, type KeytarApi } from "../../src/credentials/keytar-store.js";
import { isModuleNotFound, loadOptionalModule, type ModuleImporter } from "../../src/credentials/optional-module.js";
import type { SecretServiceProbe } from "../../src/credentials/secret-service-probe.js";
import { createLogger } from "../../src/log.js";
import { keychainWords } from "../../src/mcp/keychain-words.js";
import { WORDS } from "../helpers/words.js";

const ACCOUNT = "https://memory.example.com";
const WAYS_OUT = /--insecure-storage.*MEMORY_BRIDGE_TOKEN/;

/** In-memory stand-ins for the two native modules, shaped like their CommonJS namespaces. */
function fakeKeytar(items = new Map<string, string>()): KeytarApi {
  return {
    getPassword: async (service, account) => items.get(`${service}|${account}`) ?? null,
    setPassword: async (service, account, password) => void items.set(`${service}|${account}`, password),
    deletePassword: async (service, account) => items.delete(`${service}|${account}`),
  };
}
function fakeKeyring(items = new Map<string, string>(), seenOptions: unknown[] = []): KeyringApi {
  return {
    AsyncEntry: class {
      constructor(
        private readonly service: string,
        private readonly username: string,
        options?: unknown,
      ) {
        seenOptions.push(options);
      }
      async getPassword() {
        return items.get(`${this.service}|${this.username}`) ?? null;
      }
      async setPassword(password: string) {
        items.set(`${this.service}|${this.username}`, password);
      }
      async deletePassword() {
        return items.delete(`${this.service}|${this.username}`);
      }
    },
  };
}

const notFound = (specifier: string) => Object.assign(new Error(`Cannot find package '${specifier}' imported from /x/cli.js`), { code: "ERR_MODULE_NOT_FOUND" });

/** An importer that serves the fakes as `{ default: api }` and records what was asked for. */
function importer(available: { keytar?: KeytarApi | Error; keyring?: KeyringApi | Error }) {
  const asked: string[] = [];
  const load: ModuleImporter = async (specifier) => {
    asked.push(specifier);
    const api = specifier === "keytar" ? available.keytar : specifier === "@napi-rs/keyring" ? available.keyring : undefined;
    if (api === undefined) throw notFound(specifier);
    if (api instanceof Error) throw api;
    return { default: api };
  };
  return { load, asked };
}

const okProbe = async (): Promise<SecretServiceProbe> => ({ ok: true });

function open(options: Partial<OpenKeychainOptions> & { env?: Env }) {
  return openKeychain({ platform: "linux", env: {}, probe: okProbe, ...options });
}

describe("openKeychain", () => {
  it("auto: keytar, then @napi-rs/keyring", async () => {
    const { load } = importer({ keytar: fakeKeytar(), keyring: fakeKeyring() });
    const keychain = await open({ importer: load });
    expect(keychain.stores.map((s) => s.name)).toEqual(["keytar", "keyring"]);
    expect(keychain.problem).toBeUndefined();
  });

  it.each(["keytar", "keyring"] as const)("MEMORY_BRIDGE_KEYCHAIN_BACKEND=%s forces that backend alone", async (backend) => {
    const { load, asked } = importer({ keytar: fakeKeytar(), keyring: fakeKeyring() });
    const keychain = await open({ importer: load, env: { [KEYCHAIN_BACKEND_ENV_VAR]: ` ${backend.toUpperCase()} ` } });
    expect(keychain.stores.map((s) => s.name)).toEqual([backend]);
    expect(asked).toEqual([backend === "keytar" ? "keytar" : "@napi-rs/keyring"]);
  });

  it("the backend option overrides the env setting", async () => {
    const { load } = importer({ keytar: fakeKeytar(), keyring: fakeKeyring() });
    const keychain = await open({ importer: load, env: { [KEYCHAIN_BACKEND_ENV_VAR]: "keytar" }, backend: "auto" });
    expect(keychain.stores.map((s) => s.name)).toEqual(["keytar", "keyring"]);
  });

  it("an invalid setting is a problem, not ignored", async () => {
    const { load, asked } = importer({ keytar: fakeKeytar() });
    const keychain = await open({ importer: load, env: { [KEYCHAIN_BACKEND_ENV_VAR]: "wallet" } });
    expect(keychain.stores).toEqual([]);
    expect(keychain.problem).toMatchObject({ kind: "other", detail: expect.stringContaining('"wallet"') });
    expect(asked).toEqual([]);
    expect(backendChoiceFromEnv({ [KEYCHAIN_BACKEND_ENV_VAR]: "" })).toEqual({ ok: true, choice: "auto" });
  });

  it("one module missing: the other is used, no problem", async () => {
    const { load } = importer({ keyring: fakeKeyring() });
    const keychain = await open({ importer: load });
    expect(keychain.stores.map((s) => s.name)).toEqual(["keyring"]);
    expect(keychain.problem).toBeUndefined();
  });

  it("both modules missing → module-missing, naming each", async () => {
    const { load } = importer({});
    const keychain = await open({ importer: load });
    expect(keychain.stores).toEqual([]);
    expect(keychain.problem).toMatchObject({ kind: "module-missing", detail: "keytar: not installed; @napi-rs/keyring: not installed" });
    expect(keychainWords(keychain.problem!, WORDS)).toMatch(/reinstall mcp-memory-bridge with its optional dependencies/);
    expect(keychainWords(keychain.problem!, WORDS)).toMatch(WAYS_OUT);
  });

  it("a module that is present but cannot load (missing libsecret) is reported as such", async () => {
    const dlopen = Object.assign(new Error("libsecret-1.so.0: cannot open shared object file: No such file or directory"), { code: "ERR_DLOPEN_FAILED" });
    const { load } = importer({ keytar: dlopen });
    const keychain = await open({ importer: load, backend: "keytar" });
    expect(keychain.problem).toMatchObject({ kind: "module-missing", detail: expect.stringContaining("keytar: failed to load: libsecret-1.so.0") });
  });

  it("a forced backend that is missing is module-missing even if the other exists", async () => {
    const { load } = importer({ keytar: fakeKeytar() });
    const keychain = await open({ importer: load, env: { [KEYCHAIN_BACKEND_ENV_VAR]: "keyring" } });
    expect(keychain.problem?.kind).toBe("module-missing");
  });

  it("on Linux a failed probe means no stores and no module is even loaded", async () => {
    const { load, asked } = importer({ keytar: fakeKeytar(), keyring: fakeKeyring() });
    const lines: string[] = [];
    const keychain = await open({
      importer: load,
      probe: async () => ({ ok: false, reason: "no-dbus", detail: "DBUS_SESSION_BUS_ADDRESS is not set" }),
      logger: createLogger({ level: "debug", write: (line) => lines.push(line) }),
    });
    expect(keychain.stores).toEqual([]);
    expect(keychain.problem?.kind).toBe("no-dbus");
    expect(asked).toEqual([]);
    expect(lines.join("\n")).toContain("Secret Service check failed");
  });

  it("macOS and Windows are not probed", async () => {
    for (const platform of ["darwin", "win32"] as const) {
      let probed = false;
      const { load } = importer({ keytar: fakeKeytar() });
      const keychain = await open({ platform, importer: load, probe: async () => ((probed = true), { ok: true }) });
      expect(probed).toBe(false);
      expect(keychain.stores.map((s) => s.name)).toEqual(["keytar"]);
    }
  });
});

describe("loadOptionalModule", () => {
  it("accepts a namespace with or without a CommonJS default", async () => {
    const api = fakeKeytar();
    const pick = (e: Record<string, unknown>) => (typeof e.getPassword === "function" ? e : undefined);
    expect((await loadOptionalModule("keytar", async () => ({ default: api }), pick)).ok).toBe(true);
    expect((await loadOptionalModule("keytar", async () => api, pick)).ok).toBe(true);
    expect(await loadOptionalModule("keytar", async () => ({ default: {} }), pick)).toMatchObject({ ok: false, missing: false, detail: expect.stringContaining("API") });
  });

  it("tells 'not installed' from 'failed to load'", () => {
    expect(isModuleNotFound(notFound("keytar"))).toBe(true);
    expect(isModuleNotFound(Object.assign(new Error("Cannot find module '../build/Release/keytar.node'"), { code: "MODULE_NOT_FOUND" }))).toBe(true);
    expect(isModuleNotFound(new Error("Cannot find native binding. npm has a bug related to optional dependencies"))).toBe(true);
    expect(isModuleNotFound(new Error("libsecret-1.so.0: cannot open shared object file"))).toBe(false);
  });
});

describe("keytar and keyring stores", () => {
  it("keytar: service mcp-memory-bridge, account = endpoint; null reads as undefined", async () => {
    const items = new Map<string, string>();
    const store = createKeytarStore(fakeKeytar(items), { platform: "linux" });
    expect(await store.get(ACCOUNT)).toBeUndefined();
    await store.set(ACCOUNT, "t1");
    expect([...items.keys()]).toEqual([`mcp-memory-bridge|${ACCOUNT}`]);
    expect(await store.get(ACCOUNT)).toBe("t1");
    expect(await store.delete(ACCOUNT)).toBe(true);
    expect(await store.delete(ACCOUNT)).toBe(false);
  });

  it("keyring: AsyncEntry pinned to the Secret Service on Linux only", async () => {
    const items = new Map<string, string>();
    const seen: unknown[] = [];
    const linux = createKeyringStore(fakeKeyring(items, seen), { platform: "linux" });
    await linux.set(ACCOUNT, "t2");
    expect(await linux.get(ACCOUNT)).toBe("t2");
    expect([...items.keys()]).toEqual([`mcp-memory-bridge|${ACCOUNT}`]);
    expect(seen[0]).toEqual({ linux: { store: "secret-service" } });
    const mac = createKeyringStore(fakeKeyring(items, seen), { platform: "darwin" });
    await mac.get(ACCOUNT);
    expect(seen.at(-1)).toBeUndefined();
  });

  it("module errors become KeychainErrors with a classified problem", async () => {
    const failing: KeytarApi = {
      getPassword: async () => Promise.reject(new Error("Cannot autolaunch D-Bus without X11 $DISPLAY")),
      setPassword: async () => Promise.reject(new Error("Cannot create an item in a locked collection")),
      deletePassword: async () => Promise.reject(new Error("something odd")),
    };
    const store = createKeytarStore(failing, { platform: "linux" });
    await expect(store.get(ACCOUNT)).rejects.toMatchObject({ name: "KeychainError", problem: { kind: "no-dbus" } });
    await expect(store.set(ACCOUNT, "secret-token-value")).rejects.toMatchObject({ problem: { kind: "locked" } });
    await expect(store.delete(ACCOUNT)).rejects.toMatchObject({ problem: { kind: "other" } });
    // A pinned keyring store whose Secret Service vanished throws from its constructor: still a KeychainError.
    const throwing: KeyringApi = {
      AsyncEntry: class {
        constructor() {
          throw new Error("Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead");
        }
      } as unknown as KeyringApi["AsyncEntry"],
    };
    await expect(createKeyringStore(throwing, { platform: "linux" }).get(ACCOUNT)).rejects.toBeInstanceOf(KeychainError);
    await expect(createKeyringStore(throwing, { platform: "linux" }).get(ACCOUNT)).rejects.toMatchObject({ problem: { kind: "no-dbus" } });
  });
});

describe("keychain problems", () => {
  it.each([
    ["Cannot autolaunch D-Bus without X11 $DISPLAY", "no-dbus"],
    ["Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead", "no-dbus"],
    ["The name org.freedesktop.secrets was not provided by any .service files", "no-secret-service"],
    ["org.freedesktop.DBus.Error.ServiceUnknown: no owner", "no-secret-service"],
    ["Cannot create an item in a locked collection", "locked"],
    ["Couldn't access platform storage: Secret Service: unlock prompt was dismissed", "locked"],
    ["org.freedesktop.DBus.Error.AccessDenied: Rejected send message", "access-denied"],
    ["User canceled the operation.", "access-denied"],
    ["The user name or passphrase you entered is not correct. (errSecAuthFailed)", "access-denied"],
    ["Platform failure: Ambiguous", "other"],
  ])("%s → %s", (message, kind) => {
    expect(classifyKeychainError(new Error(message), "linux").kind).toBe(kind);
  });

  it("passes a KeychainError's problem through", () => {
    const problem = keychainProblem("locked", "x", "linux");
    expect(classifyKeychainError(new KeychainError(problem), "linux")).toBe(problem);
  });

  it("maps probe results: timeout and errors are 'other', ok is no problem", () => {
    expect(problemFromProbe({ ok: true }, "linux")).toBeUndefined();
    expect(problemFromProbe({ ok: false, reason: "timeout", detail: "slow" }, "linux")).toMatchObject({ kind: "other", detail: expect.stringContaining("timed out") });
    expect(problemFromProbe({ ok: false, reason: "error", detail: "odd" }, "linux")?.kind).toBe("other");
    expect(problemFromProbe({ ok: false, reason: "no-secret-service", detail: "none" }, "linux")?.kind).toBe("no-secret-service");
  });

  it("every problem states what is wrong with its detail, for the edge to add the ways out", () => {
    expect(keychainProblem("locked", "d", "linux")).toEqual({ kind: "locked", message: "The keychain is locked (d).", detail: "d", platform: "linux" });
    expect(keychainProblem("access-denied", "d", "win32").message).toBe("The operating system refused access to the Windows Credential Manager (d).");
  });
});
