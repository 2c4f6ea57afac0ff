import type { Env } from "../core/env.js";
import type { Logger } from "../log.js";
import { backendChoiceFromEnv, backendsFor, invalidBackendProblem, type KeychainBackend, type KeychainBackendChoice } from "./keychain-backend.js";
import { keychainProblem, problemFromProbe, usesSecretService, type KeychainProblem } from "./keychain-problem.js";
import { createKeyringStore, KEYRING_MODULE, loadKeyring } from "./keyring-store.js";
import { createKeytarStore, KEYTAR_MODULE, loadKeytar } from "./keytar-store.js";
import { defaultImporter, type ModuleImporter } from "./optional-module.js";
import { probeSecretService, type SecretServiceProbe } from "./secret-service-probe.js";
import { withSessionBus } from "./session-bus.js";
import type { TokenStore } from "./token-store.js";

/**
 * The OS keychain as an ordered list of token stores: keytar, then @napi-rs/keyring (each loaded
 * lazily, whichever loads). On Linux (and other Secret Service platforms) the Secret Service is
 * probed first; when it is not usable there are no keychain stores, only the problem.
 */

const MODULE_OF: Record<KeychainBackend, string> = { keytar: KEYTAR_MODULE, keyring: KEYRING_MODULE };

export interface OpenKeychainOptions {
  platform: NodeJS.Platform;
  env: Env;
  logger?: Logger;
  /** Overrides MEMORY_BRIDGE_KEYCHAIN_BACKEND. */
  backend?: KeychainBackendChoice;
  /** Test seams. */
  importer?: ModuleImporter;
  probe?: (env: Env) => Promise<SecretServiceProbe>;
}

/** openKeychain, or a stand-in for it (the command context carries one). */
export type KeychainOpener = (options: OpenKeychainOptions) => Promise<Keychain>;

export interface Keychain {
  /** Usable stores in lookup order; empty when `problem` is set. */
  stores: TokenStore[];
  problem?: KeychainProblem;
}

async function loadBackend(backend: KeychainBackend, importer: ModuleImporter, platform: NodeJS.Platform) {
  if (backend === "keytar") {
    const loaded = await loadKeytar(importer);
    return loaded.ok ? { ok: true as const, store: createKeytarStore(loaded.module, { platform }) } : loaded;
  }
  const loaded = await loadKeyring(importer);
  return loaded.ok ? { ok: true as const, store: createKeyringStore(loaded.module, { platform }) } : loaded;
}

export async function openKeychain(options: OpenKeychainOptions): Promise<Keychain> {
  const { platform, env, logger } = options;
  let choice = options.backend;
  if (choice === undefined) {
    const fromEnv = backendChoiceFromEnv(env);
    if (!fromEnv.ok) return { stores: [], problem: invalidBackendProblem(fromEnv.value, platform) };
    choice = fromEnv.choice;
  }

  if (usesSecretService(platform)) {
    const busEnv = withSessionBus(env);
    const probe = await (options.probe ?? ((probeEnv: Env) => probeSecretService({ env: probeEnv })))(busEnv);
    const problem = problemFromProbe(probe, platform);
    if (problem) {
      logger?.debug("keychain unusable: Secret Service check failed", { reason: probe.ok ? undefined : probe.reason, detail: problem.detail });
      return { stores: [], problem };
    }
  }

  const importer = options.importer ?? defaultImporter;
  const stores: TokenStore[] = [];
  const failures: string[] = [];
  for (const backend of backendsFor(choice)) {
    const loaded = await loadBackend(backend, importer, platform);
    if (loaded.ok) {
      stores.push(loaded.store);
    } else {
      failures.push(`${MODULE_OF[backend]}: ${loaded.detail}`);
      logger?.debug("keychain module unavailable", { module: MODULE_OF[backend], detail: loaded.detail });
    }
  }
  if (stores.length === 0) return { stores, problem: keychainProblem("module-missing", failures.join("; "), platform) };
  return { stores };
}
