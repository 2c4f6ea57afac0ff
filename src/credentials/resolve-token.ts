import type { Env } from "../core/env.js";
import type { Logger } from "../log.js";
import { tokenFromEnv } from "./env-token.js";
import { sourceOfStore, type TokenSource, type TokenStore } from "./token-store.js";

export interface ResolveTokenInput {
  env: Env;
  /** Canonical endpoint URL (the account). Without one, only the environment can supply a token. */
  endpoint: string | undefined;
  /** Tried in order after the environment: keychain stores, then the insecure file. */
  stores: readonly TokenStore[];
  logger?: Logger;
  /** A token the server just rejected: skipped, so a newer copy in a later store can be found. */
  exclude?: string;
  /** Other spellings of the same endpoint, tried after it in each store (loopback: see loopbackSpellings). */
  aliases?: readonly string[];
}

export interface StoreFailure {
  store: TokenStore["name"];
  /** The store's error message, e.g. why the Secret Service is unusable. */
  reason: string;
  /**
   * The error itself, for the edge to word from its code and facts. Not enumerable: a failure
   * prints, logs and compares as the plain record of what failed.
   */
  readonly error?: unknown;
}

function storeFailure(store: TokenStore["name"], error: unknown): StoreFailure {
  const failure = { store, reason: error instanceof Error ? error.message : String(error) };
  return Object.defineProperty(failure, "error", { value: error, enumerable: false });
}

export interface TokenResolution {
  token?: string;
  source: TokenSource;
  /** The variable or store that supplied the token. */
  origin?: string;
  /** Stores that threw, in order; doctor can say why the keychain is unusable. */
  failures: StoreFailure[];
}

/**
 * The token for `endpoint`: environment, then each store in order, then none (servers with auth
 * off work without one). A store that throws is skipped: a broken keychain must not stop a bridge
 * whose token is in a later store or not needed at all. A found token is registered with the
 * logger's redaction.
 */
export async function resolveToken(input: ResolveTokenInput): Promise<TokenResolution> {
  const { env, endpoint, stores, logger, exclude } = input;
  const fromEnv = tokenFromEnv(env);
  if (fromEnv) {
    logger?.addSecret(fromEnv.token);
    logger?.debug("token from the environment", { variable: fromEnv.variable });
    return { token: fromEnv.token, source: "env", origin: fromEnv.variable, failures: [] };
  }
  if (endpoint === undefined) return { source: "none", failures: [] };

  const failures: StoreFailure[] = [];
  for (const store of stores) {
    for (const account of [endpoint, ...(input.aliases ?? [])]) {
      let token: string | undefined;
      try {
        token = (await store.get(account))?.trim();
      } catch (error) {
        const failure = storeFailure(store.name, error);
        failures.push(failure);
        logger?.debug("token store failed; trying the next one", { store: store.name, reason: failure.reason });
        break;
      }
      if (token && token === exclude) continue;
      if (token) {
        logger?.addSecret(token);
        logger?.debug("token from a store", { store: store.name, endpoint: account });
        return { token, source: sourceOfStore(store), origin: store.name, failures };
      }
    }
  }
  if (failures.length > 0) {
    // Info, not warn: on a machine without a keychain this is the normal state, and status,
    // doctor and memory_status already say why.
    logger?.info("no token found: a token store could not be read", {
      endpoint,
      failures: failures.map((failure) => `${failure.store}: ${failure.reason}`),
    });
  }
  return { source: "none", failures };
}
