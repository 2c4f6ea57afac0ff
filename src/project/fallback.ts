import * as path from "node:path";

/** Real (symlink-free) paths of the start directory and of the places that are not projects. */
export interface FallbackPlaces {
  start: string;
  home: string;
  tmpdir: string;
}

/**
 * Why `start` is not a project directory (contracts/project.md step 6: the filesystem root, the
 * home directory or the temp directory, where Claude Desktop and friends start servers), or
 * undefined when it may be one. Only the directories themselves count, not their subdirectories.
 */
export function fallbackReason(places: FallbackPlaces, platform: NodeJS.Platform = process.platform): string | undefined {
  const { start } = places;
  const same = (a: string, b: string) =>
    platform === "win32" ? a.toLowerCase() === b.toLowerCase() : a === b;
  const place = same(start, path.parse(start).root)
    ? "the filesystem root"
    : same(start, places.home)
      ? "the home directory"
      : same(start, places.tmpdir)
        ? "the system temp directory"
        : undefined;
  return place && `start directory ${start} is ${place}, not a project: no project scoping (global)`;
}
