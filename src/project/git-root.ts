import * as path from "node:path";
import { readOrUndefined, type ProjectFs } from "./fs.js";

export interface GitRoot {
  /** The nearest directory at or above the start that holds `.git` (a directory or a file). */
  root: string;
  /** The config file holding the repository's remotes; undefined when the `.git` file is unusable. */
  configPath: string | undefined;
}

/**
 * Walks up from `start` to the nearest directory holding `.git` (contracts/project.md step 2).
 * A `.git` file (worktree, submodule) is followed to the git dir it names, and from there to the
 * shared git dir when a `commondir` file says so (worktrees: `<main>/.git/worktrees/<name>`);
 * a submodule's git dir (`<super>/.git/modules/<name>`) has its own config.
 */
export async function findGitRoot(start: string, fs: ProjectFs): Promise<GitRoot | undefined> {
  for (let dir = start; ; ) {
    const dotGit = path.join(dir, ".git");
    const kind = await entryKind(dotGit, fs);
    if (kind === "directory") return { root: dir, configPath: await configPathOf(dotGit, fs) };
    if (kind === "file") {
      const gitDir = parseGitdirFile(await readOrUndefined(dotGit, fs) ?? "");
      const configPath = gitDir === undefined ? undefined : await configPathOf(path.resolve(dir, gitDir), fs);
      return { root: dir, configPath };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The path in a `.git` file (`gitdir: <path>`), as written: relative to the file's directory. */
export function parseGitdirFile(text: string): string | undefined {
  const match = /^gitdir:[ \t]*(.*?)[ \t]*$/m.exec(text.replace(/^\uFEFF/, "").replace(/\r/g, ""));
  return match?.[1] === undefined || match[1] === "" ? undefined : match[1];
}

/** A git dir keeps its config in its common dir, if it has a `commondir` file (relative to it). */
async function configPathOf(gitDir: string, fs: ProjectFs): Promise<string> {
  const commonDir = (await readOrUndefined(path.join(gitDir, "commondir"), fs))?.trim();
  return path.join(commonDir ? path.resolve(gitDir, commonDir) : gitDir, "config");
}

async function entryKind(p: string, fs: ProjectFs): Promise<"directory" | "file" | undefined> {
  try {
    const stats = await fs.stat(p);
    if (stats.isDirectory()) return "directory";
    if (stats.isFile()) return "file";
    return undefined;
  } catch {
    return undefined;
  }
}
