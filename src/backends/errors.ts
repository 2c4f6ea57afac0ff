import { BridgeError } from "../core/errors.js";
import type { TransportError } from "../http/errors.js";
import type { StoreChange } from "./types.js";

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
  constructor(
    readonly endpoint: string,
    what: string,
    /** The HTTP status, when an answer's status was what was unexpected (a 404 on a known route: the server may have changed). */
    readonly status?: number,
  ) {
    super(`The memory server at ${endpoint} sent an unexpected response (${what}).`, { code: "unexpected-response" });
  }
}

/*
 * The failures of the mem0 backends, each with a code and its facts like those above; the edge
 * (mcp/error-words.ts) adds what to do about them.
 */

/** A memory id that is not a UUID, refused before it goes into a URL path (mem0 would answer 500/502). */
export class InvalidUuidError extends BridgeError {
  override name = "InvalidUuidError";
  constructor(
    readonly id: string,
    readonly backend: string,
  ) {
    const shown = JSON.stringify(id.length > 80 ? `${id.slice(0, 77)}...` : id);
    super(`Invalid id ${shown}: a memory id on ${backend} is a UUID, such as 3f2b8a61-5c4d-4e8f-9a0b-1c2d3e4f5a6b.`, { code: "invalid-id" });
  }
}

/** `--auth-scheme bearer` with a token that is not a JWT: mem0 would refuse it as "Invalid or expired token". */
export class NotAJwtError extends BridgeError {
  override name = "NotAJwtError";
  constructor(readonly isApiKey: boolean) {
    super(`mem0 takes a Bearer token only as a JWT, and this token is not one${isApiKey ? " (it is an m0sk_ API key)" : ""}, so it was not sent.`, { code: "not-a-jwt" });
  }
}

/** The configured user id cannot be sent: mem0 refuses ids that are empty or hold whitespace. */
export class InvalidUserIdError extends BridgeError {
  override name = "InvalidUserIdError";
  constructor(
    readonly userId: string,
    readonly backend: string,
  ) {
    super(`The user id ${JSON.stringify(userId)} cannot be used with ${backend}, which refuses ids that are empty or contain whitespace.`, { code: "invalid-user-id" });
  }
}

/** A record of another user: per-user keys do not stop a caller from touching it, so the bridge does. */
export class OtherUserMemoryError extends BridgeError {
  override name = "OtherUserMemoryError";
  constructor(readonly id: string) {
    super(`Memory ${id} belongs to another user`, { code: "other-user" });
  }
}

/**
 * A store the server answered without keeping anything. `inferred`: its language model read the
 * text and extracted no fact it did not already hold. `deleted`: memories the store removed anyway.
 */
export class NothingStoredError extends BridgeError {
  override name = "NothingStoredError";
  constructor(
    readonly backend: string,
    readonly inferred: boolean,
    readonly deleted: readonly StoreChange[] = [],
  ) {
    const why = inferred
      ? `${backend} reads the text with its language model and keeps only the facts it extracts, and it kept none: it found nothing it considers worth remembering, or every fact in it is already stored`
      : `${backend} answered the store without creating a memory`;
    const removed = deleted.length === 0 ? "" : ` It did delete ${deleted.map(describeChange).join(" and ")}.`;
    super(`Nothing was stored: ${why}.${removed}`, { code: "nothing-stored" });
  }
}

/** An asynchronous store the server reports as failed (the mem0 platform's event status FAILED). */
export class StoreFailedError extends BridgeError {
  override name = "StoreFailedError";
  constructor(
    readonly backend: string,
    readonly eventId: string,
    readonly reason: string | undefined,
  ) {
    super(`Nothing was stored: ${backend} could not process the memory (event ${eventId}${reason ? `: ${reason.replace(/[.\s]+$/, "")}` : ""}).`, { code: "store-failed" });
  }
}

/** The key belongs to another user than the one configured (the API-key server's 403 names it). */
export class KeyUserMismatchError extends BridgeError {
  override name = "KeyUserMismatchError";
  constructor(
    readonly endpoint: string,
    readonly keyUser: string,
    readonly configuredUser: string,
  ) {
    super(`The API key is ${keyUser}'s, not ${configuredUser}'s: the server at ${endpoint} lets a key act only as its own user.`, { code: "key-user-mismatch" });
  }
}

function describeChange(change: StoreChange): string {
  return change.content === undefined ? `memory ${change.id}` : `memory ${change.id} ("${preview(change.content)}")`;
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
