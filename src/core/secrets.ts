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
 * The one threshold for short secrets. A secret this long or longer is replaced wherever it
 * occurs; a shorter one only where it stands alone (no letter or digit right before or after it):
 * replacing a 3-character token everywhere would garble every word that contains it, and ignoring
 * it would leak it. A bridge started with such a token warns that it is too short to be kept out
 * of every text.
 */
export const SHORT_SECRET_LENGTH = 8;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The forms a server may echo a secret back in: as sent, JSON-escaped (`"` and `\` escaped, also
 * with `/` as `\/`, also ASCII-only as Python writes it), and percent-encoded (also with `+` for a
 * space). Matching ignores case, which also covers a token lower-cased into a host name and
 * percent-encoding in either case.
 */
export function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = json.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const url = encodeURIComponent(secret);
  return [...new Set([secret, json, json.replaceAll("/", "\\/"), asciiJson, url, url.replaceAll("%20", "+")])];
}

/**
 * The secrets registry: every token the bridge finds or is given is added to the one instance a
 * process shares (logger, HTTP client, tool results), and every text leaving the process passes
 * through redact(). One rule for all of them: SHORT_SECRET_LENGTH. It replaces each occurrence of
 * any registered secret, in any of its forms, regardless of case.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;
  private forms: string[] = [];

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

  redact(text: string): string {
    if (this.secrets.size === 0) return text;
    this.pattern ??= this.compile();
    return text.replace(this.pattern, REDACTED);
  }

  /**
   * For text cut off at an arbitrary byte (a body read only in part): redacts it, then drops what
   * may be the beginning of a secret the cut went through, so no piece of it is left at the end.
   */
  redactCut(text: string): string {
    const redacted = this.redact(text);
    this.pattern ??= this.compile();
    const lower = redacted.toLowerCase();
    let keep = redacted.length;
    for (const form of this.forms) {
      const f = form.toLowerCase();
      for (let n = Math.min(f.length - 1, lower.length); n > 0; n--) {
        if (lower.endsWith(f.slice(0, n))) {
          keep = Math.min(keep, lower.length - n);
          break;
        }
      }
    }
    return redacted.slice(0, keep);
  }

  private compile(): RegExp {
    this.forms = [...new Set([...this.secrets].flatMap(secretForms))];
    // Longest first, so a secret containing another is replaced whole.
    const sorted = [...this.forms].sort((a, b) => b.length - a.length);
    const long = sorted.filter((s) => s.length >= SHORT_SECRET_LENGTH).map(escapeRegExp);
    const short = sorted.filter((s) => s.length < SHORT_SECRET_LENGTH).map(escapeRegExp);
    const alternatives = [...long];
    if (short.length > 0) {
      alternatives.push(`(?<![A-Za-z0-9])(?:${short.join("|")})(?![A-Za-z0-9])`);
    }
    return new RegExp(alternatives.join("|"), "gi");
  }
}

/**
 * Text from a server, fit to quote: whitespace runs become one space, secrets are redacted, and
 * only then is it cut to `maxChars` (never through a surrogate pair), so a cut cannot leave a piece
 * of a secret that redaction would have caught whole.
 */
export function quoteRedacted(text: string, redact: (text: string) => string, maxChars: number): string {
  const out = redact(text.replace(/\s+/g, " ").trim());
  if (out.length <= maxChars) return out;
  const end = /[\uD800-\uDBFF]/.test(out.charAt(maxChars - 2)) ? maxChars - 2 : maxChars - 1;
  return `${out.slice(0, end)}…`;
}

/** Both kinds of text redaction: registered secrets, then credential patterns. */
export function redactText(text: string, secrets?: SecretRedactor): string {
  return redactAuthPatterns(secrets ? secrets.redact(text) : text);
}
