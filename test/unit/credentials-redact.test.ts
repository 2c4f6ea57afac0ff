import { describe, expect, it } from "vitest";
import { isSensitiveKey, redactAuthPatterns, redactText, SecretRedactor } from "../../src/core/secrets.js";

describe("isSensitiveKey", () => {
  it.each(["authorization", "Authorization", "proxy-authorization", "x-api-key", "X-Api-Key", "api_key", "apiKey", "token", "access_token", "refreshToken", "password", "passwd", "client_secret", "cookie", "Set-Cookie", "credentials"])(
    "%s is sensitive",
    (name) => expect(isSensitiveKey(name)).toBe(true),
  );
  it.each(["tokenSource", "maxTokens", "endpoint", "auth_scheme", "user_id", "tokens_used"])("%s is not", (name) =>
    expect(isSensitiveKey(name)).toBe(false),
  );
});

describe("redactAuthPatterns", () => {
  it.each([
    ["Authorization: Bearer abc.def", "Authorization: Bearer [redacted]"],
    ['{"authorization":"Token m0-xyz"}', '{"authorization":"Token [redacted]"}'],
    ["X-API-Key: secret123", "X-API-Key: [redacted]"],
    ["api_key=abc&x=1", "api_key=[redacted]&x=1"],
    ["Proxy-Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: Basic [redacted]"],
    ["got Bearer eyJhbGciOiJIUzI1NiJ9 back", "got Bearer [redacted] back"],
    ["Token m0-abcdef1234 rejected", "Token [redacted] rejected"],
  ])("%s", (input, output) => expect(redactAuthPatterns(input)).toBe(output));

  it.each(["Token accepted by the server", "using the bearer scheme", "auth scheme bearer for mem0", "Token missing"])(
    "leaves prose alone: %s",
    (text) => expect(redactAuthPatterns(text)).toBe(text),
  );
});

describe("SecretRedactor", () => {
  it("replaces the longest secret first", () => {
    const redactor = new SecretRedactor(["abcdefgh", "abcdefgh-ijkl"]);
    expect(redactor.redact("x abcdefgh-ijkl y")).toBe("x [redacted] y");
  });

  it("escapes regular-expression characters", () => {
    const redactor = new SecretRedactor(["a.b*c+d?e(f)"]);
    expect(redactor.redact("1 a.b*c+d?e(f) 2 aXbbcdde(f)")).toBe("1 [redacted] 2 aXbbcdde(f)");
  });

  it("counts distinct non-empty secrets", () => {
    const redactor = new SecretRedactor(["", " x1 ", "x1"]);
    expect(redactor.size).toBe(1);
  });

  it("combines with the patterns in redactText", () => {
    expect(redactText("Authorization: Bearer zz and long-secret-1", new SecretRedactor(["long-secret-1"]))).toBe(
      "Authorization: Bearer [redacted] and [redacted]",
    );
  });
});
