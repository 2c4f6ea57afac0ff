import { ConfigError } from "../config/errors.js";
import { InsecureEndpointError, TlsError } from "../http/errors.js";
import { isLoopbackHost } from "../core/endpoint.js";
import { withDefaultEndpointHint } from "../mcp/status.js";
import { NoServerFoundError, type ResolvedEndpoint } from "../session/endpoint-source.js";
import { explain } from "../mcp/error-words.js";
import { keychainWords } from "../mcp/keychain-words.js";
import type { CommandContext } from "./context.js";
import type { CommandSpec } from "./registry.js";
import { SESSION_SETTINGS } from "./shared/command-settings.js";
import type { Settings } from "../config/settings.js";
import type { Logger } from "../log.js";
import { proxyFailureText } from "../mcp/proxy-messages.js";
import type { Session } from "../session/session.js";
import { describeSource } from "./shared/describe-source.js";
import { usesRemoteMcp } from "./shared/remote-mcp.js";
import { remoteMcpStatus } from "./shared/remote-mcp-status.js";
import { commandCallContext, openCommandSession, type CommandSession } from "./shared/open-session.js";

export interface Check {
  ok: boolean;
  name: string;
  /** What was found, or (when not ok) what is wrong and how to fix it. */
  detail: string;
}

const MIN_NODE: [number, number] = [20, 19];

export const doctorCommand: CommandSpec = {
  name: "doctor",
  usage: ["doctor [options]"],
  about: [
    "One line per check, ✓ or ✗, each ✗ with what to do: Node.js version, settings and saved profile,",
    "the OS keychain (and why it cannot be used), the endpoint, whether it answers, TLS, and whether",
    "the server accepts the token. Exit status 1 if any check fails. Never prints the token.",
  ],
  settings: SESSION_SETTINGS,
  examples: (name) => [`${name} doctor`, `${name} doctor --timeout 5000`],
  async run(ctx, values) {
    const checks: Check[] = [nodeCheck(process.versions.node)];
    let opened: CommandSession;
    try {
      opened = openCommandSession(ctx, values);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      checks.push({ ok: false, name: "settings", detail: error.message });
      return report(ctx, checks);
    }
    try {
      checks.push(...(await sessionChecks(ctx, opened)));
    } finally {
      await opened.session.close();
    }
    return report(ctx, checks);
  },
};

function nodeCheck(version: string): Check {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return {
    ok,
    name: "Node.js",
    detail: ok ? `${version}` : `${version} is too old: install Node.js ${MIN_NODE.join(".")} or newer (an LTS from https://nodejs.org)`,
  };
}

async function sessionChecks(ctx: CommandContext, { settings, profileProblems, session, logger }: CommandSession): Promise<Check[]> {
  const checks: Check[] = [];
  checks.push(
    profileProblems.length === 0
      ? { ok: true, name: "settings", detail: `readable (config directory ${settings.configDir})` }
      : { ok: false, name: "settings", detail: profileProblems.join(" ") },
  );

  let resolved: ResolvedEndpoint;
  try {
    resolved = await session.resolveEndpoint();
  } catch (error) {
    if (!(error instanceof NoServerFoundError)) throw error;
    checks.push({ ok: false, name: "discovery", detail: explain(error, { command: session.commandName, inDoctor: true }) });
    return checks;
  }
  checks.push(discoveryCheck(resolved));

  const auth = await session.token.get();
  const keychain = await ctx.keychain({ platform: ctx.host.platform, env: ctx.env, logger });
  // Filled in once the token check has run: a server that needs no token needs no keychain either.
  const keychainCheck: Check = { ok: true, name: "keychain", detail: "" };
  checks.push(keychainCheck);
  // The insecure token file, when it exists but cannot be used (a link, a FIFO, not JSON…).
  const tokenFile = auth.failures.find((failure) => failure.store === "file");
  if (tokenFile) checks.push({ ok: false, name: "token file", detail: explain(tokenFile.error, { command: session.commandName }) });
  let tokenNeeded = true;

  const from =
    resolved.origin === "discovered"
      ? "discovered: nothing is configured"
      : session.endpointSource === "default"
        ? `nothing configured: mcp-memory-service's default address; run \`${session.commandName} login <URL>\` or set MEMORY_BRIDGE_ENDPOINT for another`
        : `from ${describeSource(session.endpointSource)}`;
  const backend = usesRemoteMcp(settings) ? "mcp" : (resolved.backend ?? session.flavour);
  checks.push(
    resolved.correction
      ? {
          ok: false,
          name: "endpoint",
          detail: `${resolved.endpoint} (${from}) is ${backend}, whose API is at ${resolved.correction.to}: run \`${session.commandName} login ${resolved.correction.to}\``,
        }
      : { ok: true, name: "endpoint", detail: `${resolved.endpoint} (${from}, backend ${backend})` },
  );
  if (usesRemoteMcp(settings)) {
    const remote = await remoteMcpChecks(session, settings, logger, auth.token !== undefined);
    checks.push(...remote.checks);
    tokenNeeded = remote.tokenNeeded;
  } else {
    // Opening the backend can fail itself (a refused http:// URL, an unreadable --ca-file): still a check.
    const backendStatus = await (async () => (await session.backend.get()).status(commandCallContext(ctx, settings)))().catch((error: unknown) => ({
      reachable: false,
      error: error instanceof Error ? error : new Error(String(error)),
      tokenAccepted: undefined,
      latency_ms: undefined,
    }));
    checks.push(
      backendStatus.reachable
        ? { ok: true, name: "reachable", detail: `answered in ${backendStatus.latency_ms ?? "?"} ms` }
        : {
            ok: false,
            name: "reachable",
            detail: withDefaultEndpointHint(backendStatus.error, session, backendStatus.error ? explain(backendStatus.error, { command: session.commandName, inDoctor: true }) : "no answer"),
          },
    );
    checks.push(tlsCheck(resolved.endpoint, backendStatus.error, session.commandName));
    if (backendStatus.reachable) {
      if (backendStatus.tokenAccepted) {
        tokenNeeded = auth.token !== undefined;
        checks.push({ ok: true, name: "token", detail: auth.token ? `accepted (from ${auth.origin ?? auth.source})` : "none needed: the server accepts requests without one" });
      } else {
        checks.push({
          ok: false,
          name: "token",
          detail: backendStatus.error ? explain(backendStatus.error, { command: session.commandName, tokenVariable: auth.source === "env" ? auth.origin : undefined }) : "rejected",
        });
      }
    }
  }

  if (!keychain.problem) {
    keychainCheck.detail = `usable (${keychain.stores.map((s) => s.name).join(", ")})`;
  } else if (auth.source === "env" || auth.source === "file") {
    const from = auth.source === "env" ? (auth.origin ?? "the environment") : "the insecure token file";
    keychainCheck.detail = `not needed: the token comes from ${from} (the keychain itself is unusable: ${keychain.problem.detail})`;
  } else if (!tokenNeeded) {
    keychainCheck.detail = `not needed: the server accepts requests without a token (the keychain itself is unusable: ${keychain.problem.detail})`;
  } else {
    keychainCheck.ok = false;
    keychainCheck.detail = keychainWords(keychain.problem, { command: session.commandName });
  }
  return checks;
}

function discoveryCheck(resolved: ResolvedEndpoint): Check {
  switch (resolved.origin) {
    case "configured":
      return { ok: true, name: "discovery", detail: "not needed: an endpoint is configured" };
    case "default":
      return { ok: true, name: "discovery", detail: "off (--no-discovery or MEMORY_BRIDGE_DISCOVERY=0): mcp-memory-service's default address is used" };
    case "discovered": {
      const chosen = resolved.discovery?.chosen;
      const how = chosen === undefined ? "" : chosen.source === "mdns" ? ` (advertised on the local network as "${chosen.mdns?.name ?? "?"}")` : ` (${chosen.source})`;
      return { ok: true, name: "discovery", detail: `found ${resolved.endpoint}${how}` };
    }
  }
}

/** Reachable, session established with the tools count, TLS, and the token accepted, for a remote MCP server. */
async function remoteMcpChecks(session: Session, settings: Readonly<Settings>, logger: Logger, hasToken: boolean): Promise<{ checks: Check[]; tokenNeeded: boolean }> {
  const { status, error } = await remoteMcpStatus(session, settings, logger);
  const problem = status.problem === undefined ? undefined : proxyFailureText(status.problem, session.commandName);
  const checks: Check[] = [
    status.reachable
      ? { ok: true, name: "reachable", detail: status.latency_ms === undefined ? "answered" : `answered in ${status.latency_ms} ms` }
      : { ok: false, name: "reachable", detail: error ? explain(error, { command: session.commandName, inDoctor: true }) : (problem ?? "no answer") },
  ];
  if (status.reachable) {
    checks.push(
      status.session
        ? { ok: true, name: "MCP session", detail: `established${status.server ? ` with ${status.server.name} ${status.server.version}` : ""}; ${status.tools ?? "?"} tools` }
        : { ok: false, name: "MCP session", detail: problem ?? "not established" },
    );
  }
  checks.push(tlsCheck(session.endpoint, error, session.commandName));
  if (status.token_accepted === true) checks.push({ ok: true, name: "token", detail: "accepted" });
  else if (status.token_accepted === false || status.problem?.code === "auth-rejected") checks.push({ ok: false, name: "token", detail: problem ?? "rejected" });
  else if (status.reachable && !hasToken) checks.push({ ok: true, name: "token", detail: "none stored; the server opened a session without one" });
  return { checks, tokenNeeded: hasToken || status.problem?.code === "auth-rejected" };
}

function tlsCheck(endpoint: string, error: Error | undefined, command: string): Check {
  const url = new URL(endpoint);
  if (error instanceof TlsError || error instanceof InsecureEndpointError) return { ok: false, name: "TLS", detail: explain(error, { command }) };
  if (url.protocol === "https:") {
    return error ? { ok: true, name: "TLS", detail: "https (not verified: the server did not answer)" } : { ok: true, name: "TLS", detail: "certificate verified" };
  }
  if (isLoopbackHost(url.hostname)) return { ok: true, name: "TLS", detail: "plain http to a loopback address: nothing crosses the network" };
  return {
    ok: false,
    name: "TLS",
    detail: "plain http to a non-loopback host (allowed by --allow-http): the token crosses the network unencrypted; use https://",
  };
}

function report(ctx: CommandContext, checks: Check[]): 0 | 1 {
  for (const check of checks) ctx.stdout.write(`${check.ok ? "✓" : "✗"} ${check.name}: ${check.detail}\n`);
  const failed = checks.filter((c) => !c.ok).length;
  ctx.stdout.write(failed === 0 ? "All checks passed.\n" : `${failed} check${failed === 1 ? "" : "s"} failed.\n`);
  return failed === 0 ? 0 : 1;
}
