import { SetupError } from "../core/errors.js";
import { DEFAULT_ENDPOINT } from "../core/endpoint.js";
import { cachedDetection, forgetDetection, forgetRemembered, recordDetection } from "../discovery/cache.js";
import { readDiscoveryCache, updateDiscoveryCache } from "../discovery/cache-file.js";
import type { RememberingOptions, RememberingReport } from "../discovery/remembering-discovery.js";
import type { Correction, DetectedBackend, Detection } from "../discovery/types.js";
import type { Logger } from "../log.js";

/** Runs discovery with the cache around it: discoverAndRemember, or a test's stand-in. */
export type DiscoveryRunner = (options: RememberingOptions) => Promise<RememberingReport>;

export interface EndpointSourceDeps {
  /** The endpoint the settings name, if any: never replaced by discovery. */
  configured: string | undefined;
  /** The discovery setting; consulted only when nothing is configured. */
  discovery: boolean;
  /** --backend auto: detect which server the endpoint is. */
  detectBackend: boolean;
  cacheFile: string;
  discover: DiscoveryRunner;
  detect: (url: string) => Promise<Detection>;
  /** Wall clock for the cache's timestamps. */
  now: () => number;
  logger: Logger;
}

/** How long a failed search for the endpoint stands before the next call looks again. */
const FAILURE_KEPT_MS = 10_000;

/** Where the endpoint in force came from. */
export type EndpointOrigin = "configured" | "discovered" | "default";

export interface ResolvedEndpoint {
  /** Canonical URL. */
  endpoint: string;
  origin: EndpointOrigin;
  /** The backend detection found, when it ran and found one. */
  backend?: DetectedBackend;
  /** A configured endpoint whose API seems to be elsewhere: reported, never applied. */
  correction?: Correction;
  /** What discovery did, when it ran. */
  discovery?: RememberingReport;
}

/** Discovery ran and found no memory server. The facts; mcp/ and commands/ word them. */
export class NoServerFoundError extends SetupError {
  override name = "NoServerFoundError";
  constructor(readonly report: RememberingReport) {
    const tried = report.attempts.map((attempt) => attempt.url);
    const mdns = report.mdns.ran ? `; mDNS found ${report.mdns.services} advertised service(s)` : "";
    super(`No memory server was found: tried ${tried.join(", ") || "nothing"}${mdns}.`, { code: "no-server-found" });
  }
}

/**
 * The endpoint a session talks to, worked out once in the background and kept: the configured one
 * (with its backend detected and cached per endpoint when --backend is auto), else the one
 * discovery finds (remembered in the cache file, never the profile), else — with discovery off —
 * mcp-memory-service's default address. `rediscover` and `redetect` start over after a failure.
 */
export class EndpointSource {
  private current?: Promise<ResolvedEndpoint>;
  private failedAt?: number;
  private generation = 0;

  constructor(private readonly deps: EndpointSourceDeps) {}

  /** Whether discovery picks the endpoint (nothing configured, discovery on). */
  get discovers(): boolean {
    return this.deps.configured === undefined && this.deps.discovery;
  }

  /** Changes whenever the endpoint is worked out again. */
  get version(): number {
    return this.generation;
  }

  resolve(): Promise<ResolvedEndpoint> {
    if (this.failedAt !== undefined && this.deps.now() - this.failedAt >= FAILURE_KEPT_MS) this.reset();
    if (!this.current) {
      const current = this.resolveNow();
      this.current = current;
      // A failure is kept only briefly: calls in a burst share one answer instead of each paying
      // for another round of probes, and a call after that looks again (the server may have started).
      current.catch(() => {
        if (this.current === current) this.failedAt = this.deps.now();
      });
    }
    return this.current;
  }

  /** Starts resolving without waiting: serve calls it at start, off the critical path. */
  start(): void {
    this.resolve().catch(() => undefined);
  }

  /** `endpoint` (a discovered one) stopped answering: forget it and discover again on the next call. */
  async rediscover(endpoint: string): Promise<void> {
    if (!this.discovers || !(await this.isCurrent(endpoint))) return;
    this.deps.logger.info("the discovered memory server stopped answering; looking again", { endpoint });
    await updateDiscoveryCache(this.deps.cacheFile, (cache) => forgetRemembered(cache, endpoint));
    this.reset();
  }

  /** A known route answered 404: the server may have changed, so detect it again on the next call. */
  async redetect(endpoint: string): Promise<void> {
    if (!(await this.isCurrent(endpoint))) return;
    this.deps.logger.info("a known route answered 404; detecting the server again", { endpoint });
    await updateDiscoveryCache(this.deps.cacheFile, (cache) => forgetDetection(cache, endpoint));
    this.reset();
  }

  private async isCurrent(endpoint: string): Promise<boolean> {
    const resolved = await this.current?.catch(() => undefined);
    return resolved?.endpoint === endpoint;
  }

  private reset(): void {
    this.current = undefined;
    this.failedAt = undefined;
    this.generation++;
  }

  private async resolveNow(): Promise<ResolvedEndpoint> {
    const { configured, discovery, detectBackend } = this.deps;
    if (configured !== undefined) return detectBackend ? this.detectConfigured(configured) : { endpoint: configured, origin: "configured" };
    if (!discovery) return { endpoint: DEFAULT_ENDPOINT, origin: "default" };
    const report = await this.deps.discover({ cacheFile: this.deps.cacheFile, mdns: "fallback", detect: this.deps.detect, now: this.deps.now });
    const chosen = report.chosen;
    if (chosen === undefined) {
      this.deps.logger.info("no memory server found", { tried: report.attempts.map((a) => a.url), mdnsServices: report.mdns.services });
      throw new NoServerFoundError(report);
    }
    this.deps.logger.info("found a memory server", { endpoint: chosen.detection.endpoint, source: chosen.source, backend: chosen.detection.backend });
    return { endpoint: chosen.detection.endpoint, origin: "discovered", backend: chosen.detection.backend, discovery: report };
  }

  /** The backend behind a configured endpoint: from the cache while fresh, else probed and cached. */
  private async detectConfigured(endpoint: string): Promise<ResolvedEndpoint> {
    const { cache } = await readDiscoveryCache(this.deps.cacheFile);
    const cached = cachedDetection(cache, endpoint, this.deps.now());
    if (cached !== undefined) {
      const correction = cached.endpoint === endpoint ? undefined : { from: endpoint, to: cached.endpoint };
      return { endpoint, origin: "configured", backend: cached.backend, ...(correction && { correction }) };
    }
    const detection = await this.deps.detect(endpoint);
    if (detection.status !== "found") {
      this.deps.logger.debug("could not detect the backend; assuming mcp-memory-service", { endpoint, status: detection.status });
      return { endpoint, origin: "configured" };
    }
    await updateDiscoveryCache(this.deps.cacheFile, (c) => recordDetection(c, detection, this.deps.now()));
    if (detection.correction) this.deps.logger.warn("the configured endpoint looks wrong", { endpoint, likely: detection.correction.to });
    return { endpoint, origin: "configured", backend: detection.backend, ...(detection.correction && { correction: detection.correction }) };
  }
}
