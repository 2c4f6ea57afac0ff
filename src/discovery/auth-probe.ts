import type { DetectedBackend } from "./types.js";

/**
 * Whether a server requires auth is learned from an unauthenticated read, not from what it claims
 * (mcp-memory-service's mDNS TXT says auth_required=False while OAuth still answers 401).
 * The reads are harmless: one page of one memory, or one user's list.
 */

/** The URL of the unauthenticated read for this backend; undefined when the answer is known without one. */
export function authProbeUrl(backend: DetectedBackend, endpoint: string): string | undefined {
  switch (backend) {
    case "mcp-memory-service":
      return `${endpoint}/memories?page_size=1`;
    case "mem0":
      return `${endpoint}/memories?user_id=mcp-memory-bridge&top_k=1`;
    case "mem0-platform": // every call needs a key
    case "mcp": // the initialize answer already said
      return undefined;
  }
}

/** 401/403 → required; 2xx, or a 4xx about the request itself → not; anything else says neither. */
export function authRequiredFromStatus(status: number | undefined): boolean | undefined {
  if (status === undefined) return undefined;
  if (status === 401 || status === 403) return true;
  if ((status >= 200 && status < 300) || status === 400 || status === 422) return false;
  return undefined;
}
