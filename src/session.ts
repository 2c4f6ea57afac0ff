import { homedir, tmpdir } from "node:os";
import { DEFAULT_ENDPOINT } from "./config/endpoint.js";
import type { AuthScheme, SettingSource, Settings } from "./config/types.js";
import type { TokenSource, TokenStore } from "./credentials/token-store.js";
import { SecretRedactor, SHORT_SECRET_LENGTH } from "./credentials/redact.js";
import { resolveToken, type StoreFailure } from "./credentials/resolve-token.js";
import type { HttpClient } from "./http/types.js";
import { loopbackSpellings } from "./http/url.js";
import type { Logger } from "./log.js";
import { resolveProject } from "./project/resolve.js";
import type { ProjectResolution } from "./project/types.js";
import { authHeader, createBackend, DEFAULT_AUTH_SCHEME, resolveFlavour } from "./backends/registry.js";
import type { BackendFlavour, MemoryBackend } from "./backends/types.js";

/** After this many failed roots/list requests in a row, the working directory is final. */
const MAX_ROOTS_FAILURES = 3;

export interface SessionDeps {
  settings: Readonly<Settings>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  logger: Logger;
  /** Keychain and file stores, tried after the environment (credentials/). */
  stores?: TokenStore[];
  home?: string;
  tmpdir?: string;
  /**
   * A set-up problem found at start (e.g. an invalid setting). serve keeps running so the client
   * can show it: every scoped tool call fails with it, and memory_status reports it.
   */
  setupProblem?: string;
  /** Problems with the saved profile that did not stop start-up (it is used without the bad parts). */
  profileProblems?: string[];
}

export interface AuthInfo {
  token: string | undefined;
  source: TokenSource;
  /** The variable or store that supplied the token (e.g. MEMORY_BRIDGE_TOKEN, keytar, file). */
  origin?: string;
  /** Stores that could not be read (e.g. why the keychain is unusable). */
  failures: StoreFailure[];
  scheme: AuthScheme | null;
}

/**
 * The state one bridge process resolves lazily and shares between calls: the token, the backend
 * (with its connection pool) and the project. Nothing here runs until a caller asks for it, so
 * `initialize` is answered before any of it.
 */
export class Session {
  private authPromise?: Promise<AuthInfo>;
  private backendPromise?: Promise<MemoryBackend>;
  private http?: HttpClient;
  private projectPromise?: Promise<ProjectResolution>;
  private rootsProvider?: () => Promise<string[] | undefined>;
  private readonly secrets = new SecretRedactor();
  private rootsFailures = 0;
  private authGeneration = 0;
  private refreshing?: Promise<boolean>;

  constructor(private readonly deps: SessionDeps) {}

  get setupProblem(): string | undefined {
    return this.deps.setupProblem;
  }

  /**
   * What is wrong with the bridge's own files — the saved profile, the insecure token file — which
   * it goes on without: for memory_status, and for the errors such a file can cause.
   */
  async fileProblems(): Promise<string[]> {
    const auth = await this.auth();
    return [...(this.deps.profileProblems ?? []), ...auth.failures.filter((failure) => failure.store === "file").map((failure) => failure.reason)];
  }

  get settings(): Readonly<Settings> {
    return this.deps.settings;
  }

  /** The configured endpoint, or mcp-memory-service's default address when none is configured. */
  get endpoint(): string {
    return this.deps.settings.endpoint ?? DEFAULT_ENDPOINT;
  }

  /** Where the endpoint comes from: "default" when nothing configures one. */
  get endpointSource(): SettingSource {
    return this.deps.settings.endpoint === undefined ? "default" : this.deps.settings.endpointSource;
  }

  get flavour(): BackendFlavour {
    return resolveFlavour(this.deps.settings.backend);
  }

  /** Where the project's start directory comes from when the client reports roots. */
  useRoots(provider: () => Promise<string[] | undefined>): void {
    this.rootsProvider = provider;
    this.projectPromise = undefined;
  }

  /** The client's roots changed: resolve the project again on the next call. */
  invalidateProject(): void {
    this.projectPromise = undefined;
  }

  project(): Promise<ProjectResolution> {
    if (!this.projectPromise) {
      const resolving = this.resolveProjectNow();
      const current = resolving.then(({ resolution }) => resolution);
      this.projectPromise = current;
      const forget = () => {
        if (this.projectPromise === current) this.projectPromise = undefined;
      };
      // A failed roots/list is not the final answer: the next call asks the client again.
      resolving.then(({ retryRoots }) => retryRoots && forget(), forget);
    }
    return this.projectPromise;
  }

  private async resolveProjectNow(): Promise<{ resolution: ProjectResolution; retryRoots: boolean }> {
    const { settings, cwd } = this.deps;
    let roots: string[] | undefined;
    let rootsProblem: string | undefined;
    if (settings.projectMode === "auto" && this.rootsProvider) {
      try {
        roots = await this.rootsProvider();
        this.rootsFailures = 0;
      } catch (error) {
        this.rootsFailures++;
        rootsProblem = error instanceof Error ? error.message : String(error);
        this.deps.logger.warn("the client did not report its roots; using the working directory", { error: rootsProblem });
      }
    }
    const resolution = await resolveProject({
      mode: settings.projectMode,
      manualId: settings.projectId,
      keyMode: settings.projectKey,
      roots,
      cwd,
      home: this.deps.home ?? homedir(),
      tmpdir: this.deps.tmpdir ?? tmpdir(),
    });
    const retryRoots = rootsProblem !== undefined && this.rootsFailures < MAX_ROOTS_FAILURES;
    if (rootsProblem) resolution.reason += `; the client's roots were unavailable (${rootsProblem})`;
    if (retryRoots) resolution.provisional = true;
    return { resolution, retryRoots };
  }

  auth(): Promise<AuthInfo> {
    this.authPromise ??= this.resolveAuth();
    return this.authPromise;
  }

  private resolveAuth(): Promise<AuthInfo> {
    return this.lookUpToken(this.deps.settings.authScheme ?? DEFAULT_AUTH_SCHEME[this.flavour]);
  }

  /** env → stores, skipping `exclude` (a token just rejected); a found token is registered for redaction. */
  private async lookUpToken(scheme: AuthScheme | null, exclude?: string): Promise<AuthInfo> {
    const { settings, env, logger } = this.deps;
    const resolved = await resolveToken({
      env,
      endpoint: this.endpoint,
      // The default is spelled one way; a token stored under localhost or [::1] is for the same server.
      ...(settings.endpoint === undefined && { aliases: loopbackSpellings(this.endpoint) }),
      stores: this.deps.stores ?? [],
      logger,
      ...(exclude && { exclude }),
    });
    if (resolved.token) {
      logger.addSecret(resolved.token);
      this.secrets.add(resolved.token);
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


  /** Changes whenever refreshAuth() switches to another token; a call remembers it before running. */
  get authVersion(): number {
    return this.authGeneration;
  }

  /**
   * The server rejected the token a call used (`seenVersion` = authVersion when that call started):
   * look it up again, since `login` may have stored a new one while this process runs, or an older
   * copy in one keychain module may hide a newer one in the next store. True when the next attempt
   * will use a different token. Concurrent callers share one lookup, and a caller whose token was
   * already replaced is told to retry at once. A token from the environment is the user's explicit
   * choice and is not second-guessed.
   */
  refreshAuth(seenVersion: number): Promise<boolean> {
    if (seenVersion !== this.authGeneration) return Promise.resolve(true);
    this.refreshing ??= this.refreshAuthNow().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshAuthNow(): Promise<boolean> {
    const before = await this.auth();
    if (before.source === "env") return false;
    const { settings, logger } = this.deps;
    const found = await this.lookUpToken(before.scheme, before.token);
    if (!found.token || found.token === before.token) return false;
    logger.info("found a different token for the endpoint; using it from now on", { source: found.source, store: found.origin });
    this.authPromise = Promise.resolve(found);
    this.authGeneration++;
    // Calls still running on the old pool finish within their deadline; close it after that.
    const old = this.http;
    this.backendPromise = undefined;
    this.http = undefined;
    if (old) setTimeout(() => void old.close().catch(() => undefined), settings.timeoutMs + 1_000).unref();
    return true;
  }

  backend(): Promise<MemoryBackend> {
    if (!this.backendPromise) {
      const created = this.createBackendNow();
      // A failed creation (e.g. no endpoint) is not cached, so the next call tries again.
      created.catch(() => {
        if (this.backendPromise === created) this.backendPromise = undefined;
      });
      this.backendPromise = created;
    }
    return this.backendPromise;
  }

  private async createBackendNow(): Promise<MemoryBackend> {
    const { settings, logger } = this.deps;
    const { token, scheme } = await this.auth();
    // Loaded on first use: undici is a large module, and `initialize` must not wait for it.
    const { createHttpClient } = await import("./http/client.js");
    this.http = createHttpClient({
      endpoint: this.endpoint,
      ...(token && scheme && { auth: authHeader(scheme, token) }),
      allowHttp: settings.allowHttp,
      ...(settings.caFile && { caFile: settings.caFile }),
      maxResponseBytes: settings.maxResponseBytes,
      maxConnections: settings.maxConnections,
      logger,
    });
    return createBackend(this.flavour, this.http);
  }

  /**
   * Text bound for the client (tool results) with the token removed: a last line of defence should a
   * server ever echo the credential back in an error body.
   */
  redact(text: string): string {
    return this.secrets.redact(text);
  }

  async close(): Promise<void> {
    await this.http?.close();
  }
}
