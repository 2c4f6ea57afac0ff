import { pythonStrip } from "./service-content-hash.js";

/**
 * Tags as mcp-memory-service stores them (its `normalize_tags`, applied to every store): stripped,
 * commas turned into `-` (its tag column is comma-joined), cut to 100 characters, lower-case;
 * empty ones and repeats dropped. The bridge applies the same rules before sending, so what it
 * checks, filters by and reports is what the server keeps.
 */
export const MAX_SERVICE_TAGS = 100;
const MAX_TAG_CHARS = 100;

export function normalizeServiceTag(tag: string): string {
  const cleaned = pythonStrip(tag).replace(/,/g, "-");
  const points = Array.from(cleaned); // Python counts code points
  return (points.length > MAX_TAG_CHARS ? points.slice(0, MAX_TAG_CHARS).join("") : cleaned).toLowerCase();
}

/** Normalised, without empty tags, each once, in first-seen order. The 100-tag cap is the caller's to enforce. */
export function normalizeServiceTags(tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const tag of tags) {
    const normalized = normalizeServiceTag(tag);
    if (normalized) out.add(normalized);
  }
  return [...out];
}

/**
 * The tags a store's `metadata.tags` adds (the server merges them into the memory's tags): a list
 * of strings, a JSON array in a string, or a comma-separated string, as its `normalize_tags` reads them.
 */
export function metadataTags(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((tag): tag is string => typeof tag === "string");
  if (typeof value !== "string") return [];
  const text = pythonStrip(value);
  if (text.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map((item) => (typeof item === "string" ? item : JSON.stringify(item)));
    } catch {
      // not JSON: the server keeps the whole string as one tag
    }
    return [text];
  }
  return text.split(",");
}
