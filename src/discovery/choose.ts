import type { Detection, FoundDetection } from "./types.js";

/**
 * The fixed order that decides which endpoint discovery uses (contracts/cli.md "Transport"):
 * the configured endpoint, the remembered one, http://127.0.0.1:8000/api (mcp-memory-service's
 * default), http://127.0.0.1:8888 (mem0's docker default), then mDNS answers. Probes may run in
 * parallel and finish in any order; the position in this order decides, never the finishing time.
 * A configured endpoint is never replaced by another: a token is bound to the exact endpoint.
 */

export const LOCAL_CANDIDATES: readonly string[] = ["http://127.0.0.1:8000/api", "http://127.0.0.1:8888"];

export type CandidateSource = "configured" | "remembered" | "local" | "mdns";

export interface MdnsOrigin {
  /** The advertised instance label, e.g. "MCP Memory Service". */
  name: string;
  /** TXT pairs as advertised (auth_required among them is a claim, not a probe). */
  txt: Record<string, string>;
  /** Set on the 127.0.0.1 fallback: the advertised URLs that did not answer as a memory server. */
  fallbackFor?: string[];
}

export interface Attempt {
  source: CandidateSource;
  url: string;
  detection: Detection;
  mdns?: MdnsOrigin;
}

export type ChosenAttempt = Attempt & { detection: FoundDetection };

const STAGE_ORDER: readonly CandidateSource[] = ["configured", "remembered", "local", "mdns"];

/** The first attempt, in the fixed order, that found a memory server; only the configured one when there is one. */
export function chooseAttempt(attempts: readonly Attempt[]): ChosenAttempt | undefined {
  const configured = attempts.find((a) => a.source === "configured");
  if (configured !== undefined) return isFound(configured) ? configured : undefined;
  const ordered = [...attempts].sort((a, b) => STAGE_ORDER.indexOf(a.source) - STAGE_ORDER.indexOf(b.source));
  return ordered.find(isFound);
}

export function isFound(attempt: Attempt): attempt is ChosenAttempt {
  return attempt.detection.status === "found";
}
