import type { Env } from "../core/env.js";
import type { Logger } from "../log.js";
import { createFileStore } from "./file-store.js";
import { KeychainError } from "./keychain-problem.js";
import { backendChoiceFromEnv, backendsFor, invalidBackendProblem, type KeychainBackend } from "./keychain-backend.js";
import type { Keychain, KeychainOpener } from "./keychain.js";
import type { TokenStore } from "./token-store.js";

/**
 * The stores a running bridge looks a token up in, after the environment: the keychain stores,
 * then the insecure file (contracts/cli.md, "Runtime lookup order").
 *
 * Nothing slow happens here: the keychain stores are placeholders whose first use opens the
 * keychain (Secret Service probe, module loading) once for all of them. When MEMORY_BRIDGE_TOKEN
 * supplies the token, resolveToken never asks a store, so the keychain is never touched.
 */

export interface RuntimeTokenStoresOptions {
  platform: NodeJS.Platform;
  env: Env;
  configDir: string;
  logger?: Logger;
  /** Opens the keychain on first use (credentials/load-keychain.ts, or a test's fake). */
  openKeychain: KeychainOpener;
  /** How to name `login` in the insecure file's warning. */
  loginCommand?: string;
}

/**
 * A placeholder for one keychain backend. When the keychain is unusable, the first placeholder
 * throws the problem from get() and delete() (so resolveToken records it once, and doctor can show
 * why); the others, and a backend whose module alone is missing, read as empty. set() always
 * throws when its backend is unusable: a write must never pretend to succeed.
 */
function lazyKeychainStore(name: KeychainBackend, reportsProblem: boolean, keychain: () => Promise<Keychain>): TokenStore {
  const resolve = async (mustExist: boolean): Promise<TokenStore | undefined> => {
    const opened = await keychain();
    const store = opened.stores.find((candidate) => candidate.name === name);
    if (store) return store;
    if (opened.problem && (reportsProblem || mustExist)) throw new KeychainError(opened.problem);
    if (mustExist) throw new Error(`the ${name} keychain module is not available`);
    return undefined;
  };
  return {
    name,
    async get(account) {
      return (await resolve(false))?.get(account);
    },
    async set(account, token) {
      await (await resolve(true))!.set(account, token);
    },
    async delete(account) {
      return (await resolve(false))?.delete(account) ?? false;
    },
  };
}

/** How long an unusable keychain's verdict stands before the next lookup checks again. */
const REOPEN_AFTER_PROBLEM_MS = 5_000;

export function runtimeTokenStores(options: RuntimeTokenStoresOptions): TokenStore[] {
  const { platform, env, configDir, logger } = options;
  const open = options.openKeychain;
  let opened: Promise<Keychain> | undefined;
  let openedAt = 0;
  const keychain = () => {
    // An unusable keychain is looked at again after a while: it may have been unlocked since.
    if (opened === undefined || (problemSeen && Date.now() - openedAt > REOPEN_AFTER_PROBLEM_MS)) {
      const current = open({ platform, env, logger });
      opened = current;
      openedAt = Date.now();
      problemSeen = false;
      current.then((k) => (problemSeen = k.problem !== undefined), () => (problemSeen = true));
    }
    return opened;
  };
  let problemSeen = false;

  const choice = backendChoiceFromEnv(env);
  const backends = choice.ok ? backendsFor(choice.choice) : ["keytar" as const];
  if (!choice.ok) {
    const problem = invalidBackendProblem(choice.value, platform);
    opened = Promise.resolve({ stores: [], problem }); // a setting, not a state: never re-checked
  }
  const stores: TokenStore[] = backends.map((name, index) => lazyKeychainStore(name, index === 0, keychain));

  // Always listed (a missing file reads as "no token", quietly), so a token saved by
  // `login --insecure-storage` while the bridge runs is found on the next lookup. Read-only here:
  // only an explicit `login --insecure-storage` may write a token in plaintext.
  const file = createFileStore({ configDir, platform, logger, ...(options.loginCommand !== undefined && { loginCommand: options.loginCommand }) });
  stores.push({
    name: file.name,
    get: (account) => file.get(account),
    delete: (account) => file.delete(account),
    async set() {
      throw new Error("the insecure token file is written only by `login --insecure-storage`");
    },
  });
  return stores;
}
