import { fileURLToPath } from "node:url";

/**
 * The directory of the first `file://` root the MCP client reported (contracts/project.md step 1),
 * decoded (`%20` → space). Other schemes, unparsable URIs and file URIs that name no local path
 * (`file://server/share` on POSIX) are skipped.
 */
export function directoryFromRoots(roots: readonly string[] | undefined): string | undefined {
  for (const uri of roots ?? []) {
    if (!/^file:/i.test(uri)) continue;
    try {
      return fileURLToPath(new URL(uri));
    } catch {
      continue;
    }
  }
  return undefined;
}
