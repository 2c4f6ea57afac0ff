import { InvalidUserIdError, InvalidUuidError } from "./errors.js";

/** mem0 addresses records by UUID: anything else makes its vector store fail (a 500 or 502), so it is refused first. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertUuid(id: string, backend: string): string {
  if (!UUID.test(id)) throw new InvalidUuidError(id, backend);
  return id;
}

/** The id checked as mem0 checks entity ids (`_validate_and_trim_entity_id`): not empty, no whitespace. */
export function assertUserId(userId: string, backend: string): string {
  if (userId === "" || /\s/.test(userId)) throw new InvalidUserIdError(userId, backend);
  return userId;
}

const MAX_USER_ID_LENGTH = 64;

/**
 * The default mem0 user id made from an OS user name ("Jane Doe" → "jane-doe"): lower-case, every
 * run of characters outside `[a-z0-9._@-]` becomes `-`, trimmed of `-`, at most 64 characters;
 * `default` when nothing is left.
 */
export function slugUserId(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9._@-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_USER_ID_LENGTH)
    .replace(/-+$/, "");
  return slug === "" ? "default" : slug;
}
