/**
 * Keychain checks that must run inside a sandbox made by with-secret-service.sh (a private D-Bus
 * session, a temporary HOME). test/integration/keychain-secret-service.test.ts spawns
 *
 *   test/keychain/with-secret-service.sh --mode <mode> -- node --import tsx test/keychain/scenarios.ts <mode>
 *
 * and asserts on the observations this prints as one `KEYCHAIN_RESULT <json>` line. Refuses to run
 * outside a sandbox, so it can never touch the real user's keychain.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { resolveToken } from "../../src/credentials/resolve-token.js";
import { createKeyringStore, type KeyringApi } from "../../src/credentials/keyring-store.js";
import { createKeytarStore, type KeytarApi } from "../../src/credentials/keytar-store.js";
import { KEYCHAIN_BACKEND_ENV_VAR, type KeychainBackend } from "../../src/credentials/keychain-backend.js";
import { openKeychain, type Keychain } from "../../src/credentials/keychain.js";
import { KeychainError } from "../../src/credentials/keychain-problem.js";
import { keychainWords } from "../../src/mcp/keychain-words.js";
import { probeSecretService } from "../../src/credentials/secret-service-probe.js";
import { KEYCHAIN_SERVICE, type TokenStore } from "../../src/credentials/token-store.js";
import { runtimeTokenStores } from "../../src/credentials/token-stores.js";
import { WORDS } from "../helpers/words.js";

const mode = process.argv[2];
const sandbox = process.env.MEMORY_BRIDGE_TEST_SANDBOX_DIR;
if (!sandbox || process.env.MEMORY_BRIDGE_TEST_KEYCHAIN_SANDBOX !== mode) {
  console.error("scenarios.ts runs only inside test/keychain/with-secret-service.sh (matching --mode); refusing to touch a real keychain");
  process.exit(4);
}
if (mode === "unlocked" && process.env.MEMORY_BRIDGE_TEST_SECRET_SERVICE !== "1") {
  console.error("scenarios.ts unlocked: MEMORY_BRIDGE_TEST_SECRET_SERVICE=1 is not set; the sandbox has no Secret Service");
  process.exit(4);
}

const env = process.env;
const platform = process.platform;
const configDir = env.MEMORY_BRIDGE_CONFIG_DIR!;
const randomToken = () => `tok-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
/** keytar's and @napi-rs/keyring's attribute for the account, as found in this sandbox. */
const ACCOUNT_ATTRIBUTE: Record<KeychainBackend, string> = { keytar: "account", keyring: "username" };

const require = createRequire(import.meta.url);
const rawKeytar = (): KeytarApi => require("keytar") as KeytarApi;
const rawKeyring = (): KeyringApi => require("@napi-rs/keyring") as KeyringApi;

function secretTool(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync("secret-tool", args, { encoding: "utf8", timeout: 10_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The attributes secret-tool shows for the one item matching `attributes` (it prints them on stderr). */
function outsideItem(attributes: string[]): { count: number; attributes: Record<string, string>; secret?: string } {
  const run = secretTool(["search", "--all", ...attributes]);
  const found: Record<string, string> = {};
  for (const line of run.stderr.split("\n")) {
    const match = /^attribute\.(\S+) = (.*)$/.exec(line);
    if (match) found[match[1]!] = match[2]!;
  }
  const secret = /^secret = (.*)$/m.exec(run.stdout)?.[1];
  return { count: (run.stdout.match(/^\[/gm) ?? []).length, attributes: found, ...(secret !== undefined && { secret }) };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      out.push(relative(dir, full) + (entry.isDirectory() ? "/" : ""));
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

/** Kernel keys whose description names our service (keyring-rs's keyutils fallback would add one). */
function ourKernelKeys(): string[] | null {
  try {
    return readFileSync("/proc/keys", "utf8").split("\n").filter((line) => line.includes(KEYCHAIN_SERVICE));
  } catch {
    return null;
  }
}

async function settle<T>(operation: () => Promise<T>): Promise<{ value?: T; error?: string; kind?: string }> {
  try {
    return { value: await operation() };
  } catch (error) {
    return { error: (error as Error).message, ...(error instanceof KeychainError && { kind: error.problem.kind }) };
  }
}

function lockDefaultCollection(): { status: number | null; output: string } {
  const alias = spawnSync(
    "dbus-send",
    ["--session", "--print-reply=literal", "--dest=org.freedesktop.secrets", "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.ReadAlias", "string:default"],
    { encoding: "utf8", timeout: 10_000 },
  );
  const collection = alias.stdout.trim();
  const lock = spawnSync(
    "dbus-send",
    ["--session", "--print-reply=literal", "--dest=org.freedesktop.secrets", "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock", `array:objpath:${collection}`],
    { encoding: "utf8", timeout: 10_000 },
  );
  return { status: lock.status, output: `${collection} ${lock.stdout.trim()} ${lock.stderr.trim()}` };
}

async function backendRoundTrip(backend: KeychainBackend) {
  const opened = await openKeychain({ platform, env: { ...env, [KEYCHAIN_BACKEND_ENV_VAR]: backend } });
  const store = opened.stores[0];
  const result: Record<string, unknown> = { storeNames: opened.stores.map((s) => s.name), problem: opened.problem?.kind };
  if (!store) return result;
  const account = `https://keychain-${backend}.test.invalid:8443/base`;
  const token = randomToken();
  const replacement = randomToken();
  result.token = token;
  result.replacement = replacement;
  result.missBefore = await settle(() => store.get(account));
  result.set = await settle(() => store.set(account, token));
  result.got = await settle(() => store.get(account));
  result.outsideLookup = secretTool(["lookup", "service", KEYCHAIN_SERVICE, ACCOUNT_ATTRIBUTE[backend], account]).stdout;
  result.outsideItem = outsideItem(["service", KEYCHAIN_SERVICE, ACCOUNT_ATTRIBUTE[backend], account]);
  result.overwrite = await settle(() => store.set(account, replacement));
  result.gotReplacement = await settle(() => store.get(account));
  result.itemsAfterOverwrite = outsideItem(["service", KEYCHAIN_SERVICE, ACCOUNT_ATTRIBUTE[backend], account]).count;
  result.deleted = await settle(() => store.delete(account));
  result.deletedAgain = await settle(() => store.delete(account));
  result.missAfter = await settle(() => store.get(account));
  result.outsideAfterDelete = secretTool(["lookup", "service", KEYCHAIN_SERVICE, ACCOUNT_ATTRIBUTE[backend], account]).status;
  return result;
}

async function unlocked() {
  const result: Record<string, unknown> = {};
  result.probe = await probeSecretService({ env });
  const auto = await openKeychain({ platform, env });
  result.autoStoreNames = auto.stores.map((s) => s.name);
  result.autoProblem = auto.problem?.kind;
  result.keytar = await backendRoundTrip("keytar");
  result.keyring = await backendRoundTrip("keyring");

  // A token only @napi-rs/keyring has: keytar misses it, resolveToken finds it in the second store.
  const crossAccount = "https://cross.test.invalid";
  const crossToken = randomToken();
  const [keytarStore, keyringStore] = auto.stores as [TokenStore, TokenStore];
  await keyringStore.set(crossAccount, crossToken);
  result.cross = {
    token: crossToken,
    keytarSees: await settle(() => keytarStore.get(crossAccount)),
    resolved: await resolveToken({ env: {}, endpoint: crossAccount, stores: auto.stores }),
    runtime: await resolveToken({ env: {}, endpoint: crossAccount, stores: runtimeTokenStores({ platform, env, configDir, openKeychain }) }),
  };
  await keyringStore.delete(crossAccount);

  // An item written from outside with keytar's attributes and libsecret's schema attribute
  // (xdg:schema=org.freedesktop.Secret.Generic, which keytar's lookups include) is what keytar reads.
  const outsideAccount = "https://outside.test.invalid";
  const outsideToken = randomToken();
  spawnSync(
    "secret-tool",
    ["store", "--label=outside", "xdg:schema", "org.freedesktop.Secret.Generic", "service", KEYCHAIN_SERVICE, "account", outsideAccount],
    { input: outsideToken, timeout: 10_000 },
  );
  result.outside = { token: outsideToken, keytarReads: await settle(() => keytarStore.get(outsideAccount)) };
  await keytarStore.delete(outsideAccount);

  // Lock the default collection with tokens in it.
  const lockedAccount = "https://locked.test.invalid";
  const lockedToken = randomToken();
  await keytarStore.set(lockedAccount, lockedToken);
  await keyringStore.set(lockedAccount, lockedToken);
  const lock = lockDefaultCollection();
  const directKeytar = createKeytarStore(rawKeytar(), { platform });
  const directKeyring = createKeyringStore(rawKeyring(), { platform });
  result.locked = {
    lock,
    probe: await probeSecretService({ env }),
    open: withWords(await openKeychain({ platform, env })),
    runtime: await resolveToken({ env: {}, endpoint: lockedAccount, stores: runtimeTokenStores({ platform, env, configDir, openKeychain }) }),
    // What the modules do without the probe in front of them:
    keytarGet: await settle(() => directKeytar.get(lockedAccount)),
    keytarSet: await settle(() => directKeytar.set("https://new.test.invalid", randomToken())),
    keyringGet: await settle(() => directKeyring.get(lockedAccount)),
    keyringSet: await settle(() => directKeyring.set("https://new.test.invalid", randomToken())),
  };
  return result;
}

/** An opened keychain with the words a person would read for its problem (written at the edge). */
function withWords(opened: Keychain): Keychain & { words?: string } {
  return opened.problem ? { ...opened, words: keychainWords(opened.problem, WORDS) } : opened;
}

/** Modes without a usable Secret Service: every way in reports the problem and writes nothing. */
async function unusable() {
  const filesBefore = listFiles(sandbox!);
  const keysBefore = ourKernelKeys();
  const account = "https://nothing-written.test.invalid";
  const result: Record<string, unknown> = {};
  result.probe = await probeSecretService({ env });
  const started = Date.now();
  result.open = withWords(await openKeychain({ platform, env }));
  result.openMs = Date.now() - started;
  result.forced = {
    keytar: withWords(await openKeychain({ platform, env: { ...env, [KEYCHAIN_BACKEND_ENV_VAR]: "keytar" } })),
    keyring: withWords(await openKeychain({ platform, env: { ...env, [KEYCHAIN_BACKEND_ENV_VAR]: "keyring" } })),
  };
  if (mode === "no-bus") {
    const nowhere = { ...env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${sandbox}/nowhere` };
    result.nowhere = { probe: await probeSecretService({ env: nowhere }), open: await openKeychain({ platform, env: nowhere }) };
  }
  const stores = runtimeTokenStores({ platform, env, configDir, openKeychain });
  result.runtime = {
    storeNames: stores.map((s) => s.name),
    resolution: await resolveToken({ env: {}, endpoint: account, stores }),
    // A login that ignored the problem would call set(): it must fail, not write somewhere else.
    set: await Promise.all(stores.map((store) => settle(() => store.set(account, randomToken())))),
  };
  result.filesBefore = filesBefore;
  result.filesAfter = listFiles(sandbox!);
  result.kernelKeysBefore = keysBefore;
  result.kernelKeysAfter = ourKernelKeys();
  return result;
}

const result = mode === "unlocked" ? await unlocked() : await unusable();
process.stdout.write(`KEYCHAIN_RESULT ${JSON.stringify(result)}\n`);
