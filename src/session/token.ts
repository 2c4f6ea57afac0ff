import { loopbackSpellings } from "../core/endpoint.js";
import type { Env } from "../core/env.js";
import { SHORT_SECRET_LENGTH, type SecretRedactor } from "../core/secrets.js";
import type { AuthScheme } from "../core/unions.js";
import { resolveToken, type StoreFailure } from "../credentials/resolve-token.js";
import type { TokenSource, TokenStore } from "../credentials/token-store.js";
import type { Logger } from "../log.js";

export interface AuthInfo {
  token: string | undefined;
  source: TokenSource;
  /** The variable or store that supplied the token (e.g. MEMORY_BRIDGE_TOKEN, keytar, file). */
  origin?: string;
  /** Stores that could not be read (e.g. why the keychain is unusable). */
  failures: StoreFailure[];
  scheme: AuthScheme;
}

export interface SessionTokenDeps {
  env: Env;
  endpoint: string;
  /** The endpoint is mcp-memory-service's default, not configured: a token under another loopback spelling counts too. */
  endpointIsDefault: boolean;
  scheme: AuthScheme;
  /** Keychain and file stores, tried after the environment (credentials/). */
  stores: readonly TokenStore[];
  /** Every token found is added here, so nothing the process writes can show it. */
  secrets: SecretRedactor;
  logger: Logger;
}

/**
 * The token for the endpoint, looked up once and kept, until a server rejects it: then refresh()
 * looks again, since `login` may have stored a new one while this process runs, or an older copy in
 * one keychain module may hide a newer one in the next store. `version` changes whenever the token
 * in force does, so a call that failed with an old token knows to run again.
 */
export class SessionToken {
  private current?: Promise<AuthInfo>;
  private generation = 0;
  private refreshing?: Promise<boolean>;

  constructor(private readonly deps: SessionTokenDeps) {}

  get(): Promise<AuthInfo> {
    this.current ??= this.lookUp();
    return this.current;
  }

  /** Changes whenever refresh() switches to another token; a call remembers it before running. */
  get version(): number {
    return this.generation;
  }

  /**
   * The server rejected the token a call used (`seenVersion` = version when that call started).
   * True when the next attempt will use a different token. Concurrent callers share one lookup,
   * and a caller whose token was already replaced is told to retry at once. A token from the
   * environment is the user's explicit choice and is not second-guessed.
   */
  refresh(seenVersion: number): Promise<boolean> {
    if (seenVersion !== this.generation) return Promise.resolve(true);
    this.refreshing ??= this.refreshNow().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshNow(): Promise<boolean> {
    const before = await this.get();
    if (before.source === "env") return false;
    const found = await this.lookUp(before.token);
    if (!found.token || found.token === before.token) return false;
    this.deps.logger.info("found a different token for the endpoint; using it from now on", { source: found.source, store: found.origin });
    this.current = Promise.resolve(found);
    this.generation++;
    return true;
  }

  /** env → stores, skipping `exclude` (a token just rejected). */
  private async lookUp(exclude?: string): Promise<AuthInfo> {
    const { env, endpoint, endpointIsDefault, stores, logger, secrets, scheme } = this.deps;
    const resolved = await resolveToken({
      env,
      endpoint,
      // The default is spelled one way; a token stored under localhost or [::1] is for the same server.
      ...(endpointIsDefault && { aliases: loopbackSpellings(endpoint) }),
      stores,
      logger,
      ...(exclude && { exclude }),
    });
    if (resolved.token) {
      secrets.add(resolved.token);
      if (resolved.token.length < SHORT_SECRET_LENGTH) {
        logger.warn(
          `the token is shorter than ${SHORT_SECRET_LENGTH} characters: it is redacted from messages and logs only where it stands alone, not inside longer words; use a longer token`,
          { source: resolved.source },
        );
      }
    }
    return {
      token: resolved.token,
      source: resolved.source,
      ...(resolved.origin && { origin: resolved.origin }),
      failures: resolved.failures,
      scheme,
    };
  }
}
