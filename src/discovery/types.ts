/**
 * Facts that discovery and detection return. No sentences here: the edge (commands/, mcp/) words
 * them, with describe.ts's help for the one sentence they all need.
 */

/** The backends detection can tell apart (contracts/backends.md; mem0-keyed cannot be detected). */
export type DetectedBackend = "mcp-memory-service" | "mem0" | "mem0-platform" | "mcp";

export type { FetchLike, ProbeBody, ProbeHttpResponse } from "../core/fetch-like.js";

/** What one probe request did. `status` when the server answered, `error` (a Node/undici code, "timeout" or "aborted") when not. */
export interface ProbeRecord {
  method: "GET" | "POST";
  url: string;
  status?: number;
  error?: string;
  ms: number;
}

/** Which answer decided the backend. */
export type Evidence =
  | "health" // GET <base>/health answered {"status":"healthy"} on a base ending in /api
  | "api-health" // GET <base>/api/health did: the endpoint lacked /api
  | "openapi" // GET <origin>/openapi.json named the server
  | "host" // api.mem0.ai, known without a probe
  | "mcp-initialize" // an MCP `initialize` was accepted
  | "mcp-401"; // the MCP endpoint answered 401 with WWW-Authenticate

/** The endpoint the caller gave differs from where the server's API is (e.g. the /api is missing). */
export interface Correction {
  from: string;
  to: string;
}

export interface FoundDetection {
  status: "found";
  /** The canonical form of the URL that was probed. */
  input: string;
  /** The canonical endpoint to use: `input`, or `correction.to` when there is a correction. */
  endpoint: string;
  backend: DetectedBackend;
  evidence: Evidence;
  correction?: Correction;
  /** The server's version when it says (openapi `info.version`, health `version`, MCP `serverInfo.version`). */
  version?: string;
  /** MCP `serverInfo.name`, or the openapi title. */
  serverName?: string;
  /**
   * Whether an unauthenticated call was refused (401/403), as probed — not what mDNS TXT claims.
   * undefined when it was not probed or the answer said neither.
   */
  authRequired?: boolean;
  /** Round trip of the answer that decided the backend; 0 for "host". */
  latencyMs: number;
  probes: ProbeRecord[];
}

export interface NotMemoryServerDetection {
  status: "not-memory-server";
  input: string;
  probes: ProbeRecord[];
}

export interface UnreachableDetection {
  status: "unreachable";
  input: string;
  /** The error of the first probe (e.g. ECONNREFUSED, ENOTFOUND, timeout, a TLS code). */
  error: string;
  probes: ProbeRecord[];
}

export interface RefusedDetection {
  status: "refused";
  /** The canonical URL; absent when it does not parse (reason invalid-url: the caller has the text). */
  input?: string;
  /** insecure-http: plain http to a host that is not loopback (probed only with allowHttp). */
  reason: "insecure-http" | "invalid-url";
}

export type Detection = FoundDetection | NotMemoryServerDetection | UnreachableDetection | RefusedDetection;
