import type { CallContext } from "../backends/types.js";
import { BACKENDS } from "../backends/registry.js";
import type { BackendFlavour, SettingSource } from "../core/unions.js";
import { UnreachableError } from "../http/errors.js";
import { withAuthRetry } from "../session/auth-retry.js";
import { tokenVariableOf, type AuthInfo } from "../session/token.js";
import { KeychainError, type KeychainProblem } from "../credentials/keychain-problem.js";
import { keychainWords } from "./keychain-words.js";
import { NoServerFoundError, type ResolvedEndpoint } from "../session/endpoint-source.js";
import type { Session } from "../session/session.js";
import { explain } from "./error-words.js";
import { PACKAGE_NAME, VERSION } from "../version.js";

export interface BridgeStatus {
  endpoint: string | null;
  /** Where the endpoint comes from; "default" when nothing configures one and mcp-memory-service's default address is used. */
  endpoint_source: SettingSource | "discovered";
  backend: string | null;
  project: { id: string | null; mode: "auto" | "manual" | "global"; source: string; reason?: string };
  /** `keychain_unreachable`: no token was found because the keychain could not be reached (why): one may be stored there. */
  auth: { source: "env" | "keychain" | "file" | "none"; scheme: string | null; keychain_unreachable?: string };
  reachable: boolean;
  /** Whether an authenticated call succeeded (absent when the server was not reached). */
  token_accepted?: boolean;
  latency_ms?: number;
  server?: Record<string, unknown>;
  problems?: string[];
  /** What discovery tried (URL and outcome, in the fixed order), when it ran. */
  discovery?: { tried: { url: string; source: string; result: string }[]; mdns: { ran: boolean; services: number; error?: string } };
  version: string;
}

/** Everything memory_status and `status` report. Never includes the token or any part of it. */
export async function collectStatus(session: Session, ctx: Pick<CallContext, "deadline" | "signal">): Promise<BridgeStatus> {
  const problems: string[] = session.setupProblem ? [session.setupProblem] : [];
  const project = await session.project.resolve();
  if (project.error) problems.push(project.error);
  let resolved: ResolvedEndpoint | undefined;
  try {
    resolved = session.setupProblem ? undefined : await session.resolveEndpoint();
  } catch (error) {
    if (!(error instanceof NoServerFoundError)) throw error;
    problems.push(explain(error, { command: session.commandName }));
    return {
      endpoint: null,
      endpoint_source: "discovered",
      backend: null,
      project: { id: project.id, mode: project.mode, source: project.source, reason: project.reason },
      auth: { source: "none", scheme: null },
      reachable: false,
      problems: problems.map((problem) => session.redact(problem)),
      discovery: discoveryOf(error.report),
      version: VERSION,
    };
  }
  const auth = await session.token.get();
  problems.push(...(await session.fileProblems()).map((problem) => explain(problem, { command: session.commandName })));
  if (resolved?.correction) {
    problems.push(
      `${resolved.correction.from} does not look like the server's API: did you mean ${resolved.correction.to}? ` +
        `The bridge keeps using the configured endpoint (a token is bound to it); to switch, run \`${session.commandName} login ${resolved.correction.to}\`.`,
    );
  }
  const status: BridgeStatus = {
    endpoint: resolved?.endpoint ?? session.endpoint,
    endpoint_source: resolved?.origin === "discovered" ? "discovered" : session.endpointSource,
    backend: resolved?.backend ?? session.flavour,
    ...(resolved?.discovery && { discovery: discoveryOf(resolved.discovery) }),
    project: { id: project.id, mode: project.mode, source: project.source, reason: project.reason },
    auth: { source: auth.source, scheme: auth.scheme },
    reachable: false,
    version: VERSION,
  };
  if (session.setupProblem) {
    // The settings in force are stand-ins (the real ones could not be read): probing with them
    // would only add misleading problems, such as "no endpoint" when one is set.
    status.problems = problems.map((problem) => session.redact(problem));
    return status;
  }
  try {
    const probe = await withAuthRetry(
      session.token,
      async () => (await session.backend.get()).status(ctx),
      (outcome) => "value" in outcome && outcome.value.tokenAccepted === false,
    );
    // A rejected token may have been replaced by another from the stores.
    const current = await session.token.get();
    status.auth = { source: current.source, scheme: current.scheme };
    const unreachable = unreachableKeychain(current);
    if (unreachable !== undefined) {
      status.auth.keychain_unreachable = unreachable.message;
      problems.push(`A token stored by login cannot be looked for here: ${lowerFirst(keychainWords(unreachable, { command: session.commandName, loginArgs: [status.endpoint ?? "<URL>"] }))}`);
    }
    status.reachable = probe.reachable;
    if (probe.latency_ms !== undefined) status.latency_ms = probe.latency_ms;
    if (probe.tokenAccepted !== undefined) status.token_accepted = probe.tokenAccepted;
    if (probe.server) status.server = redactedStrings(probe.server, (text) => session.redact(text));
    const tokenVariable = current.source === "env" ? current.origin : undefined;
    if (probe.error) problems.push(withDefaultEndpointHint(probe.error, session, explain(probe.error, { command: session.commandName, tokenVariable })));
  } catch (error) {
    problems.push(withDefaultEndpointHint(error, session, explain(error, { command: session.commandName, tokenVariable: await tokenVariableOf(session.token) })));
  }
  if (problems.length > 0) status.problems = problems.map((problem) => session.redact(problem));
  return status;
}

function lowerFirst(sentence: string): string {
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

/** No token found because the keychain could not be reached: the problem, since a token may well be stored there. */
function unreachableKeychain(auth: AuthInfo): KeychainProblem | undefined {
  if (auth.source !== "none") return undefined;
  const error = auth.failures.map((failure) => failure.error).find((cause) => cause instanceof KeychainError);
  return error instanceof KeychainError ? error.problem : undefined;
}

function discoveryOf(report: NonNullable<ResolvedEndpoint["discovery"]>): NonNullable<BridgeStatus["discovery"]> {
  return { tried: report.attempts.map((a) => ({ url: a.url, source: a.source, result: a.detection.status })), mdns: report.mdns };
}

/** What a server says about itself is shown as it came, less any copy of the token (a last line of defence). */
function redactedStrings(server: Record<string, unknown>, redact: (text: string) => string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(server).map(([key, value]) => [key, typeof value === "string" ? redact(value) : value]));
}

export function renderStatus(status: BridgeStatus): string {
  const lines = [
    `mcp-memory-bridge ${status.version}`,
    `endpoint: ${status.endpoint ?? "(none configured)"}${status.endpoint_source === "default" ? ` (nothing configured: ${defaultOwner(status.backend)}'s default address)` : status.endpoint_source === "discovered" && status.endpoint !== null ? " (discovered)" : ""}`,
    `backend: ${status.backend ?? "(unknown)"}`,
    `project: ${status.project.id ?? "(none: global scope)"} — mode ${status.project.mode}, from ${status.project.source}${status.project.reason ? ` (${status.project.reason})` : ""}`,
    status.auth.keychain_unreachable !== undefined
      ? `token: unknown — none found, but ${lowerFirst(status.auth.keychain_unreachable.replace(/\.$/, ""))}`
      : status.auth.source === "none"
        ? "token: none"
        : `token: from ${status.auth.source}${status.auth.scheme ? `, sent as ${status.auth.scheme}` : ""}`,
    `reachable: ${status.reachable ? `yes${status.latency_ms !== undefined ? ` (${status.latency_ms} ms)` : ""}` : "no"}`,
  ];
  if (status.token_accepted !== undefined) lines.push(`token accepted: ${status.token_accepted ? "yes" : "no"}`);
  if (status.server?.version !== undefined) lines.push(`server version: ${String(status.server.version)}`);
  if (status.server?.total_memories !== undefined) lines.push(`memories on server: ${String(status.server.total_memories)}`);
  if (status.discovery) {
    const tried = status.discovery.tried.map((t) => `${t.url} (${t.source}: ${t.result})`);
    const mdns = status.discovery.mdns.ran ? `mDNS: ${status.discovery.mdns.services} service(s)${status.discovery.mdns.error ? `, ${status.discovery.mdns.error}` : ""}` : "mDNS: not needed";
    lines.push(`discovery tried: ${[...tried, mdns].join("; ")}`);
  }
  for (const problem of status.problems ?? []) lines.push(`problem: ${problem}`);
  return lines.join("\n");
}

/**
 * A failure's message; when the server could not be reached at the default address (nothing is
 * configured), also what that address is and how to use another server.
 */
export function withDefaultEndpointHint(
  error: unknown,
  session: Pick<Session, "endpoint" | "endpointSource" | "flavour" | "commandName">,
  message = explain(error, { command: session.commandName }),
): string {
  if (!(error instanceof UnreachableError) || session.endpointSource !== "default") return message;
  return (
    `${message.replace(/[.\s]*$/, ".")} No memory server is configured, so the bridge tried ${defaultOwner(session.flavour)}'s default address ${session.endpoint}; ` +
    `to use another server, run \`${session.commandName} login <URL>\` or set MEMORY_BRIDGE_ENDPOINT in the client's config.`
  );
}

/** Whose default address an unconfigured endpoint is: the backend's own (the mem0 platform's), else mcp-memory-service's. */
function defaultOwner(backend: string | null): string {
  return backend !== null && backend in BACKENDS && BACKENDS[backend as BackendFlavour].defaultEndpoint ? backend : "mcp-memory-service";
}
