import { quoteRedacted } from "../core/secrets.js";

/** What a server said about a failure, pulled out of its error body. */
export interface ServerReason {
  /** A machine-readable code such as "invalid_token", when the body carries one. */
  code?: string;
  /** Human-readable text, truncated; never contains the token. */
  reason?: string;
}

const MAX_REASON_CHARS = 200;
const CODE_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * Understands the error bodies of the servers in contracts/backends.md:
 * `{"detail":{"error","error_description"}}` (mcp-memory-service auth), `{"detail":"..."}`
 * (FastAPI), `{"detail":[{msg}]}` (FastAPI validation), `{"error","details"}` (mem0 platform),
 * `{"error","error_description"}` (OAuth), `{"message"}`, and short plain-text bodies.
 */
export function extractServerReason(body: unknown, redact: (text: string) => string = (text) => text): ServerReason {
  const found = findReason(body);
  const result: ServerReason = {};
  // A code that is (or holds) the token is dropped: codes are quoted verbatim.
  if (found.code !== undefined && redact(found.code) === found.code) result.code = found.code;
  if (found.reason !== undefined) {
    const cleaned = quoteRedacted(found.reason, redact, MAX_REASON_CHARS);
    if (cleaned !== "") result.reason = cleaned;
  }
  return result;
}

function findReason(body: unknown): ServerReason {
  if (typeof body === "string") return looksLikeMarkup(body) ? {} : { reason: body };
  if (!isRecord(body)) return {};

  const detail = body["detail"];
  if (typeof detail === "string") return { reason: detail };
  if (Array.isArray(detail)) return { reason: validationMessages(detail) };
  if (isRecord(detail)) return fromErrorFields(detail);

  if (body["error"] !== undefined) return fromErrorFields(body);
  if (typeof body["message"] === "string") return { reason: body["message"] };
  return {};
}

function fromErrorFields(obj: Record<string, unknown>): ServerReason {
  const error = obj["error"];
  const description = firstString(obj["error_description"], obj["details"], obj["message"]);
  if (typeof error === "string" && CODE_PATTERN.test(error)) {
    return description === undefined ? { code: error } : { code: error, reason: description };
  }
  const errorText = typeof error === "string" ? error : undefined;
  const reason = [errorText, description].filter((s) => s !== undefined).join(": ");
  return reason === "" ? {} : { reason };
}

function validationMessages(items: unknown[]): string {
  return items
    .map((item) => (isRecord(item) && typeof item["msg"] === "string" ? item["msg"] : undefined))
    .filter((msg) => msg !== undefined)
    .join("; ");
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === "string" && value !== "") return value;
  return undefined;
}

function looksLikeMarkup(text: string): boolean {
  return text.trimStart().startsWith("<");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
