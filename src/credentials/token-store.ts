/**
 * Where a token may be kept, one implementation per backend (keytar, @napi-rs/keyring, the
 * insecure JSON file). Accounts are canonical endpoint URLs; the service name is fixed by the store.
 */
export interface TokenStore {
  readonly name: "keytar" | "keyring" | "file";
  /** undefined when nothing is stored for `account`. Throws when the store itself is unusable. */
  get(account: string): Promise<string | undefined>;
  set(account: string, token: string): Promise<void>;
  /** true when a token was removed. */
  delete(account: string): Promise<boolean>;
}

/** Where the token in force came from (status and doctor show this, never the token). */
export type TokenSource = "env" | "keychain" | "file" | "none";

export const KEYCHAIN_SERVICE = "mcp-memory-bridge";

export function sourceOfStore(store: Pick<TokenStore, "name">): Exclude<TokenSource, "env" | "none"> {
  return store.name === "file" ? "file" : "keychain";
}
