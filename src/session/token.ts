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
  /** The endpoint the token was looked up for, when it is worked out at run time (discovery). */
  endpoint?: string;
}

/** Where to look a token up for, when the endpoint is only known at run time. */
export interface TokenTarget {
  endpoint: string;
  /** Other spellings of the same endpoint (loopback). */
  aliases: readonly string[];
  /** Whether a token from the environment may be sent there (not to a server found on the network). */
  envAllowed: boolean;
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
  /** Overrides `endpoint`: where the token is for, worked out when it is first needed. */
  target?: () => Promise<TokenTarget>;
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
    if (!this.current) {
      const current = this.lookUp();
      this.current = current;
      // Only a discovered endpoint's lookup can fail (nothing found yet): look again next time.
      current.catch(() => {
        if (this.current === current) this.current = undefined;
      });
    }
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

  /** The endpoint changed (rediscovered): look the token up again, for the new one. */
  reset(): void {
    this.current = undefined;
    this.generation++;
  }

  /** env → stores, skipping `exclude` (a token just rejected). */
  private async lookUp(exclude?: string): Promise<AuthInfo> {
    const { stores, logger, secrets, scheme } = this.deps;
    const target = this.deps.target ? await this.deps.target() : undefined;
    const endpoint = target?.endpoint ?? this.deps.endpoint;
    // The default is spelled one way; a token stored under localhost or [::1] is for the same server.
    const aliases = target?.aliases ?? (this.deps.endpointIsDefault ? loopbackSpellings(endpoint) : undefined);
    const resolved = await resolveToken({
      env: target?.envAllowed === false ? {} : this.deps.env,
      endpoint,
      ...(aliases && { aliases }),
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
      ...(target && { endpoint }),
    };
  }
}

/** The environment variable the token in force came from, or undefined (a stored token, none, or not found yet). */
export async function tokenVariableOf(token: Pick<SessionToken, "get">): Promise<string | undefined> {
  const auth = await token.get().catch(() => undefined);
  return auth?.source === "env" ? auth.origin : undefined;
}
