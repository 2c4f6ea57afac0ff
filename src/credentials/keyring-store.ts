import { classifyKeychainError, KeychainError } from "./keychain-problem.js";
import { defaultImporter, loadOptionalModule, type ModuleImporter, type OptionalModule } from "./optional-module.js";
import { KEYCHAIN_SERVICE, type TokenStore } from "./token-store.js";

/**
 * The keychain through @napi-rs/keyring (keyring-rs: Secret Service on Linux, Keychain Services on
 * macOS, Credential Manager on Windows), used through `AsyncEntry`, the asynchronous form of
 * `Entry`, so a slow D-Bus round trip never blocks the event loop. On Linux its items carry the
 * attributes `service` and `username` (not keytar's `account`, so neither module sees the other's
 * items; label "keyring:<username>@<service>").
 *
 * On Linux every entry is pinned to the Secret Service: left to choose, keyring-rs silently falls
 * back to the kernel keyutils keyring, which is lost at reboot and is not a keychain.
 */

interface EntryOptions {
  linux?: { store?: "secret-service" | "keyutils" };
}
interface AsyncEntryLike {
  getPassword(): Promise<string | null>;
  setPassword(password: string): Promise<void>;
  deletePassword(): Promise<boolean>;
}
export interface KeyringApi {
  AsyncEntry: new (service: string, username: string, options?: EntryOptions) => AsyncEntryLike;
}

export const KEYRING_MODULE = "@napi-rs/keyring";

export function loadKeyring(importer: ModuleImporter = defaultImporter): Promise<OptionalModule<KeyringApi>> {
  return loadOptionalModule(KEYRING_MODULE, importer, (exports) =>
    typeof exports.AsyncEntry === "function" ? (exports as unknown as KeyringApi) : undefined,
  );
}

export interface KeyringStoreOptions {
  platform: NodeJS.Platform;
}

export function createKeyringStore(keyring: KeyringApi, options: KeyringStoreOptions): TokenStore {
  const entryOptions: EntryOptions | undefined = options.platform === "linux" ? { linux: { store: "secret-service" } } : undefined;
  // The constructor itself throws when a pinned store is unavailable, so it runs inside wrap().
  const wrap = async <T>(operation: (entry: AsyncEntryLike) => Promise<T>, account: string): Promise<T> => {
    try {
      return await operation(new keyring.AsyncEntry(KEYCHAIN_SERVICE, account, entryOptions));
    } catch (error) {
      throw new KeychainError(classifyKeychainError(error, options.platform));
    }
  };
  return {
    name: "keyring",
    get: (account) => wrap(async (entry) => (await entry.getPassword()) ?? undefined, account),
    set: (account, token) => wrap((entry) => entry.setPassword(token), account),
    delete: (account) => wrap((entry) => entry.deletePassword(), account),
  };
}
