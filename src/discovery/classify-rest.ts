import { isObject, parseJson } from "./json.js";
import { openapiInfo } from "./openapi-info.js";
import type { ProbeAnswer } from "./probe-request.js";
import type { DetectedBackend, Evidence, ProbeRecord } from "./types.js";

/**
 * Which REST server answered, from the three unauthenticated GETs detection makes
 * (contracts/backends.md §1 and §2, issue 12 item 3). A fixed order decides:
 *   1. <base>/health healthy on a base ending in /api   → mcp-memory-service at <base>
 *   2. <base>/api/health healthy                        → mcp-memory-service at <base>/api ("Did you mean …/api?")
 *   3. openapi title "MCP Memory Service"               → mcp-memory-service at <origin>/api
 *   4. openapi title matching /mem0/i                   → mem0 at <origin>
 *   5. anything answered HTTP                           → not a memory server
 *   6. nothing answered                                 → unreachable (the first probe's error)
 */

export interface RestProbes {
  health: ProbeAnswer;
  /** Absent when the base already ends in /api (…/api/api/health is what the old bridge got wrong). */
  apiHealth?: ProbeAnswer;
  openapi: ProbeAnswer;
}

export type RestClassification =
  | {
      kind: "found";
      backend: DetectedBackend;
      endpoint: string;
      evidence: Evidence;
      version?: string;
      serverName?: string;
      decidedBy: ProbeRecord;
    }
  | { kind: "not-memory-server" }
  | { kind: "unreachable"; error: string };

const MCP_MEMORY_SERVICE_TITLE = "MCP Memory Service";

/** `base` is canonical (no trailing slash). */
export function classifyRest(base: string, probes: RestProbes): RestClassification {
  const origin = new URL(base).origin;
  const info = probes.openapi.response?.status === 200 ? openapiInfo(probes.openapi.response.text) : {};
  const mmsVersion = (answer: ProbeAnswer) =>
    info.title === MCP_MEMORY_SERVICE_TITLE && info.version !== undefined ? info.version : healthVersion(answer);

  if (endsWithApi(base) && isHealthy(probes.health)) {
    return found("mcp-memory-service", base, "health", probes.health, mmsVersion(probes.health));
  }
  if (probes.apiHealth !== undefined && isHealthy(probes.apiHealth)) {
    return found("mcp-memory-service", `${base}/api`, "api-health", probes.apiHealth, mmsVersion(probes.apiHealth));
  }
  if (info.title === MCP_MEMORY_SERVICE_TITLE) {
    return found("mcp-memory-service", `${origin}/api`, "openapi", probes.openapi, info.version, info.title);
  }
  if (info.title !== undefined && /mem0/i.test(info.title)) {
    return found("mem0", origin, "openapi", probes.openapi, info.version, info.title);
  }
  const answers = [probes.health, probes.apiHealth, probes.openapi];
  if (answers.some((a) => a?.response !== undefined)) return { kind: "not-memory-server" };
  return { kind: "unreachable", error: probes.health.record.error ?? "network" };
}

function found(
  backend: DetectedBackend,
  endpoint: string,
  evidence: Evidence,
  decidedBy: ProbeAnswer,
  version: string | undefined,
  serverName?: string,
): RestClassification {
  return {
    kind: "found",
    backend,
    endpoint,
    evidence,
    decidedBy: decidedBy.record,
    ...(version === undefined ? {} : { version }),
    ...(serverName === undefined ? {} : { serverName }),
  };
}

/** Whether the base's path ends in /api (then …/api/health would be the old bridge's /api/api/health). */
export function endsWithApi(base: string): boolean {
  return new URL(base).pathname.replace(/\/+$/, "").endsWith("/api");
}

/** 200 with a JSON object whose status is "healthy" (web/api/health.py). */
function isHealthy(answer: ProbeAnswer): boolean {
  const response = answer.response;
  if (response?.status !== 200) return false;
  const body = parseJson(response.text);
  return isObject(body) && body.status === "healthy";
}

/** Older servers (and the test fixture) put the version in /health; newer ones only in openapi.json. */
function healthVersion(answer: ProbeAnswer): string | undefined {
  const body = answer.response === undefined ? undefined : parseJson(answer.response.text);
  return isObject(body) && typeof body.version === "string" ? body.version : undefined;
}
