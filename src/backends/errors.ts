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
