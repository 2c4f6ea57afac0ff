import { describe, expect, it } from "vitest";
import { BridgeError } from "../../src/errors.js";
import {
  AuthError,
  CancelledError,
  DeadlineError,
  RateLimitedError,
  RedirectError,
  ResponseFormatError,
  ServerError,
  TlsError,
  TransportError,
  UnreachableError,
} from "../../src/http/errors.js";
import { finalErrorFor } from "../../src/http/outcome.js";
import { followRedirect } from "../../src/http/redirect.js";
import { SecretRedactor } from "../../src/credentials/redact.js";
import { extractServerReason } from "../../src/http/server-reason.js";

const endpoint = "https://mem.example.com/api";
const base = { endpoint, attempts: 1, maybeSent: false };

describe("error messages", () => {
  it("401 invalid_token names the code and the login command", () => {
    const err = new AuthError({ ...base, status: 401, code: "invalid_token", tokenSent: true });
    expect(err.message).toBe(
      "Authentication failed (401) at https://mem.example.com/api: the server rejected the token (invalid_token). Run: npx mcp-memory-bridge login https://mem.example.com/api",
    );
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err.name).toBe("AuthError");
  });

  it("401 without a token says none is configured", () => {
    const err = new AuthError({ ...base, status: 401, code: "authorization_required", tokenSent: false });
    expect(err.message).toMatch(/no token is configured/);
    expect(err.message).toContain(`login ${endpoint}`);
  });

  it("401 with a plain reason quotes it without its full stop", () => {
    const err = new AuthError({ ...base, status: 401, serverReason: "Invalid API key.", tokenSent: true });
    expect(err.message).toContain("rejected the token (Invalid API key)");
  });

  it("403 says the token lacks the scope", () => {
    const err = new AuthError({ ...base, status: 403, code: "insufficient_scope", tokenSent: true });
    expect(err.message).toMatch(/^Access denied \(403\).*lacks the scope.*\(insufficient_scope\).*login https/);
  });

  it("unreachable says what happened, how often, and what to run", () => {
    const err = new UnreachableError({ ...base, attempts: 4, causeCode: "ECONNREFUSED" });
    expect(err.message).toBe(
      "Cannot reach the memory server at https://mem.example.com/api (connection refused) after 4 attempts. Check that it is running and that the URL is right, or run: npx mcp-memory-bridge doctor",
    );
    expect(new UnreachableError({ ...base, causeCode: "UND_ERR_SOCKET" }).message).toMatch(/^Lost the connection .* after 1 attempt\./);
  });

  it("deadline names the budget and how to raise it", () => {
    const err = new DeadlineError({ ...base, timeoutMs: 15000 });
    expect(err.message).toMatch(/15000 ms/);
    expect(err.message).toMatch(/--timeout/);
    expect(err.message).toMatch(/MEMORY_BRIDGE_TIMEOUT_MS/);
  });

  it("server error quotes the server's detail", () => {
    const err = new ServerError({ ...base, status: 500, detail: "Failed to store memory. Please try again." });
    expect(err.message).toBe(
      "The memory server at https://mem.example.com/api failed (500): Failed to store memory. Please try again.",
    );
    expect(new ServerError({ ...base, attempts: 4, status: 502 }).message).toMatch(/failed \(502\) after 4 attempts; try again later/);
  });

  it("server error names the server's request id in the same sentence", () => {
    const err = new ServerError({ ...base, attempts: 4, status: 502, detail: "Upstream provider error.", requestId: "1a2b3c4d" });
    expect(err.message).toBe("The memory server at https://mem.example.com/api failed (502, request id 1a2b3c4d) after 4 attempts: Upstream provider error.");
  });

  it("rate limited mentions the wait", () => {
    expect(new RateLimitedError({ ...base, retryAfterMs: 60000 }).message).toMatch(/\(429\).*wait 60 s/);
  });

  it("TLS mentions the cause and --ca-file", () => {
    const err = new TlsError({ ...base, causeCode: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(err.message).toMatch(/self-signed certificate/);
    expect(err.message).toMatch(/--ca-file PATH \(MEMORY_BRIDGE_CA_FILE\)/);
  });

  it("format error hints at /api", () => {
    const err = new ResponseFormatError({ ...base, method: "GET", path: "/health", contentType: "text/html" });
    expect(err.message).toMatch(/not JSON \(text\/html\).*ends in \/api/);
  });

  it("redirect and cancel read as one sentence each", () => {
    const cross = new RedirectError({ ...base, problem: { kind: "cross-origin", targetOrigin: "https://evil.example" } });
    expect(cross.message).toMatch(/another origin \(https:\/\/evil.example\)/);
    expect(new RedirectError({ ...base, problem: { kind: "too-many", limit: 3 } }).message).toMatch(/more than 3 times/);
    expect(new CancelledError(base).message).toMatch(/cancelled by the client/);
  });
});

describe("finalErrorFor: the request id of a 5xx", () => {
  const ctx = { endpoint, redactor: new SecretRedactor() };
  const failure = { kind: "status" as const, status: 502 };
  const answer = (headers: Record<string, string>, body: unknown) => ({ status: 502, headers, text: JSON.stringify(body) });

  it("comes from X-Request-ID, else from the body's request_id", () => {
    const fromHeader = finalErrorFor(ctx, failure, answer({ "x-request-id": "abc12345" }, { detail: "x", request_id: "other" }), 1, true, undefined, 0);
    expect((fromHeader as ServerError).requestId).toBe("abc12345");
    const fromBody = finalErrorFor(ctx, failure, answer({}, { detail: "Upstream provider error.", code: "unknown", request_id: "deadbeef" }), 1, true, undefined, 0);
    expect((fromBody as ServerError).requestId).toBe("deadbeef");
    expect(fromBody.message).toContain("(502, request id deadbeef)");
  });

  it("is left out when it is not a plain token", () => {
    const odd = finalErrorFor(ctx, failure, answer({ "x-request-id": "has spaces; and more" }, {}), 1, true, undefined, 0);
    expect((odd as ServerError).requestId).toBeUndefined();
    expect(odd.message).toContain("failed (502)");
  });
});

describe("extractServerReason", () => {
  it("reads mcp-memory-service auth bodies", () => {
    expect(
      extractServerReason({ detail: { error: "invalid_token", error_description: "The access token is invalid" } }),
    ).toEqual({ code: "invalid_token", reason: "The access token is invalid" });
  });
  it("reads FastAPI detail strings and validation lists", () => {
    expect(extractServerReason({ detail: "Memory not found" })).toEqual({ reason: "Memory not found" });
    expect(extractServerReason({ detail: [{ msg: "field required" }, { msg: "too long" }] })).toEqual({
      reason: "field required; too long",
    });
  });
  it("reads mem0 platform error/details", () => {
    expect(extractServerReason({ error: "Invalid request", details: "user_id is required" })).toEqual({
      reason: "Invalid request: user_id is required",
    });
    expect(extractServerReason({ error: "rate_limited" })).toEqual({ code: "rate_limited" });
  });
  it("reads plain text but not HTML", () => {
    expect(extractServerReason("upstream  timed\nout")).toEqual({ reason: "upstream timed out" });
    expect(extractServerReason("<html><body>502 Bad Gateway</body></html>")).toEqual({});
    expect(extractServerReason(undefined)).toEqual({});
  });
  it("truncates long reasons and redacts secrets", () => {
    const long = extractServerReason({ detail: "x".repeat(1000) });
    expect(long.reason!.length).toBeLessThanOrEqual(200);
    expect(long.reason!.endsWith("…")).toBe(true);
    const redactor = new SecretRedactor(["m0sk_abcdef123"]);
    const redact = (text: string) => redactor.redact(text);
    expect(extractServerReason({ detail: "Invalid API key: m0sk_abcdef123" }, redact).reason).toBe("Invalid API key: [redacted]");
  });

  it("redacts before cutting: a token that straddles the cut leaves no piece behind", () => {
    const token = "tok_0123456789abcdefXYZ";
    const redact = (text: string) => new SecretRedactor([token]).redact(text);
    for (const at of [150, 185, 190, 195, 199, 210]) {
      const reason = extractServerReason({ detail: `${"w".repeat(at)}${token} and more text after it` }, redact).reason!;
      expect(reason.length).toBeLessThanOrEqual(200);
      for (let i = 0; i + 8 <= token.length; i++) expect(reason).not.toContain(token.slice(i, i + 8));
    }
  });

  it("drops a code that is the token, and redacts its escaped and lower-cased forms in the reason", () => {
    const token = 'Ab"c\\dEf-123456';
    const redact = (text: string) => new SecretRedactor([token]).redact(text);
    expect(extractServerReason({ error: "Abcdef123456" }, (t) => new SecretRedactor(["Abcdef123456"]).redact(t))).toEqual({});
    const reason = extractServerReason({ detail: `got ${JSON.stringify(token)} and ${token.toLowerCase()}` }, redact).reason;
    expect(reason).toBe('got "[redacted]" and [redacted]');
  });
});

describe("followRedirect", () => {
  const origin = "https://mem.example.com";
  const post = { method: "POST", path: "/api/memories", body: "{}" };

  it("follows same-origin Locations, relative or absolute", () => {
    expect(followRedirect(origin, post, 307, "/api/v2/memories?x=1", 0)).toEqual({
      method: "POST",
      path: "/api/v2/memories?x=1",
      body: "{}",
    });
    expect(followRedirect(origin, post, 308, "https://MEM.example.com:443/b", 0)).toMatchObject({ path: "/b" });
    expect(followRedirect(origin, post, 301, "memories/", 0)).toMatchObject({ method: "POST", path: "/api/memories/" });
  });
  it("turns 303 into a body-less GET", () => {
    expect(followRedirect(origin, post, 303, "/api/result", 0)).toEqual({ method: "GET", path: "/api/result", body: undefined });
  });
  it("refuses other origins, including a downgrade to http", () => {
    expect(followRedirect(origin, post, 302, "https://other.example/api", 0)).toEqual({
      kind: "cross-origin",
      targetOrigin: "https://other.example",
    });
    expect(followRedirect(origin, post, 302, "http://mem.example.com/api", 0)).toMatchObject({ kind: "cross-origin" });
  });
  it("stops after three redirects and without a Location", () => {
    expect(followRedirect(origin, post, 302, "/x", 3)).toEqual({ kind: "too-many", limit: 3 });
    expect(followRedirect(origin, post, 302, undefined, 0)).toEqual({ kind: "no-location", status: 302 });
  });
});
