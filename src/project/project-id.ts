import { createHash } from "node:crypto";
import { slugProjectName } from "./slug.js";

/**
 * `project_<slugged name>_<first 8 hex chars of sha256(key)>` (contracts/project.md step 5),
 * the same format as the existing Mem0 MCP server's ids so path-derived ids carry over.
 */
export function makeProjectId(name: string, key: string): string {
  const hash = createHash("sha256").update(key, "utf8").digest("hex").slice(0, 8);
  return `project_${slugProjectName(name)}_${hash}`;
}
