/**
 * The bridge's side inside the test's network namespace: with no endpoint configured it runs
 * discovery (remembered endpoint, local defaults, then mDNS), then uses what it chose — stores a
 * memory and lists it back. Argument: JSON `{ cacheFile, remembered?, windowMs }`.
 * Prints `DISCOVERY_RESULT {…}` with what it saw, for the test to assert on.
 */
import { rememberEndpoint } from "../../../src/discovery/cache.js";
import { readDiscoveryCache, updateDiscoveryCache } from "../../../src/discovery/cache-file.js";
import { discoverAndRemember } from "../../../src/discovery/remembering-discovery.js";
import { createHttpClient } from "../../../src/http/client.js";
import { detectorFor } from "../../../src/session/detector.js";
import { assertOnlyLoopback } from "../../fixtures/mdns-advertiser.js";

interface Spec {
  cacheFile: string;
  remembered?: string;
  windowMs: number;
}

assertOnlyLoopback();
const spec = JSON.parse(process.argv[2] ?? "{}") as Spec;
if (spec.remembered !== undefined) await updateDiscoveryCache(spec.cacheFile, (c) => rememberEndpoint(c, spec.remembered!, Date.now()));

const report = await discoverAndRemember({
  cacheFile: spec.cacheFile,
  mdns: "fallback",
  browseOptions: { windowMs: spec.windowMs },
  detect: detectorFor({ allowHttp: false }),
});

let used: unknown;
if (report.chosen !== undefined) {
  const http = createHttpClient({ endpoint: report.chosen.detection.endpoint });
  const deadline = () => ({ deadline: Date.now() + 5000 });
  const stored = await http.request({ method: "POST", path: "/memories", body: { content: "found by mDNS inside a namespace", tags: ["netns"] }, retry: "unsent-only" }, deadline());
  const listed = await http.request({ method: "GET", path: "/memories", query: { page_size: 10 }, retry: "idempotent" }, deadline());
  used = { stored: (stored.body as { success?: unknown }).success, listed: (listed.body as { total?: unknown }).total };
  await http.close();
}

const after = await readDiscoveryCache(spec.cacheFile);
const result = {
  chosen: report.chosen && { source: report.chosen.source, endpoint: report.chosen.detection.endpoint, backend: report.chosen.detection.backend, mdns: report.chosen.mdns },
  attempts: report.attempts.map((a) => [a.source, a.url, a.detection.status]),
  mdns: report.mdns,
  remembered: report.remembered,
  rememberedAfter: after.cache.remembered?.endpoint,
  used,
};
process.stdout.write(`DISCOVERY_RESULT ${JSON.stringify(result)}\n`);
