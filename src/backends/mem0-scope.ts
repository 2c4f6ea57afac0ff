import { OtherUserMemoryError, WrongProjectError } from "./errors.js";
import type { CallContext } from "./types.js";

/** Who a record belongs to: its user id, and the field that carries the project (agent_id, app_id or metadata.project). */
export interface Owner {
  user: string | null | undefined;
  project: string | null | undefined;
}

/**
 * get/update/delete check both: per-user keys do not limit which records a caller may touch, so
 * the user is compared in global mode too, where no project is.
 */
export function assertOwned(id: string, owner: Owner, userId: string, ctx: CallContext): void {
  if (owner.user !== userId) throw new OtherUserMemoryError(id);
  if (ctx.project.id !== null && owner.project !== ctx.project.id) throw new WrongProjectError(id);
}

/** Whether a search or list hit may be shown: the user's own, and this project's unless `project` is null. */
export function isOwned(owner: Owner, userId: string, project: string | null): boolean {
  return owner.user === userId && (project === null || owner.project === project);
}

/** The project a search is limited to: none for `scope: "all"` or in global mode. */
export function searchProject(scope: "project" | "all", ctx: CallContext): string | null {
  return scope === "all" ? null : ctx.project.id;
}
