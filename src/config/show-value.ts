/**
 * A setting's value as an error message may show it: quoted, one line, at most 80 characters.
 * A URL loses userinfo, query and fragment, which may hold a password or a key
 * (`https://user:pass@host`, `?api_key=…`).
 */
export function showValue(value: unknown, url = false): string {
  let text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  if (url) text = text.replace(/[?#].*$/s, "").replace(/\/\/[^/@]*@/, "//");
  text = text.replace(/\s+/g, " ");
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
