/**
 * mcp-memory-service has no project field, so the bridge scopes records with a `proj:<id>` tag
 * (contracts/project.md, "How a backend applies it").
 */
export const PROJECT_TAG_PREFIX = "proj:";

export function projectTag(projectId: string): string {
  return PROJECT_TAG_PREFIX + projectId;
}

export function isProjectTag(tag: string): boolean {
  return tag.startsWith(PROJECT_TAG_PREFIX);
}

/** Unique, in first-seen order. */
export function uniqueTags(...lists: (readonly string[] | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const list of lists) for (const tag of list ?? []) seen.add(tag);
  return [...seen];
}
