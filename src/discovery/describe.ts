import type { DetectedBackend, Detection, ProbeRecord } from "./types.js";

/**
 * The one sentence a detection comes down to, for the edge (commands/, mcp/) to show: the
 * correction ("Did you mean …/api?") or the diagnosis. It names no command: the edge adds what to
 * run, since `login` offers a correction and `serve` only reports it.
 */

const LABELS: Record<DetectedBackend, string> = {
  "mcp-memory-service": "mcp-memory-service",
  mem0: "a mem0 server",
  "mem0-platform": "the mem0 platform",
  mcp: "an MCP server",
};

export function describeDetection(detection: Detection): string {
  switch (detection.status) {
    case "found": {
      const label = LABELS[detection.backend];
      if (detection.correction !== undefined) {
        const { from, to } = detection.correction;
        return `Did you mean ${to}? ${from} is ${label}, whose API is at ${to}.`;
      }
      const version = detection.version === undefined ? "" : ` ${detection.version}`;
      const auth =
        detection.authRequired === true ? ", which requires a token" : detection.authRequired === false ? ", which answers without a token" : "";
      return `${detection.endpoint} is ${label}${version}${auth}.`;
    }
    case "not-memory-server":
      return `${detection.input} answers HTTP but is not a memory server (${detection.probes.map(shownProbe).join(", ")}).`;
    case "unreachable":
      return detection.error === "timeout"
        ? `Nothing answered at ${detection.input} in time.`
        : `Nothing answers at ${detection.input} (${detection.error}).`;
    case "refused":
      return detection.reason === "insecure-http"
        ? `${detection.input} is plain http to a host that is not this machine, so it was not probed; use https, or allow plain http (--allow-http).`
        : "That is not a usable endpoint URL: give the server's full base URL, starting with https:// or http://.";
  }
}

function shownProbe(probe: ProbeRecord): string {
  const url = new URL(probe.url);
  return `${probe.method} ${url.pathname}${url.search} → ${probe.status ?? probe.error ?? "no answer"}`;
}
