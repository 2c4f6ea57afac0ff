import { canonicalEndpoint } from "../core/endpoint.js";
import { chooseAttempt, isFound, LOCAL_CANDIDATES, type Attempt, type CandidateSource, type ChosenAttempt, type MdnsOrigin } from "./choose.js";
import { browseMdns, type BrowseOptions, type BrowseResult } from "./mdns-browse.js";
import { mdnsCandidate } from "./mdns-candidates.js";
import type { Detection } from "./types.js";

/**
 * Finds the memory server to use, in stages that follow choose.ts's fixed order. Each stage runs
 * only when the ones before it found nothing (unless `exhaustive`, for `discover` and `setup`,
 * which list everything). Every candidate, advertised or not, must pass detection's probes.
 */

export type MdnsMode =
  /** Browse only when nothing configured, remembered or local is a memory server (serve). */
  | "fallback"
  /** Browse every time, alongside the other probes (discover, setup). */
  | "always"
  /** Never (--no-discovery, or a configured endpoint). */
  | "off";

export interface DiscoverOptions {
  configured?: string;
  remembered?: string;
  /** Default LOCAL_CANDIDATES; tests point them at their own servers. */
  localCandidates?: readonly string[];
  /** Default "fallback". */
  mdns?: MdnsMode;
  /** Probe every stage even after one found a server. Default: true when mdns is "always". */
  exhaustive?: boolean;
  /** detectBackend with the caller's settings (its probe fetch among them), or a test's stand-in. */
  detect: (url: string) => Promise<Detection>;
  /** Default: browseMdns with `browseOptions`. */
  browse?: () => Promise<BrowseResult>;
  browseOptions?: BrowseOptions;
}

export interface DiscoveryReport {
  /** The endpoint to use; absent when nothing was found (or the configured endpoint is not a memory server). */
  chosen?: ChosenAttempt;
  /** Every URL probed, once each, in the fixed order. */
  attempts: Attempt[];
  mdns: { ran: boolean; services: number; error?: string };
}

export async function discoverEndpoints(options: DiscoverOptions): Promise<DiscoveryReport> {
  const mode = options.mdns ?? "fallback";
  const exhaustive = options.exhaustive ?? mode === "always";
  const detect = options.detect;
  const browse = options.browse ?? (() => browseMdns(options.browseOptions));
  const attempts: Attempt[] = [];
  const seen = new Set<string>();

  /**
   * Probes URLs in parallel; the result keeps their order, whatever order the probes finish in.
   * Each URL is probed once per run: the first stage (in call order) to name it claims it.
   */
  function probeAll(source: CandidateSource, urls: readonly string[], mdns?: MdnsOrigin): Promise<Attempt[]> {
    const fresh = urls.filter((url) => {
      const key = keyOf(url);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return Promise.all(
      fresh.map(async (url): Promise<Attempt> => ({ source, url, detection: await detect(url), ...(mdns === undefined ? {} : { mdns }) })),
    );
  }
  const foundSoFar = () => attempts.some(isFound);

  // Browsing takes its whole window; when it will run whatever the probes find, it runs alongside them.
  const early = mode === "always" && exhaustive ? browse() : undefined;

  if (options.configured !== undefined) {
    attempts.push(...(await probeAll("configured", [options.configured])));
    if (!exhaustive) return report(attempts, { ran: false, services: 0 });
  }
  if (options.remembered !== undefined && (exhaustive || !foundSoFar())) {
    attempts.push(...(await probeAll("remembered", [options.remembered])));
  }
  if (exhaustive || !foundSoFar()) attempts.push(...(await probeAll("local", options.localCandidates ?? LOCAL_CANDIDATES)));

  const browseNow = mode === "always" || (mode === "fallback" && !foundSoFar());
  if (!browseNow) return report(attempts, { ran: false, services: 0 });
  const browsed = await (early ?? browse());
  const candidates = browsed.services.map(mdnsCandidate);
  const advertised = await Promise.all(
    candidates.map((c) => probeAll("mdns", c.advertised, { name: c.service.name, txt: c.service.txt })),
  );
  // 127.0.0.1 at the advertised port, for each service none of whose advertised URLs is a memory server.
  const fallbacks = await Promise.all(
    candidates.map((c, i) =>
      c.loopbackFallback === undefined || advertised[i]!.some(isFound)
        ? []
        : probeAll("mdns", [c.loopbackFallback], { name: c.service.name, txt: c.service.txt, fallbackFor: c.advertised }),
    ),
  );
  candidates.forEach((_, i) => attempts.push(...advertised[i]!, ...fallbacks[i]!));
  return report(attempts, { ran: true, services: browsed.services.length, ...(browsed.error === undefined ? {} : { error: browsed.error }) });
}

function report(attempts: Attempt[], mdns: DiscoveryReport["mdns"]): DiscoveryReport {
  const chosen = chooseAttempt(attempts);
  return { ...(chosen === undefined ? {} : { chosen }), attempts, mdns };
}

function keyOf(url: string): string {
  try {
    return canonicalEndpoint(url);
  } catch {
    return url;
  }
}
