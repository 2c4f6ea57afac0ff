import type { KeychainOpener, OpenKeychainOptions } from "../../src/credentials/keychain.js";
import { keychainProblem, type KeychainProblemKind } from "../../src/credentials/keychain-problem.js";
import type { TokenStore } from "../../src/credentials/token-store.js";

export interface FakeKeychain {
  /** What a command's context carries as its keychain opener. */
  open: KeychainOpener;
  /** endpoint → token, as stored. */
  tokens: Map<string, string>;
  /** Every open, with the platform and environment it was given. */
  opened: OpenKeychainOptions[];
}

/**
 * An OS keychain in memory: one store (named like a keychain module) over `tokens`, or, with
 * `problem`, none and that problem for the platform it is opened on.
 */
export function fakeKeychain(options: { tokens?: Record<string, string>; problem?: KeychainProblemKind; store?: "keytar" | "keyring" } = {}): FakeKeychain {
  const tokens = new Map(Object.entries(options.tokens ?? {}));
  const opened: OpenKeychainOptions[] = [];
  const store: TokenStore = {
    name: options.store ?? "keytar",
    get: async (account) => tokens.get(account),
    set: async (account, token) => void tokens.set(account, token),
    delete: async (account) => tokens.delete(account),
  };
  const open: KeychainOpener = async (openOptions) => {
    opened.push(openOptions);
    if (options.problem) return { stores: [], problem: keychainProblem(options.problem, "injected by the test", openOptions.platform) };
    return { stores: [store] };
  };
  return { open, tokens, opened };
}
