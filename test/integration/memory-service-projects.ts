import type { CallContext } from "../../src/backends/types.js";
import type { ProjectResolution } from "../../src/project/types.js";

/** Two projects and global mode, as the mcp-memory-service backend tests use them. */
export const PROJECT: ProjectResolution = { id: "project_app_12345678", mode: "auto", source: "cwd", reason: "test" };
export const OTHER: ProjectResolution = { id: "project_other_87654321", mode: "auto", source: "cwd", reason: "test" };
export const GLOBAL: ProjectResolution = { id: null, mode: "global", source: "global", reason: "test" };
export const TAG = "proj:project_app_12345678";
export const OTHER_TAG = "proj:project_other_87654321";

/** A call context with a 5 s deadline in `project`. */
export function ctx(project: ProjectResolution = PROJECT): CallContext {
  return { deadline: Date.now() + 5000, signal: new AbortController().signal, project };
}
