import { UnsafePathError } from "./errors.js";

/**
 * Throws unless every segment of `path` (before any query) is other than "." and "..", both as
 * written and percent-decoded: servers and proxies resolve such segments (uvicorn decodes the
 * path first), so `/memories/..` would act on the collection, not on a memory named "..".
 */
export function assertSafePath(method: string, path: string): void {
  const bare = path.split("?")[0]!;
  if (hasDotSegment(bare) || hasDotSegment(decodedOrRaw(bare))) throw new UnsafePathError(method, bare);
}

function hasDotSegment(path: string): boolean {
  return path.split("/").some((segment) => segment === "." || segment === "..");
}

function decodedOrRaw(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
