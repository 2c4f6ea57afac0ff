import { canonicalEndpoint, isLoopbackHost, parseEndpoint } from "../core/endpoint.js";
import { VERSION } from "../version.js";
import { authProbeUrl, authRequiredFromStatus } from "./auth-probe.js";
import { classifyMcpInitialize, hasInitializeEvent, initializeRequestBody } from "./classify-mcp.js";
import { classifyRest, endsWithApi } from "./classify-rest.js";
import { DEFAULT_PROBE_BODY_BYTES, DEFAULT_PROBE_TIMEOUT_MS, probe, type ProbeIo } from "./probe-request.js";
import type { Detection, FetchLike, FoundDetection, ProbeRecord } from "./types.js";

/**
 * Which memory server answers at a URL: a few unauthenticated, bounded probes (never a token),
 * to loopback or over verified TLS only. The result is facts; see describe.ts for a sentence.
 */

export const MEM0_PLATFORM_ENDPOINT = "https://api.mem0.ai";
const MEM0_PLATFORM_HOST = "api.mem0.ai";

export interface DetectOptions {
  /**
   * How probes are sent: http/probe-fetch.ts's createProbeFetch (verified TLS, the user's CA file),
   * or a test's fake. No default: globalThis.fetch would ignore the CA file and load a second HTTP stack.
   */
  fetch: FetchLike;
  /** Default: performance.now. */
  now?: () => number;
  /** Per probe request, redirects and body included. Default 2000 ms. */
  timeoutMs?: number;
  /** Per probe body. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Probe plain http to hosts that are not loopback (the user's --allow-http). Default false. */
  allowHttp?: boolean;
  /** Also learn whether an unauthenticated call is refused. Default true. */
  probeAuth?: boolean;
  signal?: AbortSignal;
}

export async function detectBackend(url: string, options: DetectOptions): Promise<Detection> {
  let parsed: URL;
  let input: string;
  try {
    parsed = parseEndpoint(url);
    input = canonicalEndpoint(url);
  } catch {
    return { status: "refused", reason: "invalid-url" };
  }
  if (parsed.hostname === MEM0_PLATFORM_HOST && parsed.protocol === "https:") return mem0Platform(input);
  if (parsed.protocol === "http:" && options.allowHttp !== true && !isLoopbackHost(parsed.hostname)) {
    return { status: "refused", input, reason: "insecure-http" };
  }

  const io: ProbeIo = {
    fetch: options.fetch,
    now: options.now ?? (() => performance.now()),
    timeoutMs: options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_PROBE_BODY_BYTES,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const probes: ProbeRecord[] = [];
  const probeAuth = options.probeAuth ?? true;

  if (/\/mcp\/?$/.test(parsed.pathname)) {
    const mcp = await detectMcp(input, parsed, io, probes);
    if (mcp !== undefined) return mcp;
  }

  const origin = parsed.origin;
  const [health, apiHealth, openapi] = await Promise.all([
    probe({ method: "GET", url: `${input}/health` }, io),
    endsWithApi(input) ? undefined : probe({ method: "GET", url: `${input}/api/health` }, io),
    probe({ method: "GET", url: `${origin}/openapi.json` }, io),
  ]);
  probes.push(health.record, ...(apiHealth === undefined ? [] : [apiHealth.record]), openapi.record);

  const rest = classifyRest(input, { health, openapi, ...(apiHealth === undefined ? {} : { apiHealth }) });
  // The MCP probe's answer counts too: a server that answered anything is reachable.
  const answered = probes.some((p) => p.status !== undefined);
  if (rest.kind === "not-memory-server" || (rest.kind === "unreachable" && answered)) {
    return { status: "not-memory-server", input, probes };
  }
  if (rest.kind === "unreachable") return { status: "unreachable", input, error: rest.error, probes };

  const detection: FoundDetection = {
    status: "found",
    input,
    endpoint: rest.endpoint,
    backend: rest.backend,
    evidence: rest.evidence,
    ...(rest.endpoint === input ? {} : { correction: { from: input, to: rest.endpoint } }),
    ...(rest.version === undefined ? {} : { version: rest.version }),
    ...(rest.serverName === undefined ? {} : { serverName: rest.serverName }),
    latencyMs: rest.decidedBy.ms,
    probes,
  };
  if (probeAuth) await addAuthRequired(detection, io);
  return detection;
}

async function detectMcp(input: string, parsed: URL, io: ProbeIo, probes: ProbeRecord[]): Promise<Detection | undefined> {
  // Keep a trailing slash: some servers serve MCP only at /mcp/.
  const url = parsed.pathname.endsWith("/") ? `${input}/` : input;
  const answer = await probe(
    {
      method: "POST",
      url,
      headers: { accept: "application/json, text/event-stream", "content-type": "application/json" },
      body: initializeRequestBody(VERSION),
      enough: hasInitializeEvent,
    },
    io,
  );
  probes.push(answer.record);
  const mcp = classifyMcpInitialize(answer);
  if (mcp.kind === "not-mcp") return undefined;
  const sessionId = answer.response?.headers.get("mcp-session-id") ?? null;
  if (sessionId !== null) await endSession(url, sessionId, io);
  return {
    status: "found",
    input,
    endpoint: input,
    backend: "mcp",
    evidence: mcp.authRequired ? "mcp-401" : "mcp-initialize",
    ...(mcp.version === undefined ? {} : { version: mcp.version }),
    ...(mcp.serverName === undefined ? {} : { serverName: mcp.serverName }),
    authRequired: mcp.authRequired,
    latencyMs: answer.record.ms,
    probes,
  };
}

/** The probe's `initialize` opened a session; close it rather than leave it to the server's expiry. */
async function endSession(url: string, sessionId: string, io: ProbeIo): Promise<void> {
  const response = await io
    .fetch(url, {
      method: "DELETE",
      headers: { "mcp-session-id": sessionId, "user-agent": "mcp-memory-bridge" },
      redirect: "manual",
      signal: AbortSignal.timeout(io.timeoutMs),
    })
    .catch(() => undefined);
  await response?.body?.cancel().catch(() => undefined);
}

async function addAuthRequired(detection: FoundDetection, io: ProbeIo): Promise<void> {
  const url = authProbeUrl(detection.backend, detection.endpoint);
  if (url === undefined) return;
  const answer = await probe({ method: "GET", url }, io);
  detection.probes.push(answer.record);
  const required = authRequiredFromStatus(answer.record.status);
  if (required !== undefined) detection.authRequired = required;
}

function mem0Platform(input: string): FoundDetection {
  return {
    status: "found",
    input,
    endpoint: MEM0_PLATFORM_ENDPOINT,
    backend: "mem0-platform",
    evidence: "host",
    ...(input === MEM0_PLATFORM_ENDPOINT ? {} : { correction: { from: input, to: MEM0_PLATFORM_ENDPOINT } }),
    authRequired: true,
    latencyMs: 0,
    probes: [],
  };
}
