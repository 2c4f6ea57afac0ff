import { createHash } from "node:crypto";

/** The characters Python's `str.strip()` removes (`str.isspace()`); JS `trim()` differs slightly (e.g. it strips U+FEFF). */
const PY_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");

/** Python's `str.strip()`. */
export function pythonStrip(text: string): string {
  return text.replace(PY_STRIP, "");
}

/**
 * The id mcp-memory-service gives a record: sha256 hex of `content.strip().lower()` (its
 * utils/hashing.py). Needed when a duplicate store answers without the existing record's hash.
 */
export function serviceContentHash(content: string): string {
  return createHash("sha256").update(pythonStrip(content).toLowerCase(), "utf8").digest("hex");
}
