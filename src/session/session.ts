import { UnexpectedResponseError } from "../backends/errors.js";
import { openBackend } from "../backends/open-backend.js";
import { authSchemeFor, BACKENDS, flavourFor, resolveFlavour } from "../backends/registry.js";
import type { Settings } from "../config/settings.js";
import { DEFAULT_ENDPOINT, isLoopbackHost, parseEndpoint } from "../core/endpoint.js";
import { discoveryCachePath } from "../discovery/cache-file.js";
import { discoverAndRemember } from "../discovery/remembering-discovery.js";
import { tokenAccountsFor } from "../discovery/token-binding.js";
import { UnreachableError } from "../http/errors.js";
import type { Env } from "../core/env.js";
import type { SecretRedactor } from "../core/secrets.js";
import { PROXY_BACKEND, type BackendFlavour, type SettingSource } from "../core/unions.js";
import type { TokenStore } from "../credentials/token-store.js";
import type { HttpClientFactory } from "../http/types.js";
import type { Logger } from "../log.js";
import { BackendConnection } from "./backend-connection.js";
import { detectorFor } from "./detector.js";
import { EndpointSource, type DiscoveryRunner, type ResolvedEndpoint } from "./endpoint-source.js";
import { ProjectSource } from "./project-source.js";
import { SessionToken } from "./token.js";

export interface SessionDeps {
  settings: Readonly<Settings>;
  env: Env;
  cwd: string;
  home: string;
  tmpdir: string;
  platform: NodeJS.Platform;
  logger: Logger;
  /** The process's secrets registry: every token found is added, and redact() uses it. */
  secrets: SecretRedactor;
  /** Keychain and file stores, tried after the environment (credentials/). */
  stores: readonly TokenStore[];
  http: HttpClientFactory;
  /** How messages name this command so that it runs as printed (invocation/command-name.ts). */
  commandName: string;
  /** The clock deadlines are measured on. */
  now?: () => number;
  /**
   * A set-up problem found at start (e.g. an invalid setting). serve keeps running so the client
   * can show it: every scoped tool call fails with it, and memory_status reports it.
   */
  setupProblem?: string;
  /** Problems with the saved profile that did not stop start-up (it is used without the bad parts). */
  profileProblems?: string[];
  /** Finds a memory server when none is configured (default: discoverAndRemember, over the network). */
  discover?: DiscoveryRunner;
}

/**
 * What one bridge process resolves lazily and shares between calls, in three parts: the project
 * (from the client's roots or the working directory), the token (looked up once, refreshed when a
 * server rejects it) and the backend with its connection pool. Nothing runs until a caller asks,
 * so `initialize` is answered before any of it.
 */
export class Session {
  readonly project: ProjectSource;
  readonly token: SessionToken;
  readonly backend: BackendConnection;
  /** Which server: configured, discovered in the background, or the default address. */
  readonly endpoints: EndpointSource;

  constructor(private readonly deps: SessionDeps) {
    const { settings, logger } = deps;
    this.endpoints = new EndpointSource({
      configured: settings.endpoint,
      // With a set-up problem the settings are stand-ins: finding a server with them would mislead.
      discovery: settings.discovery && deps.setupProblem === undefined,
      detectBackend: settings.backend === "auto",
      cacheFile: discoveryCachePath(settings.configDir),
      discover: deps.discover ?? discoverAndRemember,
      detect: detectorFor(settings),
      now: deps.now ?? Date.now,
      logger,
    });
    this.project = new ProjectSource({
      mode: settings.projectMode,
      manualId: settings.projectId,
      keyMode: settings.projectKey,
      cwd: deps.cwd,
      home: deps.home,
      tmpdir: deps.tmpdir,
      platform: deps.platform,
      logger,
    });
    this.token = new SessionToken({
      env: deps.env,
      endpoint: this.endpoint,
      endpointIsDefault: settings.endpoint === undefined,
      scheme: authSchemeFor({ ...settings, endpoint: this.endpoint }),
      stores: deps.stores,
      secrets: deps.secrets,
      logger,
      ...(this.endpoints.discovers && { target: () => this.tokenTarget() }),
    });
    this.backend = new BackendConnection({
      token: this.token,
      timeoutMs: settings.timeoutMs,
      open: async (token) => {
        const resolved = await this.endpoints.resolve();
        // A token looked up for another endpoint (one discovered before) is never sent to this one.
        const auth = await this.token.get();
        const bound = auth.endpoint === undefined || auth.endpoint === resolved.endpoint ? token : undefined;
        return openBackend({
          settings: { ...settings, backend: flavourFor(settings.backend, resolved.backend, resolved.endpoint) },
          endpoint: resolved.endpoint,
          token: bound,
          http: deps.http,
          logger,
          secrets: deps.secrets,
          ...(deps.now && { now: deps.now }),
        });
      },
    });
  }

  /**
   * A discovered endpoint gets a token only if one was stored for exactly it (loopback spellings
   * count as one), and one from the environment only when it is on this machine.
   */
  private async tokenTarget() {
    const { endpoint } = await this.endpoints.resolve();
    const [exact, ...aliases] = tokenAccountsFor(endpoint);
    return { endpoint: exact ?? endpoint, aliases, envAllowed: isLoopbackHost(parseEndpoint(endpoint).hostname) };
  }

  /** Starts finding the server (and its backend) in the background: serve calls it at start. */
  warmUp(): void {
    this.endpoints.start();
  }

  /** The endpoint in force, once known (discovery may still be running). */
  resolveEndpoint(): Promise<ResolvedEndpoint> {
    return this.endpoints.resolve();
  }

  /**
   * A call failed: when a discovered server stopped answering, look for it again; when a known
   * route answered 404, the server may have changed: detect it again. The next call uses the result.
   */
  async noteFailure(error: unknown): Promise<void> {
    const before = this.endpoints.version;
    if (error instanceof UnreachableError && error.connecting) await this.endpoints.rediscover(error.endpoint);
    else if (error instanceof UnexpectedResponseError && error.status === 404) await this.endpoints.redetect(error.endpoint);
    if (this.endpoints.version !== before) this.token.reset();
  }

  get settings(): Readonly<Settings> {
    return this.deps.settings;
  }

  get setupProblem(): string | undefined {
    return this.deps.setupProblem;
  }

  /**
   * What is wrong with the bridge's own files — the saved profile (its sentences), the insecure
   * token file (its error) — which it goes on without: for memory_status, and for the errors such
   * a file can cause.
   */
  async fileProblems(): Promise<(string | unknown)[]> {
    const { failures } = await this.token.get();
    return [...(this.deps.profileProblems ?? []), ...failures.filter((failure) => failure.store === "file").map((failure) => failure.error)];
  }

  /** The configured endpoint, or mcp-memory-service's default address when none is configured (see resolveEndpoint for a discovered one). */
  /** How messages name this command (npx, global or a checkout's node path). */
  get commandName(): string {
    return this.deps.commandName;
  }

  get endpoint(): string {
    const { endpoint, backend } = this.deps.settings;
    return endpoint ?? (backend === "auto" || backend === PROXY_BACKEND ? undefined : BACKENDS[backend].defaultEndpoint) ?? DEFAULT_ENDPOINT;
  }

  /** Where the endpoint comes from: "default" when nothing configures one. */
  get endpointSource(): SettingSource {
    return this.deps.settings.endpoint === undefined ? "default" : this.deps.settings.endpointSource;
  }

  /** The REST flavour, or "mcp" for a remote MCP server (proxied, with no REST backend). */
  get flavour(): BackendFlavour | typeof PROXY_BACKEND {
    const { backend } = this.deps.settings;
    return backend === PROXY_BACKEND ? backend : resolveFlavour(backend, this.endpoint);
  }

  /**
   * Text bound for the client (tool results) with every known secret removed: a last line of
   * defence should a server ever echo the credential back in an error body.
   */
  redact(text: string): string {
    return this.deps.secrets.redact(text);
  }

  async close(): Promise<void> {
    await this.backend.close();
  }
}
