import { AmbiguousStoreError, InvalidUserIdError, KeyUserMismatchError, NothingStoredError } from "../backends/errors.js";
import { BridgeError } from "../core/errors.js";
import { KeychainError } from "../credentials/keychain-problem.js";
import { RateLimitedError, ResponseTooLargeError, ServerError, TransportError } from "../http/errors.js";
import { keychainWords } from "./keychain-words.js";

/**
 * The sentence a person (or a model) reads for a failure: the lower layer's statement of what
 * happened, followed by what to do about it — the commands, flags and tools to use, which only
 * this edge knows. Used for tool results and by every command.
 */


export interface ExplainOptions {
  /** How to name this command so that what is printed runs as printed (invocationOf(ctx).name, Session.commandName). */
  command: string;
  /** doctor is what is running: do not suggest running it. */
  inDoctor?: boolean;
  /** The environment variable the token came from (MEMORY_BRIDGE_TOKEN, MCP_MEMORY_API_KEY): it wins over login, so login is no fix. */
  tokenVariable?: string | undefined;
}

/** A token from the environment wins over a stored one: the fix is the variable, not another login. */
function fixTheVariable(variable: string): string {
  return (
    `; the token comes from ${variable}, which wins over any stored token, so logging in again cannot help: ` +
    `fix its value where it is set (the MCP client's config or your shell), or unset it (\`unset ${variable}\`) to use the token \`login\` stores.`
  );
}

export function explain(error: unknown, options: ExplainOptions): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof AmbiguousStoreError) return error.sentence(explain(error.failure, options));
  if (error instanceof KeychainError) return keychainWords(error.problem, { command: options.command });
  if (error instanceof KeyUserMismatchError) {
    return `This key belongs to '${error.keyUser}': set --user-id ${error.keyUser} (MEMORY_BRIDGE_USER_ID=${error.keyUser}), or log in with ${error.configuredUser}'s own key. (${error.message})`;
  }
  if (error instanceof ResponseTooLargeError) {
    return withAdvice(
      error.sentence(" (--max-response-bytes, MEMORY_BRIDGE_MAX_RESPONSE_BYTES)"),
      "; ask for fewer or smaller results (a lower limit or page_size), or raise the limit if the server is trusted.",
    );
  }
  const next = error instanceof BridgeError ? whatToDo(error, options) : undefined;
  return next === undefined ? error.message : withAdvice(error.message, next);
}

/** What to do next, or undefined when the fact says it all. */
function whatToDo(error: BridgeError, options: ExplainOptions): string | undefined {
  const CLI = options.command;
  const LOG_IN_AGAIN = `delete it and run \`${CLI} login --insecure-storage\` again (or use the keychain)`;
  const login = error instanceof TransportError ? `Run: ${CLI} login ${error.endpoint}` : "";
  if (options.tokenVariable !== undefined && (error.code === "auth-scope" || error.code === "auth-rejected" || error.code === "auth-not-found")) {
    return fixTheVariable(options.tokenVariable);
  }
  const orDoctor = options.inDoctor ? "." : `, or run: ${CLI} doctor`;
  switch (error.code) {
    case "auth-scope":
      return `; log in with a token that has it. ${login}`;
    case "auth-missing":
    case "auth-rejected":
      return login;
    case "auth-not-found":
      return `; check --auth-scheme, or log in again. ${login}`;
    case "unreachable":
      return `Check that it is running and that the URL is right${orDoctor}`;
    case "connection-lost":
      return `Check the server's logs and the network${orDoctor}`;
    case "deadline":
      return "; raise it with --timeout MS (MEMORY_BRIDGE_TIMEOUT_MS) or check why the server is slow.";
    case "server-failed":
      return error instanceof ServerError && error.detail === undefined ? "; try again later or check the server's logs." : undefined;
    case "rate-limited": {
      const ms = error instanceof RateLimitedError ? error.retryAfterMs : undefined;
      return `; ${ms === undefined ? "wait a moment" : `wait ${Math.max(1, Math.ceil(ms / 1000))} s`} and try again.`;
    }
    case "not-json":
      return "; check that the endpoint URL is right (mcp-memory-service's base URL ends in /api).";
    case "redirect-cross-origin":
    case "redirect-too-many":
      return "; set the endpoint to the final URL instead.";
    case "redirect-no-location":
      return "; check that the endpoint URL is right.";
    case "tls-host-name":
      return "; use the host name the certificate was issued for in the endpoint URL.";
    case "tls-handshake":
      return "; check that the server speaks HTTPS on that port, or use http:// for a local server.";
    case "tls-certificate":
      return "; if the server uses a private or self-signed CA, pass its certificate with --ca-file PATH (MEMORY_BRIDGE_CA_FILE).";
    case "cancelled":
      return "; run the tool again if that was not intended.";
    case "insecure-endpoint":
      return "; use https://, or pass --allow-http (MEMORY_BRIDGE_ALLOW_HTTP=1) if you trust this network.";
    case "invalid-endpoint":
      return "; give the server's full base URL, e.g. https://mem.example.com/api.";
    case "ca-file":
      return "; check the path given to --ca-file (MEMORY_BRIDGE_CA_FILE).";
    case "token-file-invalid":
      return `; fix it or delete it and run \`${CLI} login\` again.`;
    case "token-file-symlink":
      return `; replace it with the file itself, or ${LOG_IN_AGAIN}.`;
    case "token-file-not-regular":
    case "token-file-too-large":
      return `; ${LOG_IN_AGAIN}.`;
    case "token-file-timeout":
      return `; check the file system it is on, or ${LOG_IN_AGAIN}.`;
    case "content-immutable":
      return "Store the new text with store_memory and delete the old memory instead.";
    case "duplicate-elsewhere":
      return 'Reword it to store it in this project, or use search_memories with scope "all" to find the existing one.';
    case "not-found":
      return "; it may have been deleted, or the id may be mistyped: find the right id with search_memories (by its text) or list_memories.";
    case "invalid-id":
      return " (the id that store_memory, search_memories and list_memories return).";
    case "unconfirmed-duplicate":
      return "Search for the text with search_memories before storing it again.";
    case "unexpected-response":
      return "; check that the endpoint and --backend are right.";
    case "no-server-found":
      return `To use a server, run: ${CLI} login <URL> (or ${CLI} setup), or set MEMORY_BRIDGE_ENDPOINT in the client's config; ${CLI} discover lists what it can find.`;
    case "nothing-stored":
      return error instanceof NothingStoredError && error.inferred
        ? "Write it as a self-contained statement of fact, check with search_memories whether it is already stored, or store texts verbatim with --mem0-infer=false (MEMORY_BRIDGE_MEM0_INFER=0)."
        : "Try again, and check the server's logs if it keeps happening.";
    case "store-failed":
      return "Try again; if it keeps failing, look the event up in the mem0 dashboard.";
    case "not-a-jwt":
      return "Send API keys as X-API-Key: drop --auth-scheme bearer (X-API-Key is mem0's default). Bearer JWTs of mem0's server expire after 30 minutes; its m0sk_ API keys do not.";
    case "invalid-user-id": {
      const example = error instanceof InvalidUserIdError ? error.userId.trim().replace(/\s+/g, "-") : "";
      return `Set --user-id (MEMORY_BRIDGE_USER_ID) to an id without spaces, e.g. ${JSON.stringify(example || "me")}.`;
    }
    case "other-user":
      return ": the bridge touches only the configured user's memories.";
    default:
      return undefined;
  }
}

/**
 * The fact, then the advice: a new sentence after its full stop, or (advice starting with ";",
 * ":", "," or " (") carried on in place of it.
 */
function withAdvice(fact: string, advice: string): string {
  if (/^[;:,]| \(/.test(advice)) return fact.replace(/[.\s]+$/, "") + advice;
  return `${fact} ${advice}`;
}
