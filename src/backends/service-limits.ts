import { InvalidMemoryIdError, RequestTooLargeError } from "./errors.js";

/** mcp-memory-service's request body cap (`MCP_HTTP_MAX_BODY_BYTES`, 11.2+): bigger bodies get 413. */
export const MAX_SERVICE_BODY_BYTES = 1_048_576;

const MEMORY_ID = /^[0-9a-f]{64}$/i;

/**
 * The path of one memory. Its id is a sha256 hex digest, checked before it goes into the path, so
 * nothing else (`.`, `..`, `/`, `?`) is ever sent there.
 */
export function memoryPath(id: string): string {
  if (!MEMORY_ID.test(id)) throw new InvalidMemoryIdError(id);
  return `/memories/${id.toLowerCase()}`;
}

/** Refuses a body the server would answer 413 to, before sending it. */
export function assertBodyFits(body: unknown): void {
  const bytes = Buffer.byteLength(JSON.stringify(body), "utf8");
  if (bytes > MAX_SERVICE_BODY_BYTES) throw new RequestTooLargeError(bytes, MAX_SERVICE_BODY_BYTES);
}
