import { describe, expect, it } from "vitest";
import { isSensitiveKey, quoteRedacted, redactAuthPatterns, redactText, SecretRedactor, secretForms } from "../../src/core/secrets.js";

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

describe("SecretRedactor: every form a server may echo", () => {
  const token = 'Hx7"Qv\\Lm2/Zp 9é';
  const redactor = new SecretRedactor([token]);

  it.each([
    ["as sent", token],
    ["JSON-escaped", JSON.stringify(token).slice(1, -1)],
    ["JSON-escaped with \\/", JSON.stringify(token).slice(1, -1).replace("/", "\\/")],
    ["ASCII-only JSON (Python)", JSON.stringify(token).slice(1, -1).replace("é", "\\u00e9")],
    ["percent-encoded", encodeURIComponent(token)],
    ["percent-encoded, lower-case hex", encodeURIComponent(token).toLowerCase()],
    ["form-encoded", encodeURIComponent(token).replace("%20", "+")],
    ["lower-cased", token.toLowerCase()],
    ["upper-cased", token.toUpperCase()],
  ])("%s", (_name, form) => {
    expect(redactor.redact(`before ${form} after`)).toBe("before [redacted] after");
  });

  it("lists each form once", () => {
    expect(secretForms("plainToken123")).toEqual(["plainToken123"]);
  });

  it("a short token is redacted where it stands alone, in any case, and left inside longer words", () => {
    const short = new SecretRedactor(["k3Y"]);
    expect(short.redact("key K3Y rejected; k3y. (k3Y) at k3y.example.com")).toBe("key [redacted] rejected; [redacted]. ([redacted]) at [redacted].example.com");
    expect(short.redact("mk3Yz k3Y9")).toBe("mk3Yz k3Y9");
  });

  it("redactCut drops the start of a token cut off at the end, and redacts whole ones", () => {
    const r = new SecretRedactor(["tok_0123456789abcdef"]);
    expect(r.redactCut("error: tok_0123456789abcdef and tok_0123456")).toBe("error: [redacted] and ");
    expect(r.redactCut("error: TOK_01")).toBe("error: ");
    expect(r.redactCut("error: nothing here")).toBe("error: nothing here");
  });
});

describe("quoteRedacted", () => {
  const redact = (text: string) => new SecretRedactor(["secret-token-42"]).redact(text);

  it("collapses whitespace, redacts, then cuts to the limit with an ellipsis", () => {
    expect(quoteRedacted("a  b\n c", redact, 10)).toBe("a b c");
    const quoted = quoteRedacted(`${"x".repeat(15)} secret-token-42 tail`, redact, 20);
    expect(quoted).toBe(`${"x".repeat(15)} [re…`);
    expect(quoted).toHaveLength(20);
  });

  it("never cuts a surrogate pair in half", () => {
    const quoted = quoteRedacted(`${"x".repeat(8)}😀😀😀`, (t) => t, 10);
    expect(quoted).toBe(`${"x".repeat(8)}…`);
  });
});
