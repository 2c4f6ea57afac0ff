/** What every redacted value or secret occurrence is replaced with. */
export const REDACTED = "[redacted]";

// Suffixes of field names that hold credentials, compared after lower-casing and removing
// "-", "_" and ".": authorization, proxy-authorization, x-api-key, api_key, accessToken, token,
// password, client_secret, cookie, set-cookie… Suffixes, not substrings, so `tokenSource` or
// `maxTokens` stay readable.
const SENSITIVE_SUFFIXES = ["authorization", "apikey", "token", "password", "passwd", "secret", "cookie", "credential", "credentials"];

export function isSensitiveKey(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[-_.\s]/g, "");
  return SENSITIVE_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}

// `Authorization: Bearer abc`, `authorization=Token abc`, `"x-api-key": "abc"`: the value after a
// credential header name, with its scheme kept so the line still says which scheme was used.
const HEADER_VALUE =
  /\b(authorization|proxy-authorization|x-api-key|api[-_]?key)(["']?\s*[:=]\s*["']?)((?:bearer|token|basic)\s+)?[^\s"',;&}\]]+/gi;
// A bare `Bearer abc123…` / `Token abc123…`. Only token-like values (8+ characters with a digit or
// symbol, or 16+ letters), so prose such as "Token accepted" or "bearer scheme" is left alone.
const TOKEN_CHARS = "A-Za-z0-9\\-._~+/";
const SCHEME_VALUE = new RegExp(
  `\\b(bearer|token)(\\s+)(?:(?=[${TOKEN_CHARS}]*[0-9\\-._~+/])[${TOKEN_CHARS}]{8,}|[${TOKEN_CHARS}]{16,})=*`,
  "gi",
);

/** Redacts credential header values and `Bearer …`/`Token …` values written in free text. */
export function redactAuthPatterns(text: string): string {
  return text
    .replace(HEADER_VALUE, (_match, name: string, separator: string, scheme: string | undefined) => `${name}${separator}${scheme ?? ""}${REDACTED}`)
    .replace(SCHEME_VALUE, (_match, scheme: string, space: string) => `${scheme}${space}${REDACTED}`);
}

/**
 * Secrets shorter than this are redacted only where they stand alone (not inside a longer run of
 * token characters). Ignoring short secrets would leak them; replacing them everywhere would turn
 * a 1-character token into "[redacted]" after every matching letter of every line.
 */
export const SHORT_SECRET_LENGTH = 8;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The secrets registry: every token the bridge finds or is given is added to the one instance a
 * process shares (logger, HTTP client, tool results), and every text leaving the process passes
 * through redact(). One rule for all of them: SHORT_SECRET_LENGTH.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Ignores empty and blank values; the trimmed form is what gets registered. */
  add(secret: string): void {
    const trimmed = secret.trim();
    if (trimmed === "" || this.secrets.has(trimmed)) return;
    this.secrets.add(trimmed);
    this.pattern = undefined;
  }

  get size(): number {
    return this.secrets.size;
  }

  /** True when `text` contains any registered secret, however short (to drop a value rather than quote it). */
  mentions(text: string): boolean {
    for (const secret of this.secrets) if (text.includes(secret)) return true;
    return false;
  }

  redact(text: string): string {
    if (this.secrets.size === 0) return text;
    this.pattern ??= this.compile();
    return text.replace(this.pattern, REDACTED);
  }

  private compile(): RegExp {
    // Longest first, so a secret containing another is replaced whole.
    const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
    const long = sorted.filter((s) => s.length >= SHORT_SECRET_LENGTH).map(escapeRegExp);
    const short = sorted.filter((s) => s.length < SHORT_SECRET_LENGTH).map(escapeRegExp);
    const alternatives = [...long];
    if (short.length > 0) {
      alternatives.push(`(?<![${TOKEN_CHARS}])(?:${short.join("|")})(?![${TOKEN_CHARS}])`);
    }
    return new RegExp(alternatives.join("|"), "g");
  }
}

/** Both kinds of text redaction: registered secrets, then credential patterns. */
export function redactText(text: string, secrets?: SecretRedactor): string {
  return redactAuthPatterns(secrets ? secrets.redact(text) : text);
}
