import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Conf from "conf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultConfigDir, legacyConfigDir, profilePath, resolveConfigDir } from "../../src/config/config-dir.js";
import { ConfigError } from "../../src/config/errors.js";
import { loadSettings } from "../../src/config/load.js";
import { readProfile, saveProfile, type ProfilePatch } from "../../src/config/profile.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "mmb-profile-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const writeProfile = (text: string) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "config.json"), text);
};

describe("readProfile", () => {
  it("returns {} without problems when the file does not exist", () => {
    expect(readProfile(path.join(dir, "absent"))).toEqual({
      profile: {},
      path: path.join(dir, "absent", "config.json"),
      exists: false,
      problems: [],
    });
  });

  it("does not create the directory when reading", () => {
    readProfile(path.join(dir, "absent"));
    expect(() => readFileSync(path.join(dir, "absent"))).toThrow(/ENOENT/);
  });

  it("reads every field", () => {
    const profile = {
      endpoint: "https://m.example.com",
      backend: "mem0",
      authScheme: "token",
      userId: "alice",
      projectMode: "global",
      timeoutMs: 5000,
      allowHttp: true,
      caFile: "/ca.pem",
      logLevel: "info",
    };
    writeProfile(JSON.stringify(profile));
    expect(readProfile(dir)).toMatchObject({ profile, exists: true, problems: [] });
  });

  it("returns {} and a problem for invalid JSON", () => {
    writeProfile("{ not json");
    const read = readProfile(dir);
    expect(read.profile).toEqual({});
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toContain("is not valid JSON");
    expect(read.problems[0]).toContain(path.join(dir, "config.json"));
  });

  it("returns {} and a problem when the file is not a JSON object", () => {
    writeProfile("[1, 2]");
    expect(readProfile(dir)).toMatchObject({ profile: {}, problems: [expect.stringContaining("does not hold a JSON object")] });
  });

  it("returns {} and a problem when the file is a directory", () => {
    mkdirSync(path.join(dir, "config.json"), { recursive: true });
    expect(readProfile(dir)).toMatchObject({ profile: {}, exists: true, problems: [expect.stringContaining("is not a regular file")] });
  });

  it("returns {} and a problem, at once, when the file is a FIFO (no writer: reading it would block forever)", () => {
    execFileSync("mkfifo", [path.join(dir, "config.json")]);
    expect(readProfile(dir)).toMatchObject({ profile: {}, exists: true, problems: [expect.stringMatching(/config\.json is not a regular file .*; defaults are used/)] });
  });

  it("returns {} and a problem when the file is a link to /dev/zero (an endless device)", () => {
    symlinkSync("/dev/zero", path.join(dir, "config.json"));
    expect(readProfile(dir).problems).toEqual([expect.stringContaining("is not a regular file")]);
  });

  it("follows a link to a regular file (dotfile managers link their files)", () => {
    writeFileSync(path.join(dir, "real.json"), JSON.stringify({ logLevel: "debug" }));
    symlinkSync(path.join(dir, "real.json"), path.join(dir, "config.json"));
    expect(readProfile(dir)).toMatchObject({ profile: { logLevel: "debug" }, problems: [] });
  });

  it("returns {} and a problem when the file is larger than 1 MiB", () => {
    writeProfile(`{"logLevel":"debug","pad":"${"x".repeat(1024 * 1024)}"}`);
    expect(readProfile(dir)).toMatchObject({ profile: {}, problems: [expect.stringContaining("is larger than 1048576 bytes")] });
  });

  it("keeps valid fields and reports each invalid one", () => {
    writeProfile(JSON.stringify({ endpoint: "https://m.example.com", timeoutMs: "soon", logLevel: "loud", allowHttp: "yes" }));
    const read = readProfile(dir);
    expect(read.profile).toEqual({ endpoint: "https://m.example.com" });
    expect(read.problems).toHaveLength(3);
    expect(read.problems.join("\n")).toContain('Invalid logLevel "loud" in the saved profile');
    expect(read.problems.join("\n")).toContain("allowHttp \"yes\"");
  });

  it("ignores unknown keys and conf's internal data", () => {
    writeProfile(JSON.stringify({ endpoint: "https://m.example.com", futureSetting: 1, __internal__: { x: 1 } }));
    expect(readProfile(dir)).toMatchObject({ profile: { endpoint: "https://m.example.com" }, problems: [] });
  });

  it("ignores and reports a token someone wrote into the file", () => {
    writeProfile(JSON.stringify({ endpoint: "https://m.example.com", token: "s3cret-token-value" }));
    const read = readProfile(dir);
    expect(read.profile).toEqual({ endpoint: "https://m.example.com" });
    expect(read.problems[0]).toContain('"token" entry');
    expect(read.problems[0]).not.toContain("s3cret-token-value");
  });

  it("treats an empty file as an empty profile", () => {
    writeProfile("");
    expect(readProfile(dir)).toMatchObject({ profile: {}, problems: [] });
  });
});

describe("saveProfile", () => {
  it("round-trips through conf's file", async () => {
    const saved = await saveProfile(dir, { endpoint: "https://m.example.com", backend: "mem0", timeoutMs: 4000 });
    expect(saved).toEqual({ endpoint: "https://m.example.com", backend: "mem0", timeoutMs: 4000 });
    expect(readProfile(dir)).toMatchObject({ profile: saved, exists: true, problems: [] });
    // conf itself reads the same file
    const conf = new Conf({ projectName: "mcp-memory-bridge", cwd: dir });
    expect(conf.get("endpoint")).toBe("https://m.example.com");
  });

  it("creates a missing config dir", async () => {
    const nested = path.join(dir, "a", "b");
    await saveProfile(nested, { logLevel: "debug" });
    expect(readProfile(nested).profile).toEqual({ logLevel: "debug" });
  });

  it("merges patches and removes fields set to undefined", async () => {
    await saveProfile(dir, { endpoint: "https://m.example.com", backend: "mem0" });
    await saveProfile(dir, { backend: undefined, userId: "alice" });
    expect(readProfile(dir).profile).toEqual({ endpoint: "https://m.example.com", userId: "alice" });
  });

  it("keeps keys it does not know", async () => {
    writeProfile(JSON.stringify({ futureSetting: 1 }));
    await saveProfile(dir, { userId: "alice" });
    expect(JSON.parse(readFileSync(profilePath(dir), "utf8"))).toEqual({ futureSetting: 1, userId: "alice" });
  });

  it("never stores a token", async () => {
    const patch = { endpoint: "https://m.example.com", token: "s3cret-token-value" } as unknown as ProfilePatch;
    await expect(saveProfile(dir, patch)).rejects.toThrow(ConfigError);
    await expect(saveProfile(dir, { apiKey: "s3cret" } as unknown as ProfilePatch)).rejects.toThrow(/keychain/);
    expect(readProfile(dir).exists).toBe(false);
  });

  it("drops a token someone wrote into the file when saving", async () => {
    writeProfile(JSON.stringify({ endpoint: "https://m.example.com", token: "s3cret-token-value", "x-api-key": "k" }));
    await saveProfile(dir, { userId: "alice" });
    const text = readFileSync(profilePath(dir), "utf8");
    expect(text).not.toContain("s3cret-token-value");
    expect(JSON.parse(text)).toEqual({ endpoint: "https://m.example.com", userId: "alice" });
  });

  it("rejects invalid values and unknown keys without writing", async () => {
    await expect(saveProfile(dir, { timeoutMs: -1 })).rejects.toThrow(/timeoutMs/);
    await expect(saveProfile(dir, { color: "red" } as unknown as ProfilePatch)).rejects.toThrow(ConfigError);
    expect(readProfile(dir).exists).toBe(false);
  });

  it("refuses to overwrite a file that is not valid JSON", async () => {
    writeProfile("{ hand edited");
    await expect(saveProfile(dir, { userId: "alice" })).rejects.toThrow(/not valid JSON/);
    expect(readFileSync(profilePath(dir), "utf8")).toBe("{ hand edited");
  });
});

describe("config dir", () => {
  it("uses MEMORY_BRIDGE_CONFIG_DIR, made absolute", () => {
    expect(resolveConfigDir({ MEMORY_BRIDGE_CONFIG_DIR: dir })).toBe(dir);
    expect(resolveConfigDir({ MEMORY_BRIDGE_CONFIG_DIR: "rel" })).toBe(path.resolve("rel"));
    expect(resolveConfigDir({ MEMORY_BRIDGE_CONFIG_DIR: "", XDG_CONFIG_HOME: dir })).toBe(path.join(dir, "mcp-memory-bridge"));
  });

  it("computes conf's layout without its -nodejs suffix per platform, and the old folder's", () => {
    expect(defaultConfigDir({}, "linux", "/home/a")).toBe("/home/a/.config/mcp-memory-bridge");
    expect(defaultConfigDir({ XDG_CONFIG_HOME: "/x" }, "linux", "/home/a")).toBe("/x/mcp-memory-bridge");
    expect(defaultConfigDir({}, "darwin", "/Users/a")).toBe("/Users/a/Library/Preferences/mcp-memory-bridge");
    expect(defaultConfigDir({ APPDATA: "C:\\Users\\a\\AppData\\Roaming" }, "win32", "C:\\Users\\a")).toBe("C:\\Users\\a\\AppData\\Roaming\\mcp-memory-bridge\\Config");
    expect(legacyConfigDir({}, "linux", "/home/a")).toBe("/home/a/.config/mcp-memory-bridge-nodejs");
    expect(legacyConfigDir({ APPDATA: "C:\\Users\\a\\AppData\\Roaming" }, "win32", "C:\\Users\\a")).toBe(
      "C:\\Users\\a\\AppData\\Roaming\\mcp-memory-bridge-nodejs\\Config",
    );
  });

  it.runIf(process.platform === "linux")("matches the directory conf picks by itself", () => {
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = dir; // keep conf away from the real user's config dir
    try {
      const conf = new Conf({ projectName: "mcp-memory-bridge", projectSuffix: "" });
      expect(conf.path).toBe(profilePath(defaultConfigDir(process.env)));
      expect(conf.path.startsWith(dir)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
    }
  });

  it("feeds loadSettings end to end from a temp MEMORY_BRIDGE_CONFIG_DIR", async () => {
    await saveProfile(dir, { endpoint: "https://m.example.com", projectMode: "global" });
    const env = { MEMORY_BRIDGE_CONFIG_DIR: dir, MEMORY_BRIDGE_PROJECT_MODE: "manual" };
    const settings = loadSettings({ env, profile: readProfile(resolveConfigDir(env)).profile, osUserName: "u" });
    expect(settings).toMatchObject({ endpoint: "https://m.example.com", endpointSource: "profile", projectMode: "manual", configDir: dir });
  });
});
