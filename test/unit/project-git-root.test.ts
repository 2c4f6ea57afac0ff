import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeProjectFs } from "../../src/project/fs.js";
import { findGitRoot, parseGitdirFile } from "../../src/project/git-root.js";

describe("parseGitdirFile", () => {
  it("reads the path as written", () => {
    expect(parseGitdirFile("gitdir: ../.git/modules/sub\n")).toBe("../.git/modules/sub");
    expect(parseGitdirFile("gitdir:/abs/.git/worktrees/wt\r\n")).toBe("/abs/.git/worktrees/wt");
    expect(parseGitdirFile("gitdir: /path with spaces/.git  \n")).toBe("/path with spaces/.git");
  });

  it("is undefined for anything else", () => {
    expect(parseGitdirFile("")).toBeUndefined();
    expect(parseGitdirFile("gitdir:\n")).toBeUndefined();
    expect(parseGitdirFile("nonsense\n")).toBeUndefined();
  });
});

describe("findGitRoot", () => {
  let base: string;

  beforeAll(async () => {
    base = await realpath(await mkdtemp(path.join(tmpdir(), "mmb-gitroot-")));
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it("finds a .git directory and its config", async () => {
    const repo = path.join(base, "repo");
    await mkdir(path.join(repo, ".git"), { recursive: true });
    await mkdir(path.join(repo, "a", "b"), { recursive: true });
    expect(await findGitRoot(path.join(repo, "a", "b"), nodeProjectFs)).toEqual({ root: repo, configPath: path.join(repo, ".git", "config") });
  });

  it("stops at the nearest .git, not an outer one", async () => {
    const inner = path.join(base, "repo", "vendor", "inner");
    await mkdir(path.join(inner, ".git"), { recursive: true });
    expect((await findGitRoot(inner, nodeProjectFs))?.root).toBe(inner);
  });

  it("resolves a worktree's config through commondir", async () => {
    const wtGitDir = path.join(base, "main", ".git", "worktrees", "wt");
    await mkdir(wtGitDir, { recursive: true });
    await writeFile(path.join(wtGitDir, "commondir"), "../..\n");
    const worktree = path.join(base, "wt");
    await mkdir(worktree);
    await writeFile(path.join(worktree, ".git"), `gitdir: ${wtGitDir}\n`);
    expect(await findGitRoot(worktree, nodeProjectFs)).toEqual({ root: worktree, configPath: path.join(base, "main", ".git", "config") });
  });

  it("resolves a relative gitdir against the directory holding the .git file", async () => {
    const sub = path.join(base, "super", "sub");
    await mkdir(sub, { recursive: true });
    await writeFile(path.join(sub, ".git"), "gitdir: ../.git/modules/sub\n");
    expect(await findGitRoot(sub, nodeProjectFs)).toEqual({ root: sub, configPath: path.join(base, "super", ".git", "modules", "sub", "config") });
  });

  it("keeps the root but has no config for an unusable .git file", async () => {
    const odd = path.join(base, "odd");
    await mkdir(odd);
    await writeFile(path.join(odd, ".git"), "not a gitdir line\n");
    expect(await findGitRoot(odd, nodeProjectFs)).toEqual({ root: odd, configPath: undefined });
  });

  it("is undefined when no directory up to the filesystem root holds .git", async () => {
    const loose = path.join(base, "loose");
    await mkdir(loose);
    expect(await findGitRoot(loose, nodeProjectFs)).toBeUndefined();
  });
});
