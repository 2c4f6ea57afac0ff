import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectFs } from "../../src/project/fs.js";
import type { ProjectResolution } from "../../src/project/types.js";
import { MANUAL_ID_MISSING, resolveProject, type ResolveProjectInput } from "../../src/project/resolve.js";

const hash8 = (key: string) => createHash("sha256").update(key).digest("hex").slice(0, 8);

let base: string; // real path of a fresh temp directory
let home: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), "mmb-project-")));
  home = path.join(base, "home");
  await mkdir(home);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function makeDir(...segments: string[]): Promise<string> {
  const dir = path.join(base, ...segments);
  await mkdir(dir, { recursive: true });
  return dir;
}

async function makeRepo(dir: string, originUrl?: string): Promise<void> {
  await mkdir(path.join(dir, ".git"), { recursive: true });
  await writeFile(path.join(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
  const remote = originUrl === undefined ? "" : `[remote "origin"]\n\turl = ${originUrl}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`;
  await writeFile(path.join(dir, ".git", "config"), `[core]\n\tbare = false\n${remote}`);
}

function auto(cwd: string, extra: Partial<ResolveProjectInput> = {}): Promise<ProjectResolution> {
  return resolveProject({ mode: "auto", keyMode: "remote", cwd, home, tmpdir: tmpdir(), ...extra });
}

describe("resolveProject — auto", () => {
  it("uses the normalized origin remote of a plain repository", async () => {
    const repo = await makeDir("plain", "app");
    await makeRepo(repo, "git@GitHub.com:Acme/App.git");
    const result = await auto(repo);
    expect(result).toEqual({
      id: `project_app_${hash8("github.com/acme/app")}`,
      mode: "auto",
      source: "cwd",
      reason: `git remote github.com/acme/app at ${repo}`,
      start: repo,
      root: repo,
      key: "github.com/acme/app",
    });
    expect(result.id).toBe("project_app_98d9fc12");
  });

  it("gives the same id to clones of one remote in different places", async () => {
    const a = await makeDir("clones", "a");
    const b = await makeDir("clones", "b");
    await makeRepo(a, "https://github.com/acme/app");
    await makeRepo(b, "ssh://git@github.com/acme/app.git");
    expect((await auto(a)).id).toBe((await auto(b)).id);
  });

  it("never puts credentials from the remote in the key or the reason", async () => {
    const repo = await makeDir("creds");
    await makeRepo(repo, "https://user:hunter2@github.com/acme/app.git");
    const result = await auto(repo);
    expect(result.key).toBe("github.com/acme/app");
    expect(JSON.stringify(result)).not.toContain("hunter2");
  });

  it("uses the real path of a repository without a remote", async () => {
    const repo = await makeDir("no-remote", "My Notes");
    await makeRepo(repo);
    const link = path.join(base, "no-remote-link");
    await symlink(repo, link);
    const result = await auto(link);
    expect(result).toMatchObject({
      id: `project_my-notes_${hash8(repo)}`,
      source: "cwd",
      key: repo,
      root: repo,
      start: repo,
      reason: `path ${repo} (no git remote)`,
    });
  });

  it("a .git/config that is a FIFO is not waited on: the repository is keyed by its path", async () => {
    const repo = await makeDir("fifo-config", "odd");
    await mkdir(path.join(repo, ".git"), { recursive: true });
    execFileSync("mkfifo", [path.join(repo, ".git", "config")]);
    expect(await auto(repo)).toMatchObject({ id: `project_odd_${hash8(repo)}`, key: repo, reason: `path ${repo} (no git remote)` });
  });

  it("uses the start directory's path outside any repository", async () => {
    const dir = await makeDir("loose", "scratch");
    const result = await auto(dir);
    expect(result).toMatchObject({ id: `project_scratch_${hash8(dir)}`, key: dir, root: dir, reason: `path ${dir} (not a git repository)` });
  });

  it("walks up from a nested subdirectory to the repository root", async () => {
    const repo = await makeDir("nested", "app");
    await makeRepo(repo, "https://gitlab.com/acme/platform/app.git");
    const deep = await makeDir("nested", "app", "src", "lib", "deep");
    const result = await auto(deep);
    expect(result).toMatchObject({ start: deep, root: repo, key: "gitlab.com/acme/platform/app", id: `project_app_${hash8("gitlab.com/acme/platform/app")}` });
  });

  it("follows a worktree's .git file and commondir to the main repository's config", async () => {
    const main = await makeDir("wt", "main");
    await makeRepo(main, "git@github.com:acme/app.git");
    const wtGitDir = await makeDir("wt", "main", ".git", "worktrees", "feature");
    await writeFile(path.join(wtGitDir, "commondir"), "../..\n");
    const worktree = await makeDir("wt", "feature-checkout");
    await writeFile(path.join(wtGitDir, "gitdir"), `${path.join(worktree, ".git")}\n`);
    await writeFile(path.join(worktree, ".git"), `gitdir: ${wtGitDir}\n`);
    const sub = await makeDir("wt", "feature-checkout", "src");
    const result = await auto(sub);
    expect(result).toMatchObject({ root: worktree, key: "github.com/acme/app", id: `project_app_${hash8("github.com/acme/app")}` });
  });

  it("follows a submodule's relative .git file to its own config", async () => {
    const superRepo = await makeDir("sm", "super");
    await makeRepo(superRepo, "git@github.com:acme/super.git");
    const moduleGitDir = await makeDir("sm", "super", ".git", "modules", "libs", "widget");
    await writeFile(path.join(moduleGitDir, "config"), '[core]\n\tworktree = ../../../../libs/widget\n[remote "origin"]\n\turl = https://github.com/acme/widget.git\n');
    const submodule = await makeDir("sm", "super", "libs", "widget");
    await writeFile(path.join(submodule, ".git"), "gitdir: ../../.git/modules/libs/widget\n");
    const result = await auto(submodule);
    expect(result).toMatchObject({ root: submodule, key: "github.com/acme/widget", id: `project_widget_${hash8("github.com/acme/widget")}` });
  });

  it("uses the path when a .git file points nowhere", async () => {
    const dir = await makeDir("broken-gitfile", "thing");
    await writeFile(path.join(dir, ".git"), "gitdir: ../does/not/exist\n");
    const result = await auto(dir);
    expect(result).toMatchObject({ root: dir, key: dir, reason: `path ${dir} (no git remote)` });
  });

  it("uses the path when the project key mode is path", async () => {
    const repo = await makeDir("keypath", "app");
    await makeRepo(repo, "git@github.com:acme/app.git");
    const result = await auto(repo, { keyMode: "path" });
    expect(result).toMatchObject({ key: repo, id: `project_app_${hash8(repo)}`, reason: `path ${repo} (project key set to path)` });
  });

  it("starts from the first file:// root, decoding spaces and percent signs", async () => {
    const repo = await makeDir("roots", "100% my app");
    await makeRepo(repo);
    const elsewhere = await makeDir("roots", "elsewhere");
    const uri = pathToFileURL(repo).href;
    expect(uri).toContain("100%25%20my%20app");
    const result = await auto(elsewhere, { roots: ["https://example.com/not-a-dir", uri, pathToFileURL(elsewhere).href] });
    expect(result).toMatchObject({ source: "roots", start: repo, root: repo, key: repo, id: `project_100-my-app_${hash8(repo)}` });
  });

  it("uses cwd when the client reports no file root", async () => {
    const dir = await makeDir("roots-none", "cwd-dir");
    const result = await auto(dir, { roots: ["https://example.com/x"] });
    expect(result).toMatchObject({ source: "cwd", start: dir });
  });

  it("falls back to global in the filesystem root", async () => {
    const result = await auto(path.parse(base).root);
    expect(result).toMatchObject({ id: null, mode: "global", source: "fallback" });
    expect(result.reason).toMatch(/filesystem root/);
  });

  it("falls back to global in the home directory, also when it is a root", async () => {
    const result = await auto(home);
    expect(result).toMatchObject({ id: null, mode: "global", source: "fallback", start: home });
    expect(result.reason).toMatch(/home directory/);
    const fromRoots = await auto(base, { roots: [pathToFileURL(home).href] });
    expect(fromRoots).toMatchObject({ id: null, source: "fallback" });
  });

  it("falls back to global in the temp directory", async () => {
    const result = await auto(tmpdir());
    expect(result).toMatchObject({ id: null, mode: "global", source: "fallback" });
    expect(result.reason).toMatch(/temp directory/);
  });

  it("compares real paths, so a symlinked temp directory (macOS) still falls back", async () => {
    const realTmp = await makeDir("real-tmp");
    const linkTmp = path.join(base, "var-tmp-link");
    await symlink(realTmp, linkTmp);
    expect(await auto(realTmp, { tmpdir: linkTmp })).toMatchObject({ source: "fallback" });
    expect(await auto(linkTmp, { tmpdir: realTmp })).toMatchObject({ source: "fallback" });
  });

  it("does not fall back in a subdirectory of home", async () => {
    const dir = await makeDir("home", "project");
    expect(await auto(dir)).toMatchObject({ mode: "auto", source: "cwd", root: dir });
  });

  it("uses the resolved path when the start directory does not exist", async () => {
    const missing = path.join(base, "gone", "away");
    expect(await auto(missing)).toMatchObject({ start: missing, root: missing, key: missing });
  });

  it("reads the filesystem only through the injected fs", async () => {
    const files: Record<string, string> = {
      "/repo/.git/config": '[remote "origin"]\n url = https://github.com/acme/app\n',
    };
    const dirs = new Set(["/", "/repo", "/repo/.git", "/repo/sub"]);
    const fs: ProjectFs = {
      readFile: async (p) => {
        const text = files[p];
        if (text === undefined) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
        return text;
      },
      stat: async (p) => {
        if (dirs.has(p)) return { isDirectory: () => true, isFile: () => false };
        if (p in files) return { isDirectory: () => false, isFile: () => true };
        throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
      },
      realpath: async (p) => p,
    };
    const result = await resolveProject({ mode: "auto", keyMode: "remote", cwd: "/repo/sub", home: "/home/u", tmpdir: "/tmp", fs });
    expect(result).toMatchObject({ root: "/repo", key: "github.com/acme/app", id: "project_app_98d9fc12" });
  });

  it("uses the path key when the git config cannot be read", async () => {
    const fs: ProjectFs = {
      readFile: async () => {
        throw Object.assign(new Error("EACCES"), { code: "EACCES" });
      },
      stat: async (p) => {
        if (p === "/repo/.git") return { isDirectory: () => true, isFile: () => false };
        throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
      },
      realpath: async (p) => p,
    };
    const result = await resolveProject({ mode: "auto", keyMode: "remote", cwd: "/repo", home: "/home/u", tmpdir: "/tmp", fs });
    expect(result).toMatchObject({ root: "/repo", key: "/repo", reason: "path /repo (no git remote)" });
  });
});

describe("resolveProject — manual", () => {
  it("slugs the manual id", async () => {
    const result = await resolveProject({ mode: "manual", manualId: "Team Wiki!", keyMode: "remote", cwd: base, home, tmpdir: tmpdir() });
    expect(result).toEqual({ id: "team-wiki", mode: "manual", source: "manual", reason: "manual id from settings" });
  });

  it.each([undefined, "", "   "])("reports a clear error without an id (%j)", async (manualId) => {
    const result = await resolveProject({ mode: "manual", keyMode: "remote", cwd: base, home, tmpdir: tmpdir(), ...(manualId === undefined ? {} : { manualId }) });
    expect(result).toMatchObject({ id: null, mode: "manual", source: "manual", error: MANUAL_ID_MISSING });
    expect(result.error).toMatch(/--project\b/);
    expect(result.error).toMatch(/MEMORY_BRIDGE_PROJECT_ID/);
    expect(result.error).toMatch(/--project-mode/);
  });
});

describe("resolveProject — global", () => {
  it("has no project id", async () => {
    const result = await resolveProject({ mode: "global", manualId: "ignored", keyMode: "remote", cwd: base, home, tmpdir: tmpdir() });
    expect(result).toEqual({ id: null, mode: "global", source: "global", reason: "global mode: no project scoping" });
  });
});
