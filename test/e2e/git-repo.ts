import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throwaway directory that looks like a git checkout with an origin remote (no git binary needed). */
export function makeGitRepo(remote = "git@github.com:acme/widgets.git"): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "bridge-e2e-repo-")));
  mkdirSync(join(dir, ".git"));
  writeFileSync(join(dir, ".git", "config"), `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${remote}\n`);
  return dir;
}
