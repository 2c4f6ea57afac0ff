import { envValue, type Env } from "../core/env.js";
import { keychainProblem, type KeychainProblem } from "./keychain-problem.js";
import type { TokenStore } from "./token-store.js";

/**
 * Which keychain modules to try, and in which order. Kept apart from keychain.ts so code that only
 * needs the choice (runtimeTokenStores) does not load the probe and store modules before first use.
 */

export type KeychainBackend = Exclude<TokenStore["name"], "file">;
export type KeychainBackendChoice = KeychainBackend | "auto";

/**
 * For tests and troubleshooting only: forces one keychain module (`keytar` or `keyring`) instead
 * of trying both; `auto` (or unset) is the normal behaviour.
 */
export const KEYCHAIN_BACKEND_ENV_VAR = "MEMORY_BRIDGE_KEYCHAIN_BACKEND";

const KEYCHAIN_BACKEND_ORDER: readonly KeychainBackend[] = ["keytar", "keyring"];

export type BackendChoiceResult = { ok: true; choice: KeychainBackendChoice } | { ok: false; value: string };

/** MEMORY_BRIDGE_KEYCHAIN_BACKEND, case-insensitive; unset or blank is `auto`. */
export function backendChoiceFromEnv(env: Env): BackendChoiceResult {
  const value = envValue(env, KEYCHAIN_BACKEND_ENV_VAR);
  if (value === undefined) return { ok: true, choice: "auto" };
  const lower = value.toLowerCase();
  if (lower === "auto" || lower === "keytar" || lower === "keyring") return { ok: true, choice: lower };
  return { ok: false, value };
}

/** The backends a choice tries, in order. */
export function backendsFor(choice: KeychainBackendChoice): KeychainBackend[] {
  return choice === "auto" ? [...KEYCHAIN_BACKEND_ORDER] : [choice];
}

export function invalidBackendProblem(value: string, platform: NodeJS.Platform): KeychainProblem {
  return keychainProblem("other", `${KEYCHAIN_BACKEND_ENV_VAR} is "${value}"; it must be keytar, keyring or auto`, platform);
}
