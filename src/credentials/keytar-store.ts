import { classifyKeychainError, KeychainError } from "./keychain-problem.js";
import { defaultImporter, loadOptionalModule, type ModuleImporter, type OptionalModule } from "./optional-module.js";
import { KEYCHAIN_SERVICE, type TokenStore } from "./token-store.js";

/**
 * The keychain through keytar (libsecret on Linux, Keychain Services on macOS, Credential Manager
 * on Windows). On Linux its items carry the attributes `service` and `account` (schema
 * org.freedesktop.Secret.Generic, label "service/account").
 *
 * Caution on Linux: keytar reads a LOCKED keyring as "nothing stored" (getPassword resolves null,
 * deletePassword false) instead of failing, which is one reason the Secret Service is probed first.
 */

/** The part of keytar's API used here (declared locally: the module is optional, so are its types). */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export const KEYTAR_MODULE = "keytar";

export function loadKeytar(importer: ModuleImporter = defaultImporter): Promise<OptionalModule<KeytarApi>> {
  return loadOptionalModule(KEYTAR_MODULE, importer, (exports) =>
    typeof exports.getPassword === "function" && typeof exports.setPassword === "function" && typeof exports.deletePassword === "function"
      ? (exports as unknown as KeytarApi)
      : undefined,
  );
}

export interface KeytarStoreOptions {
  platform: NodeJS.Platform;
}

export function createKeytarStore(keytar: KeytarApi, options: KeytarStoreOptions): TokenStore {
  const wrap = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation();
    } catch (error) {
      throw new KeychainError(classifyKeychainError(error, options.platform));
    }
  };
  return {
    name: "keytar",
    get: (account) => wrap(async () => (await keytar.getPassword(KEYCHAIN_SERVICE, account)) ?? undefined),
    set: (account, token) => wrap(() => keytar.setPassword(KEYCHAIN_SERVICE, account, token)),
    delete: (account) => wrap(() => keytar.deletePassword(KEYCHAIN_SERVICE, account)),
  };
}
