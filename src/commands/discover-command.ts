import { ConfigError } from "../config/errors.js";
import { runtimeTokenStores } from "../credentials/token-stores.js";
import type { TokenStore } from "../credentials/token-store.js";
import { discoveryCachePath } from "../discovery/cache-file.js";
import type { Attempt } from "../discovery/choose.js";
import { discoverAndRemember } from "../discovery/remembering-discovery.js";
import { tokenAccountsFor } from "../discovery/token-binding.js";
import type { FoundDetection } from "../discovery/types.js";
import { detectorFor } from "../session/detector.js";
import { invocationOf } from "./shared/invocation-of.js";
import type { CommandSpec } from "./registry.js";
import { stderrLogger } from "./shared/open-session.js";
import { settingsFor } from "./shared/settings.js";

const DEFAULT_WAIT_MS = 1_500;
const MAX_WAIT_MS = 30_000;

export interface DiscoveredServer {
  url: string;
  backend: FoundDetection["backend"];
  version: string | null;
  /** As probed (an unauthenticated call's answer), not as advertised; null when the probe said neither. */
  auth_required: boolean | null;
  latency_ms: number;
  /** Whether a token is stored for exactly this endpoint (loopback spellings count as one); null when no store could be read. */
  token_stored: boolean | null;
  found_by: Attempt["source"];
  /** The advertised mDNS instance name. */
  name?: string;
}

export const discoverCommand: CommandSpec = {
  name: "discover",
  usage: ["discover [--json] [--wait MS] [options]"],
  about: [
    "Looks for memory servers: the remembered one, mcp-memory-service's default http://127.0.0.1:8000/api,",
    "mem0's http://127.0.0.1:8888, and servers that advertise _mcp-memory._tcp on the local network (mDNS,",
    "multicast: macOS and Windows may ask whether to allow it). Each is probed without a token. Lists",
    "each server's URL, backend, version, whether it requires a token (as probed), latency, and whether",
    "a token is stored for it.",
    "",
    "Exit status: 0 when a server was found, 1 when none was.",
  ],
  options: {
    json: { type: "boolean", description: "Print the result as JSON" },
    wait: { type: "string", valueName: "MS", description: `How long to listen for mDNS answers, in milliseconds (default ${DEFAULT_WAIT_MS}, at most ${MAX_WAIT_MS})` },
  },
  settings: ["allowHttp", "caFile", "logLevel"],
  examples: (name) => [`${name} discover`, `${name} discover --json --wait 3000`],
  async run(ctx, values) {
    const { settings } = settingsFor(ctx, values);
    const windowMs = waitOf(values.wait);
    const logger = stderrLogger(ctx, settings);
    const run = ctx.discover ?? discoverAndRemember;
    const report = await run({
      cacheFile: discoveryCachePath(settings.configDir),
      mdns: "always",
      browseOptions: { windowMs },
      detect: detectorFor(settings),
      now: ctx.host.now,
    });
    const stores = runtimeTokenStores({ platform: ctx.host.platform, env: ctx.env, configDir: settings.configDir, logger, openKeychain: ctx.keychain, loginCommand: `${invocationOf(ctx).name} login` });
    const servers: DiscoveredServer[] = [];
    const seen = new Set<string>();
    for (const attempt of report.attempts) {
      if (attempt.detection.status !== "found" || seen.has(attempt.detection.endpoint)) continue;
      seen.add(attempt.detection.endpoint);
      servers.push(await serverOf(attempt as Attempt & { detection: FoundDetection }, stores));
    }
    const tried = report.attempts.map((a) => ({ url: a.url, source: a.source, result: a.detection.status }));
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify({ servers, tried, mdns: report.mdns }, null, 2)}\n`);
    } else {
      ctx.stdout.write(`${renderServers(servers, tried, report.mdns, invocationOf(ctx).name)}\n`);
    }
    return servers.length > 0 ? 0 : 1;
  },
};

function waitOf(value: unknown): number {
  if (value === undefined) return DEFAULT_WAIT_MS;
  const ms = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || ms < 1 || ms > MAX_WAIT_MS) {
    throw new ConfigError(`--wait "${String(value)}" is not valid: use a whole number of milliseconds from 1 to ${MAX_WAIT_MS}.`, "wait", "flag");
  }
  return ms;
}

async function serverOf(attempt: Attempt & { detection: FoundDetection }, stores: readonly TokenStore[]): Promise<DiscoveredServer> {
  const d = attempt.detection;
  return {
    url: d.endpoint,
    backend: d.backend,
    version: d.version ?? null,
    auth_required: d.authRequired ?? null,
    latency_ms: Math.round(d.latencyMs),
    token_stored: await tokenStored(d.endpoint, stores),
    found_by: attempt.source,
    ...(attempt.mdns && { name: attempt.mdns.name }),
  };
}

async function tokenStored(endpoint: string, stores: readonly TokenStore[]): Promise<boolean | null> {
  let readable = false;
  for (const store of stores) {
    try {
      for (const account of tokenAccountsFor(endpoint)) if (await store.get(account)) return true;
      readable = true;
    } catch {
      // An unusable keychain: another store may still say.
    }
  }
  return readable ? false : null;
}

type Tried = { url: string; source: string; result: string };

function renderServers(servers: DiscoveredServer[], tried: Tried[], mdns: { ran: boolean; services: number; error?: string }, command: string): string {
  const mdnsLine = `mDNS: ${mdns.services} service(s) advertised${mdns.error ? ` (${mdns.error})` : ""}`;
  if (servers.length === 0) {
    return [
      "No memory server found.",
      ...tried.map((t) => `  tried ${t.url} (${t.source}): ${t.result}`),
      `  ${mdnsLine}`,
      `To use a server, run: ${command} login <URL> (or ${command} setup), or set MEMORY_BRIDGE_ENDPOINT.`,
    ].join("\n");
  }
  const lines = servers.map((s) => {
    const auth = s.auth_required === null ? "auth unknown" : s.auth_required ? "token required" : "no token needed";
    const token = s.token_stored === null ? "token store unreadable" : s.token_stored ? "token stored" : "no token stored";
    const name = s.name === undefined ? "" : ` "${s.name}"`;
    return `${s.url}  ${s.backend}${s.version ? ` ${s.version}` : ""}, ${auth}, ${s.latency_ms} ms, ${token} (${s.found_by}${name})`;
  });
  const needLogin = servers.find((s) => s.auth_required === true && s.token_stored === false);
  return [...lines, mdnsLine, ...(needLogin ? [`To use ${needLogin.url}, run: ${command} login ${needLogin.url}`] : [])].join("\n");
}
