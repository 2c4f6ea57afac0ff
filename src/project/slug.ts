const MAX_SLUG_LENGTH = 40;

/**
 * Project name slug (contracts/project.md step 4): lower-case, every run of characters outside
 * `[a-z0-9]` becomes `-`, trimmed of `-`, at most 40 characters, `root` if nothing is left.
 */
export function slugProjectName(s: string): string {
  const slug = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, "");
  return slug === "" ? "root" : slug;
}
