/**
 * `project`, called in-process with the machine injected: the same answers on every platform, and
 * the home and temp directories it falls back on are the context's, never the process's.
 */
import { mkdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectCommand } from "../../src/commands/project-command.js";
import { PLATFORMS, runDirect, tempHome } from "../helpers/command-io.js";
import { makeGitRepo } from "../e2e/git-repo.js";

describe.each(PLATFORMS)("project on %s", (platform) => {
  const machine = () => {
    const home = realpathSync(tempHome());
    const tmp = join(home, "tmp");
    mkdirSync(tmp);
    return { home, tmp, env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "config") } };
  };

  it("a repository's id comes from its remote", async () => {
    const m = machine();
    const run = await runDirect(projectCommand, ["--json"], { cwd: makeGitRepo("https://github.com/Acme/Gadgets.git"), env: m.env, host: { platform, home: m.home, tmpdir: m.tmp } });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ mode: "auto", source: "cwd", key: "github.com/acme/gadgets", id: expect.stringMatching(/^project_gadgets_[0-9a-f]{8}$/) });
  });

  it("the injected home and temp directories are not projects", async () => {
    const m = machine();
    for (const cwd of [m.home, m.tmp]) {
      const run = await runDirect(projectCommand, [], { cwd, env: m.env, host: { platform, home: m.home, tmpdir: m.tmp } });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain("project: (none: global scope, memories are shared)");
      expect(run.stdout).toContain("source: fallback");
    }
  });

  it("manual mode without an id exits 1 and says what to set", async () => {
    const m = machine();
    const run = await runDirect(projectCommand, ["--project-mode", "manual"], { env: m.env, host: { platform, home: m.home } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--project or MEMORY_BRIDGE_PROJECT_ID/);
  });
});

describe("project's paths follow the injected platform", () => {
  it("only on win32 is the home directory spelled in another case still the home directory", async () => {
    const home = realpathSync(tempHome());
    const shouted = home.toUpperCase();
    const asWindows = await runDirect(projectCommand, ["--json"], { cwd: shouted, env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "c") }, host: { platform: "win32", home } });
    expect(JSON.parse(asWindows.stdout)).toMatchObject({ source: "fallback", id: null });
    const asLinux = await runDirect(projectCommand, ["--json"], { cwd: shouted, env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "c") }, host: { platform: "linux", home } });
    expect(JSON.parse(asLinux.stdout)).toMatchObject({ source: "cwd", mode: "auto" });
  });
});
