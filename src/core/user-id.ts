/** Used when neither a user id nor a usable OS user name is available. */
export const FALLBACK_USER_ID = "default";

const MAX_USER_ID_LENGTH = 64;

/**
 * The default mem0 user id made from an OS user name ("Jane Doe" → "jane-doe"): lower-case, every
 * run of characters outside `[a-z0-9._@-]` becomes `-`, trimmed of `-`, at most 64 characters;
 * `default` (FALLBACK_USER_ID) when nothing is left.
 */
export function slugUserId(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9._@-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_USER_ID_LENGTH)
    .replace(/-+$/, "");
  return slug === "" ? FALLBACK_USER_ID : slug;
}
