import { recordDetection, rememberEndpoint, type DiscoveryCache } from "./cache.js";
import { readDiscoveryCache, updateDiscoveryCache, type CacheProblem } from "./cache-file.js";
import { isFound } from "./choose.js";
import { discoverEndpoints, type DiscoverOptions, type DiscoveryReport } from "./discover.js";

/**
 * discoverEndpoints with the cache file around it: the remembered endpoint comes from the cache,
 * and afterwards every server found is recorded and the chosen one (unless it was configured) is
 * remembered, so the next start finds it first. A remembered endpoint that stopped answering is
 * replaced by whatever discovery chose instead; when nothing was found it is kept (the server may
 * just be restarting).
 */

export interface RememberingOptions extends Omit<DiscoverOptions, "remembered"> {
  /** discoveryCachePath(configDir) */
  cacheFile: string;
  /** Wall clock for the cache's timestamps. Default Date.now. */
  now?: () => number;
}

export interface RememberingReport extends DiscoveryReport {
  /** The endpoint the cache remembered before this run. */
  remembered?: string;
  /** Why the cache file was not usable, if it was not (it is then rewritten). */
  cacheProblem?: CacheProblem;
  /** The errno code when saving the cache failed (discovery's answer stands). */
  cacheWriteError?: string;
}

export async function discoverAndRemember(options: RememberingOptions): Promise<RememberingReport> {
  const now = options.now ?? Date.now;
  const read = await readDiscoveryCache(options.cacheFile);
  const remembered = read.cache.remembered?.endpoint;
  const report = await discoverEndpoints({ ...options, ...(remembered === undefined ? {} : { remembered }) });
  const out: RememberingReport = {
    ...report,
    ...(remembered === undefined ? {} : { remembered }),
    ...(read.problem === undefined ? {} : { cacheProblem: read.problem }),
  };

  const found = report.attempts.filter(isFound);
  const chosen = report.chosen;
  const remember = chosen !== undefined && chosen.source !== "configured" ? chosen.detection.endpoint : undefined;
  if (found.length === 0 && remember === undefined) return out;

  const update = await updateDiscoveryCache(options.cacheFile, (cache) => {
    const at = now();
    let next: DiscoveryCache = cache;
    for (const attempt of found) next = recordDetection(next, attempt.detection, at);
    return remember === undefined ? next : rememberEndpoint(next, remember, at);
  });
  return update.ok ? out : { ...out, cacheWriteError: update.code };
}
