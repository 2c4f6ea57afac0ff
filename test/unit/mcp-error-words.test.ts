/**
 * The sentences a person or a model reads for a failure, written at the edge from each error's
 * code and facts (lower layers state only the facts). Moved here with the words from the tests of
 * http/errors, http/url and the keychain problems.
 */
import { describe, expect, it } from "vitest";
import { catchError } from "../helpers/catch-error.js";
import {
  AmbiguousStoreError,
  InvalidMemoryIdError,
  InvalidUserIdError,
  InvalidUuidError,
  KeyUserMismatchError,
  NotAJwtError,
  NothingStoredError,
  OtherUserMemoryError,
  StoreFailedError,
  UnsupportedArgumentError,
} from "../../src/backends/errors.js";
import { canonicalEndpoint } from "../../src/core/endpoint.js";
import { keychainProblem } from "../../src/credentials/keychain-problem.js";
import {
  AuthError,
  CancelledError,
  DeadlineError,
  RateLimitedError,
  RedirectError,
  ResponseFormatError,
  ServerError,
  TlsError,
  UnreachableError,
} from "../../src/http/errors.js";
import { assertTransportAllowed } from "../../src/http/url.js";
import { explain } from "../../src/mcp/error-words.js";
import { keychainWords } from "../../src/mcp/keychain-words.js";
import { WORDS } from "../helpers/words.js";

const endpoint = "https://mem.example.com/api";
const base = { endpoint, attempts: 1, maybeSent: false };
const WAYS_OUT = /--insecure-storage.*MEMORY_BRIDGE_TOKEN/;

describe("error messages", () => {
  it("401 invalid_token names the code and the login command", () => {
    const err = new AuthError({ ...base, status: 401, serverCode: "invalid_token", tokenSent: true });
    expect(explain(err, WORDS)).toBe(
      "Authentication failed (401) at https://mem.example.com/api: the server rejected the token (invalid_token). Run: npx mcp-memory-bridge login https://mem.example.com/api",
    );
  });

  it("a rejected token from the environment names the variable, not login", () => {
    const err = new AuthError({ ...base, status: 401, serverCode: "invalid_token", tokenSent: true });
    const words = explain(err, { ...WORDS, tokenVariable: "MCP_MEMORY_API_KEY" });
    expect(words).toMatch(/rejected the token \(invalid_token\); the token comes from MCP_MEMORY_API_KEY, which wins over any stored token/);
    expect(words).toContain("`unset MCP_MEMORY_API_KEY`");
    expect(words).not.toContain("Run:");
    const scope = new AuthError({ ...base, status: 403, serverCode: "insufficient_scope", tokenSent: true });
    expect(explain(scope, { ...WORDS, tokenVariable: "MEMORY_BRIDGE_TOKEN" })).toMatch(/comes from MEMORY_BRIDGE_TOKEN/);
    const missing = new AuthError({ ...base, status: 401, serverCode: "authorization_required", tokenSent: false });
    expect(explain(missing, { ...WORDS, tokenVariable: "MEMORY_BRIDGE_TOKEN" })).toContain(`Run: npx mcp-memory-bridge login ${endpoint}`);
  });

  it("401 without a token says none is configured", () => {
    const err = new AuthError({ ...base, status: 401, serverCode: "authorization_required", tokenSent: false });
    expect(explain(err, WORDS)).toMatch(/no token is configured/);
    expect(explain(err, WORDS)).toContain(`login ${endpoint}`);
  });

  it("401 with a plain reason quotes it without its full stop", () => {
    const err = new AuthError({ ...base, status: 401, serverReason: "Invalid API key.", tokenSent: true });
    expect(explain(err, WORDS)).toContain("rejected the token (Invalid API key)");
  });

  it("403 says the token lacks the scope", () => {
    const err = new AuthError({ ...base, status: 403, serverCode: "insufficient_scope", tokenSent: true });
    expect(explain(err, WORDS)).toMatch(/^Access denied \(403\).*lacks the scope.*\(insufficient_scope\).*login https/);
  });

  it("unreachable says what happened, how often, and what to run", () => {
    const err = new UnreachableError({ ...base, attempts: 4, causeCode: "ECONNREFUSED" });
    expect(explain(err, WORDS)).toBe(
      "Cannot reach the memory server at https://mem.example.com/api (connection refused) after 4 attempts. Check that it is running and that the URL is right, or run: npx mcp-memory-bridge doctor",
    );
    expect(explain(new UnreachableError({ ...base, causeCode: "UND_ERR_SOCKET" }), WORDS)).toMatch(/^Lost the connection .* after 1 attempt\./);
  });

  it("deadline names the budget and how to raise it", () => {
    const err = new DeadlineError({ ...base, timeoutMs: 15000 });
    expect(explain(err, WORDS)).toMatch(/15000 ms/);
    expect(explain(err, WORDS)).toMatch(/--timeout/);
    expect(explain(err, WORDS)).toMatch(/MEMORY_BRIDGE_TIMEOUT_MS/);
  });

  it("server error quotes the server's detail", () => {
    const err = new ServerError({ ...base, status: 500, detail: "Failed to store memory. Please try again." });
    expect(explain(err, WORDS)).toBe(
      "The memory server at https://mem.example.com/api failed (500): Failed to store memory. Please try again.",
    );
    expect(explain(new ServerError({ ...base, attempts: 4, status: 502 }), WORDS)).toMatch(/failed \(502\) after 4 attempts; try again later/);
  });

  it("rate limited mentions the wait", () => {
    expect(explain(new RateLimitedError({ ...base, retryAfterMs: 60000 }), WORDS)).toMatch(/\(429\).*wait 60 s/);
  });

  it("TLS mentions the cause and --ca-file", () => {
    const err = new TlsError({ ...base, causeCode: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(explain(err, WORDS)).toMatch(/self-signed certificate/);
    expect(explain(err, WORDS)).toMatch(/--ca-file PATH \(MEMORY_BRIDGE_CA_FILE\)/);
  });

  it("format error hints at /api", () => {
    const err = new ResponseFormatError({ ...base, method: "GET", path: "/health", contentType: "text/html" });
    expect(explain(err, WORDS)).toMatch(/not JSON \(text\/html\).*ends in \/api/);
  });

  it("redirect and cancel read as one sentence each", () => {
    const cross = new RedirectError({ ...base, problem: { kind: "cross-origin", targetOrigin: "https://evil.example" } });
    expect(explain(cross, WORDS)).toMatch(/another origin \(https:\/\/evil.example\)/);
    expect(explain(new RedirectError({ ...base, problem: { kind: "too-many", limit: 3 } }), WORDS)).toMatch(/more than 3 times/);
    expect(explain(new CancelledError(base), WORDS)).toMatch(/cancelled by the client/);
  });
});

describe("endpoint and transport words", () => {
  it.each(["", "not a url", "mem.example.com/api", "http://", "https://exa mple.com", "http://[::1/api"])(
    "the malformed %j gets a sentence naming https://",
    (input) => {
      expect(explain(catchError(() => canonicalEndpoint(input)), WORDS)).toMatch(/https:\/\//);
    },
  );

  it.each(["http://10.0.0.1:8000/api", "http://mem.example.com/api", "http://192.168.1.5:8000"])(
    "plain http to %s is refused with a way out",
    (url) => {
      const words = explain(catchError(() => assertTransportAllowed(url, false)), WORDS);
      expect(words).toContain("--allow-http");
      expect(words).toContain("MEMORY_BRIDGE_ALLOW_HTTP=1");
    },
  );

  it("doctor's words for an unreachable server do not suggest running doctor", () => {
    const err = new UnreachableError({ ...base, attempts: 4, causeCode: "ECONNREFUSED" });
    expect(explain(err, { ...WORDS, inDoctor: true })).toBe(
      "Cannot reach the memory server at https://mem.example.com/api (connection refused) after 4 attempts. Check that it is running and that the URL is right.",
    );
  });
});

describe("backend words", () => {
  it("name the tools to use next", () => {
    expect(explain(new InvalidMemoryIdError("../x"), WORDS)).toBe(
      'Invalid id "../x": a memory id on mcp-memory-service is 64 hexadecimal characters (the id that store_memory, search_memories and list_memories return).',
    );
    expect(explain(new UnsupportedArgumentError("mcp-memory-service", "content", "a memory's id is the hash of its content.", "content-immutable"), WORDS)).toBe(
      "The mcp-memory-service backend cannot accept `content` here: a memory's id is the hash of its content. Store the new text with store_memory and delete the old memory instead.",
    );
  });

  it("an ambiguous store carries its failure's words, advice included", () => {
    const failure = new DeadlineError({ ...base, attempts: 2, maybeSent: true, timeoutMs: 500 });
    const err = new AmbiguousStoreError(endpoint, failure, true);
    expect(err.message).not.toContain("--timeout");
    expect(explain(err, WORDS)).toBe(
      `The memory may or may not have been stored: the memory server at ${endpoint} did not answer within the 500 ms deadline (2 attempts); raise it with --timeout MS (MEMORY_BRIDGE_TIMEOUT_MS) or check why the server is slow. Storing it again is safe (${endpoint} deduplicates identical content).`,
    );
  });
});

describe("keychain words", () => {
  it("every message is one sentence with the ways out", () => {
    const kinds = ["module-missing", "no-dbus", "no-secret-service", "locked", "access-denied", "other"] as const;
    for (const platform of ["linux", "darwin", "win32"] as const) {
      for (const kind of kinds) {
        const message = keychainWords(keychainProblem(kind, "detail", platform), WORDS);
        expect(message).toMatch(WAYS_OUT);
        expect(message.endsWith(".")).toBe(true);
        expect(message.slice(0, -1)).not.toMatch(/\.\s/);
      }
    }
    expect(keychainWords(keychainProblem("no-dbus", "d", "linux"), WORDS)).toContain("`gnome-keyring-daemon --unlock --components=secrets` inside `dbus-run-session`");
    expect(keychainWords(keychainProblem("locked", "d", "darwin"), WORDS)).toContain("unlock the macOS Keychain");
    expect(keychainWords(keychainProblem("access-denied", "d", "win32"), WORDS)).toContain("Windows Credential Manager");
  });
});

describe("the mem0 backends' failures", () => {
  it("a key of another user tells which user to set", () => {
    expect(explain(new KeyUserMismatchError("http://127.0.0.1:8000", "alice", "bob"), WORDS)).toMatch(/^This key belongs to 'alice': set --user-id alice /);
  });

  it("a 403 \"Not authenticated\" (FastAPI, no key header) says to log in, and to check the scheme when a token was sent", () => {
    const init = { endpoint: "http://127.0.0.1:8000", attempts: 1, maybeSent: false, status: 403, serverReason: "Not authenticated" };
    expect(explain(new AuthError({ ...init, tokenSent: false }), WORDS)).toBe(
      "Authentication required (403) at http://127.0.0.1:8000: no token is configured for this endpoint, so none was sent (Not authenticated). Run: npx mcp-memory-bridge login http://127.0.0.1:8000",
    );
    expect(explain(new AuthError({ ...init, tokenSent: true }), WORDS)).toContain("did not find a token it accepts in the request (Not authenticated); check --auth-scheme");
  });

  it("nothing stored says why and what to do", () => {
    const text = explain(new NothingStoredError("mem0", true), WORDS);
    expect(text).toMatch(/^Nothing was stored: mem0 reads the text with its language model/);
    expect(text).toContain("--mem0-infer=false");
    expect(explain(new NothingStoredError("mem0", false), WORDS)).toMatch(/without creating a memory\. Try again/);
  });

  it("every other mem0 failure gets its advice", () => {
    expect(explain(new StoreFailedError("the mem0 platform", "evt-1", "LLM timeout."), WORDS)).toBe(
      "Nothing was stored: the mem0 platform could not process the memory (event evt-1: LLM timeout). Try again; if it keeps failing, look the event up in the mem0 dashboard.",
    );
    expect(explain(new InvalidUserIdError("Jane Doe", "mem0"), WORDS)).toContain('e.g. "Jane-Doe"');
    expect(explain(new InvalidUuidError("abc", "mem0"), WORDS)).toMatch(/is a UUID, such as [0-9a-f-]+ \(the id that store_memory, search_memories and list_memories return\)\.$/);
    expect(explain(new OtherUserMemoryError("m1"), WORDS)).toBe("Memory m1 belongs to another user: the bridge touches only the configured user's memories.");
    expect(explain(new NotAJwtError(true), WORDS)).toContain("drop --auth-scheme bearer");
  });
});
