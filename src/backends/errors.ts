import { BridgeError } from "../errors.js";

export class MemoryNotFoundError extends BridgeError {
  override name = "MemoryNotFoundError";
  constructor(readonly id: string) {
    super(`Memory ${id} not found`);
  }
}

export class WrongProjectError extends BridgeError {
  override name = "WrongProjectError";
  constructor(readonly id: string) {
    super(`Memory ${id} belongs to another project`);
  }
}

/** An argument this backend cannot honour, named with the backend so the model can adapt. */
export class UnsupportedArgumentError extends BridgeError {
  override name = "UnsupportedArgumentError";
  constructor(backend: string, argument: string, hint: string) {
    super(`The ${backend} backend cannot accept \`${argument}\` here: ${hint}`);
  }
}

/** Identical content already exists outside this project; the server cannot hold a second copy. */
export class DuplicateElsewhereError extends BridgeError {
  override name = "DuplicateElsewhereError";
  constructor(readonly id: string, inAnotherProject: boolean) {
    super(
      `Not stored: identical text already exists as memory ${id} ${inAnotherProject ? "in another project" : "outside any project (stored in global mode)"}, ` +
        "and the server keeps each text only once (ignoring case). Reword it to store it in this project, or use search_memories with scope \"all\" to find the existing one.",
    );
  }
}

/** An id that cannot be one of this backend's: refused before it goes into a URL path. */
export class InvalidMemoryIdError extends BridgeError {
  override name = "InvalidMemoryIdError";
  constructor(id: string) {
    const shown = JSON.stringify(id.length > 80 ? `${id.slice(0, 77)}...` : id);
    super(
      `Invalid id ${shown}: a memory id on mcp-memory-service is 64 hexadecimal characters (the id that store_memory, search_memories and list_memories return).`,
    );
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
    );
  }
}

/** The server answered an exact duplicate, but the record it means cannot be found: nothing is confirmed. */
export class UnconfirmedDuplicateError extends BridgeError {
  override name = "UnconfirmedDuplicateError";
  constructor(id: string | undefined) {
    super(
      `Nothing was stored: the server says identical text is already stored, but ${id ? `memory ${id} does not exist` : "the bridge could not find it"}. ` +
        "Search for the text with search_memories before storing it again.",
    );
  }
}

/** The server answered 200 but refused the change (`success: false`), saying why. */
export class RefusedChangeError extends BridgeError {
  override name = "RefusedChangeError";
  constructor(endpoint: string, change: string, reason: string) {
    super(`${change}: the memory server at ${endpoint} refused it (${reason.replace(/[.\s]+$/, "")}).`);
  }
}

/** A store whose request may have reached the server before the connection failed. */
export class AmbiguousStoreError extends BridgeError {
  override name = "AmbiguousStoreError";
  constructor(endpoint: string, cause: Error, retryIsSafe: boolean) {
    super(
      `The memory may or may not have been stored: ${lowerFirst(cause.message)} ` +
        (retryIsSafe
          ? `Storing it again is safe (${endpoint} deduplicates identical content).`
          : `Search for it before storing it again, or it may be saved twice.`),
    );
  }
}

/** The server answered 2xx but not with what its API promises. */
export class UnexpectedResponseError extends BridgeError {
  override name = "UnexpectedResponseError";
  constructor(endpoint: string, what: string) {
    super(`The memory server at ${endpoint} sent an unexpected response (${what}); check that the endpoint and --backend are right.`);
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
