import { describe, expect, it } from "vitest";
import { classifyNetworkError } from "../../src/http/network-failure.js";
import { backoffDelay, isRetryable, mayHaveBeenProcessed, parseRetryAfter, type AttemptFailure } from "../../src/http/retry.js";

const connect: AttemptFailure = { kind: "connect", code: "ECONNREFUSED" };
const reset: AttemptFailure = { kind: "network", code: "ECONNRESET" };
const timeout: AttemptFailure = { kind: "timeout", code: "UND_ERR_HEADERS_TIMEOUT" };
const tls: AttemptFailure = { kind: "tls", code: "DEPTH_ZERO_SELF_SIGNED_CERT" };
const other: AttemptFailure = { kind: "other", code: "UND_ERR_INVALID_ARG" };
const status = (s: number): AttemptFailure => ({ kind: "status", status: s });

describe("isRetryable", () => {
  it("retries every transient failure of an idempotent call", () => {
    for (const f of [connect, reset, timeout, status(429), status(502), status(503), status(504)]) {
      expect(isRetryable(f, "idempotent")).toBe(true);
    }
  });

  it("retries an unsent-only call only when the server cannot have processed it", () => {
    for (const f of [connect, status(429), status(503)]) expect(isRetryable(f, "unsent-only")).toBe(true);
    for (const f of [reset, timeout, status(502), status(504)]) expect(isRetryable(f, "unsent-only")).toBe(false);
  });

  it("never retries TLS failures, unknown errors, 500 or 4xx", () => {
    for (const retry of ["idempotent", "unsent-only"] as const) {
      for (const f of [tls, other, status(500), status(501), status(400), status(401), status(403), status(404), status(422)]) {
        expect(isRetryable(f, retry)).toBe(false);
      }
    }
  });
});

describe("mayHaveBeenProcessed", () => {
  it("is false when the request never left or was refused unprocessed", () => {
    for (const f of [connect, tls, status(401), status(403), status(429), status(503)]) {
      expect(mayHaveBeenProcessed(f)).toBe(false);
    }
  });
  it("is true when the server may have acted", () => {
    for (const f of [reset, timeout, other, status(500), status(502), status(504)]) {
      expect(mayHaveBeenProcessed(f)).toBe(true);
    }
  });
});

describe("backoffDelay", () => {
  it("is 0 with random() = 0", () => {
    for (let attempt = 1; attempt <= 8; attempt++) expect(backoffDelay(attempt, () => 0)).toBe(0);
  });

  it("stays just under base·2^(attempt-1), capped at 2 s, with random() = 0.999", () => {
    const high = () => 0.999;
    expect(backoffDelay(1, high)).toBe(99);
    expect(backoffDelay(2, high)).toBe(199);
    expect(backoffDelay(3, high)).toBe(399);
    expect(backoffDelay(4, high)).toBe(799);
    expect(backoffDelay(5, high)).toBe(1598);
    expect(backoffDelay(6, high)).toBe(1998);
    expect(backoffDelay(30, high)).toBe(1998);
  });

  it("takes base and cap", () => {
    expect(backoffDelay(3, () => 0.5, { baseMs: 10, capMs: 1000 })).toBe(20);
    expect(backoffDelay(20, () => 0.5, { baseMs: 10, capMs: 1000 })).toBe(500);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-06-01T12:00:00Z");

  it("reads delta-seconds", () => {
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfter(["2", "9"], now)).toBe(2000);
  });

  it("reads an HTTP-date relative to now", () => {
    expect(parseRetryAfter("Sun, 01 Jun 2025 12:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Sunday, 01-Jun-25 12:01:00 GMT", now)).toBe(60_000);
  });

  it("treats a date in the past as no wait", () => {
    expect(parseRetryAfter("Sun, 01 Jun 2025 11:00:00 GMT", now)).toBe(0);
  });

  it("ignores absent or invalid values", () => {
    for (const v of [undefined, "", "soon", "-1", "1.5", "12abc", []]) expect(parseRetryAfter(v, now)).toBeUndefined();
  });
});

describe("classifyNetworkError", () => {
  const err = (code: string) => Object.assign(new Error(code), { code });

  it("knows connect failures, resets, timeouts and TLS failures", () => {
    expect(classifyNetworkError(err("ECONNREFUSED"))).toEqual({ kind: "connect", code: "ECONNREFUSED" });
    expect(classifyNetworkError(err("ENOTFOUND")).kind).toBe("connect");
    expect(classifyNetworkError(err("UND_ERR_CONNECT_TIMEOUT")).kind).toBe("connect");
    expect(classifyNetworkError(err("ECONNRESET")).kind).toBe("network");
    expect(classifyNetworkError(err("UND_ERR_SOCKET")).kind).toBe("network");
    expect(classifyNetworkError(err("UND_ERR_HEADERS_TIMEOUT")).kind).toBe("timeout");
    expect(classifyNetworkError(err("DEPTH_ZERO_SELF_SIGNED_CERT")).kind).toBe("tls");
    expect(classifyNetworkError(err("ERR_TLS_CERT_ALTNAME_INVALID")).kind).toBe("tls");
    expect(classifyNetworkError(err("ERR_SSL_WRONG_VERSION_NUMBER")).kind).toBe("tls");
  });

  it("looks inside an AggregateError from happy-eyeballs connects", () => {
    const agg = new AggregateError([err("ECONNREFUSED"), err("ECONNREFUSED")], "all failed");
    expect(classifyNetworkError(agg)).toEqual({ kind: "connect", code: "ECONNREFUSED" });
  });

  it("calls anything else other", () => {
    expect(classifyNetworkError(new Error("boom")).kind).toBe("other");
    expect(classifyNetworkError("weird").kind).toBe("other");
  });
});
