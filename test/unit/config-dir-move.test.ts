import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseConfigDir, type FolderMover } from "../../src/config/config-dir.js";

/** The config folder moves from conf's old `mcp-memory-bridge-nodejs` to `mcp-memory-bridge` once, losing nothing. */

function machine() {
  const home = mkdtempSync(join(tmpdir(), "bridge-config-move-"));
  const base = join(home, ".config");
  mkdirSync(base);
  return { home, env: {}, old: join(base, "mcp-memory-bridge-nodejs"), now: join(base, "mcp-memory-bridge") };
}

function filled(folder: string, files: Record<string, string>): void {
  mkdirSync(folder);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
}

const realMover: FolderMover = { exists: existsSync, rename: renameSync };

describe("the config folder", () => {
  it("old only: is moved over once, with every file, and then used", () => {
    const m = machine();
    filled(m.old, { "config.json": '{"endpoint":"https://m.example.com/api"}', "credentials.json": '{"a":"b"}' });
    const choice = chooseConfigDir(m.env, { platform: "linux", home: m.home });
    expect(choice).toEqual({ dir: m.now, moved: { from: m.old, to: m.now } });
    expect(existsSync(m.old)).toBe(false);
    expect(readFileSync(join(m.now, "config.json"), "utf8")).toContain("m.example.com");
    expect(readFileSync(join(m.now, "credentials.json"), "utf8")).toBe('{"a":"b"}');
    // Asked again in the same process: the same answer, no second attempt.
    expect(chooseConfigDir(m.env, { platform: "linux", home: m.home })).toBe(choice);
  });

  it("neither: the new folder, nothing created", () => {
    const m = machine();
    expect(chooseConfigDir(m.env, { platform: "linux", home: m.home })).toEqual({ dir: m.now });
    expect(existsSync(m.now)).toBe(false);
  });

  it("both: the new one is used, the old one is left untouched and reported", () => {
    const m = machine();
    filled(m.old, { "config.json": '{"endpoint":"https://old.example.com/api"}' });
    filled(m.now, { "config.json": '{"endpoint":"https://new.example.com/api"}' });
    const choice = chooseConfigDir(m.env, { platform: "linux", home: m.home });
    expect(choice.dir).toBe(m.now);
    expect(choice.problem).toBe(
      `An older config folder ${m.old} (from an earlier version) is still there and is not read; ${m.now} is used. Move anything you need from it (config.json, credentials.json) into ${m.now}, then delete it.`,
    );
    expect(readFileSync(join(m.old, "config.json"), "utf8")).toContain("old.example.com");
    expect(readFileSync(join(m.now, "config.json"), "utf8")).toContain("new.example.com");
  });

  it("the move fails (a folder it may not write): the old one stays in use, with the reason and two ways out", () => {
    const m = machine();
    filled(m.old, { "config.json": "{}" });
    const refusing: FolderMover = {
      exists: realMover.exists,
      rename: () => {
        throw Object.assign(new Error("permission denied"), { code: "EACCES" });
      },
    };
    const choice = chooseConfigDir(m.env, { platform: "linux", home: m.home }, refusing);
    expect(choice.dir).toBe(m.old);
    expect(choice.problem).toBe(
      `Could not move the config folder ${m.old} to ${m.now} (EACCES), so the old one is still used. Rename it to ${m.now} yourself, or set MEMORY_BRIDGE_CONFIG_DIR="${m.old}" to keep it.`,
    );
    expect(readFileSync(join(m.old, "config.json"), "utf8")).toBe("{}");
  });

  it("another process moved it meanwhile: the new one, no problem", () => {
    const m = machine();
    filled(m.old, {});
    const racing: FolderMover = {
      exists: realMover.exists,
      rename: (from, to) => {
        renameSync(from, to);
        throw Object.assign(new Error("gone"), { code: "ENOENT" });
      },
    };
    expect(chooseConfigDir(m.env, { platform: "linux", home: m.home }, racing)).toEqual({ dir: m.now });
  });

  it("MEMORY_BRIDGE_CONFIG_DIR overrides: used as given, nothing moved", () => {
    const m = machine();
    filled(m.old, { "config.json": "{}" });
    const chosen = join(m.home, "elsewhere");
    expect(chooseConfigDir({ MEMORY_BRIDGE_CONFIG_DIR: chosen }, { platform: "linux", home: m.home })).toEqual({ dir: chosen });
    expect(existsSync(m.old)).toBe(true);
    expect(existsSync(m.now)).toBe(false);
  });

  it("on Windows the app folder moves (the Config folder inside it comes along)", () => {
    const appData = `C:\\Users\\a${Math.random().toString(36).slice(2)}\\AppData\\Roaming`;
    const renames: [string, string][] = [];
    const mover: FolderMover = { exists: (file) => file === `${appData}\\mcp-memory-bridge-nodejs`, rename: (from, to) => void renames.push([from, to]) };
    const choice = chooseConfigDir({ APPDATA: appData }, { platform: "win32", home: "C:\\Users\\a" }, mover);
    expect(renames).toEqual([[`${appData}\\mcp-memory-bridge-nodejs`, `${appData}\\mcp-memory-bridge`]]);
    expect(choice.dir).toBe(`${appData}\\mcp-memory-bridge\\Config`);
  });
});
