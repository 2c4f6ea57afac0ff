import { BridgeError } from "../core/errors.js";
import type { TransportError } from "../http/errors.js";

/**
 * A backend's failures, each with a code and its facts. `message` states what happened; where a
 * sentence goes on to name a tool or a flag, the edge (mcp/error-words.ts) adds that part.
 */

export class MemoryNotFoundError extends BridgeError {
  override name = "MemoryNotFoundError";
  constructor(readonly id: string) {
    super(`Memory ${id} not found`, { code: "not-found" });
  }
}

export class WrongProjectError extends BridgeError {
  override name = "WrongProjectError";
  constructor(readonly id: string) {
    super(`Memory ${id} belongs to another project`, { code: "wrong-project" });
  }
}

/**
 * An argument this backend cannot honour, named with the backend so the model can adapt. Code
 * content-immutable when the backend cannot change a memory's text at all.
 */
export class UnsupportedArgumentError extends BridgeError {
  override name = "UnsupportedArgumentError";
  constructor(
    readonly backend: string,
    readonly argument: string,
    reason: string,
    code: "unsupported-argument" | "content-immutable" = "unsupported-argument",
  ) {
    super(`The ${backend} backend cannot accept \`${argument}\` here: ${reason}`, { code });
  }
}

/** The configured flavour has no backend in this version. */
export class UnsupportedBackendError extends BridgeError {
  override name = "UnsupportedBackendError";
  constructor(readonly flavour: string) {
    super(`The ${flavour} backend is not supported by this version of mcp-memory-bridge yet.`, { code: "unsupported-backend" });
  }
}

/** Identical content already exists outside this project; the server cannot hold a second copy. */
export class DuplicateElsewhereError extends BridgeError {
  override name = "DuplicateElsewhereError";
  constructor(
    readonly id: string,
    readonly inAnotherProject: boolean,
  ) {
    super(
      `Not stored: identical text already exists as memory ${id} ${inAnotherProject ? "in another project" : "outside any project (stored in global mode)"}, ` +
        "and the server keeps each text only once (ignoring case).",
      { code: "duplicate-elsewhere" },
    );
  }
}

/** An id that cannot be one of this backend's: refused before it goes into a URL path. */
export class InvalidMemoryIdError extends BridgeError {
  override name = "InvalidMemoryIdError";
  constructor(id: string) {
    const shown = JSON.stringify(id.length > 80 ? `${id.slice(0, 77)}...` : id);
    super(`Invalid id ${shown}: a memory id on mcp-memory-service is 64 hexadecimal characters.`, { code: "invalid-id" });
  }
}

/** A request body bigger than the server accepts; `bytes` undefined when the server said so (413). */
export class RequestTooLargeError extends BridgeError {
  override name = "RequestTooLargeError";
  constructor(bytes: number | undefined, limit: number) {
    super(
      bytes === undefined
        ? `The memory server refused the request as too large (413), so nothing was stored or changed; its limit (MCP_HTTP_MAX_BODY_BYTES) is below ${formatBytes(limit)}. Shorten the content or the metadata, or split it into several memories.`
        : `Nothing was sent: the request would be ${formatBytes(bytes)}, over mcp-memory-service's limit of ${formatBytes(limit)} for a request. Shorten the content or the metadata, or split it into several memories.`,
      { code: "too-large" },
    );
  }
}

/**
 * A server too old to know `conversation_id` turned a *different* text away as similar to a
 * memory stored in the last 24 hours. `similar` is shown only when that memory is the caller's own.
 */
export class SimilarMemoryError extends BridgeError {
  override name = "SimilarMemoryError";
  constructor(similar: { id: string; content: string } | undefined, inAnotherProject: boolean) {
    const which = similar
      ? `memory ${similar.id}: "${preview(similar.content)}"`
      : inAnotherProject
        ? "a memory of another project"
        : "a memory that could not be read";
    super(
      `Nothing was stored: mcp-memory-service turned this text away as too similar to ${which} (its semantic deduplication of memories from the last 24 hours). ` +
        "This server version ignores the conversation_id the bridge sends to keep such texts; upgrade it, or set MCP_SEMANTIC_DEDUP_ENABLED=false on the server" +
        (similar ? ", or fold the new details into that memory." : "."),
      { code: "similar-memory" },
    );
  }
}

/** The server answered an exact duplicate, but the record it means cannot be found: nothing is confirmed. */
export class UnconfirmedDuplicateError extends BridgeError {
  override name = "UnconfirmedDuplicateError";
  constructor(readonly id: string | undefined) {
    super(
      `Nothing was stored: the server says identical text is already stored, but ${id ? `memory ${id} does not exist` : "the bridge could not find it"}.`,
      { code: "unconfirmed-duplicate" },
    );
  }
}

/** The server answered 200 but refused the change (`success: false`), saying why. */
export class RefusedChangeError extends BridgeError {
  override name = "RefusedChangeError";
  constructor(endpoint: string, change: string, reason: string) {
    super(`${change}: the memory server at ${endpoint} refused it (${reason.replace(/[.\s]+$/, "")}).`, { code: "refused" });
  }
}

/** A store whose request may have reached the server before the connection failed. */
export class AmbiguousStoreError extends BridgeError {
  override name = "AmbiguousStoreError";
  constructor(
    readonly endpoint: string,
    readonly failure: TransportError,
    readonly retryIsSafe: boolean,
  ) {
    super("", { code: "ambiguous-store", cause: failure });
    this.message = this.sentence(failure.message);
  }

  /** The whole sentence around what went wrong (`failureText`: the failure's message, or the edge's words for it). */
  sentence(failureText: string): string {
    return (
      `The memory may or may not have been stored: ${lowerFirst(failureText)} ` +
      (this.retryIsSafe
        ? `Storing it again is safe (${this.endpoint} deduplicates identical content).`
        : `Search for it before storing it again, or it may be saved twice.`)
    );
  }
}

/** The server answered 2xx but not with what its API promises. */
export class UnexpectedResponseError extends BridgeError {
  override name = "UnexpectedResponseError";
  constructor(endpoint: string, what: string) {
    super(`The memory server at ${endpoint} sent an unexpected response (${what}).`, { code: "unexpected-response" });
  }
}

function lowerFirst(s: string): string {
  const trimmed = s.trim().replace(/\.$/, "");
  const keepCase = /^[A-Z]{2}/.test(trimmed); // an acronym such as "TLS"
  return (keepCase ? trimmed : trimmed.charAt(0).toLowerCase() + trimmed.slice(1)) + ".";
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  if (oneLine.length <= 300) return oneLine;
  // Do not cut a surrogate pair (an emoji, say) in half.
  const end = /[\uD800-\uDBFF]/.test(oneLine.charAt(298)) ? 298 : 299;
  return `${oneLine.slice(0, end)}…`;
}

function formatBytes(bytes: number): string {
  if (bytes === 1_048_576) return "1 MiB (1048576 bytes)";
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB (${bytes} bytes)` : `${bytes} bytes`;
}
