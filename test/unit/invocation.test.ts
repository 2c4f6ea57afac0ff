import { describe, expect, it } from "vitest";
import { clientLaunch, prependPath, type LaunchInput } from "../../src/invocation/client-launch.js";
import { commandName } from "../../src/invocation/command-name.js";
import { findExecutable } from "../../src/invocation/find-executable.js";
import { howStarted, type Invocation } from "../../src/invocation/how-started.js";

const none = () => false;

describe("howStarted", () => {
  it("npx: the package lives in npm's _npx cache", () => {
    const started = howStarted({ invokedPath: "/home/u/.npm/_npx/cc90bf04/node_modules/mcp-memory-bridge/bin/mcp-memory-bridge.js", realPath: "/home/u/.npm/_npx/cc90bf04/node_modules/mcp-memory-bridge/bin/mcp-memory-bridge.js", platform: "linux", exists: none });
    expect(started).toMatchObject({ kind: "npx", packageRoot: "/home/u/.npm/_npx/cc90bf04/node_modules/mcp-memory-bridge" });
  });

  it("global on POSIX: <prefix>/lib/node_modules with the command in <prefix>/bin", () => {
    const command = "/home/u/.nvm/versions/node/v22.1.0/bin/mcp-memory-bridge";
    const script = "/home/u/.nvm/versions/node/v22.1.0/lib/node_modules/mcp-memory-bridge/bin/mcp-memory-bridge.js";
    const started = howStarted({
      invokedPath: script,
      realPath: script,
      platform: "darwin",
      exists: (file) => file === command,
    });
    expect(started).toMatchObject({ kind: "global", globalCommand: command });
  });

  it("global on Windows: <prefix>\\node_modules with <prefix>\\mcp-memory-bridge.cmd", () => {
    const started = howStarted({
      invokedPath: "C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\mcp-memory-bridge\\bin\\mcp-memory-bridge.js",
      realPath: "C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\mcp-memory-bridge\\bin\\mcp-memory-bridge.js",
      platform: "win32",
      exists: (file) => file === "C:\\Users\\u\\AppData\\Roaming\\npm\\mcp-memory-bridge.cmd",
    });
    expect(started).toMatchObject({ kind: "global", globalCommand: "C:\\Users\\u\\AppData\\Roaming\\npm\\mcp-memory-bridge.cmd" });
  });

  it("npm install -g . links a clone: the command on PATH (or the .cmd beside the junction) says global", () => {
    const clone = "/src/bridge/bin/mcp-memory-bridge.js";
    expect(howStarted({ invokedPath: "/usr/local/bin/mcp-memory-bridge", realPath: clone, platform: "linux", exists: none })).toEqual({
      kind: "global",
      packageRoot: "/src/bridge",
      binScript: clone,
      globalCommand: "/usr/local/bin/mcp-memory-bridge",
    });
    const windows = howStarted({
      invokedPath: "C:\\npm\\node_modules\\mcp-memory-bridge\\bin\\mcp-memory-bridge.js",
      realPath: "D:\\src\\bridge\\bin\\mcp-memory-bridge.js",
      platform: "win32",
      exists: (file) => file === "C:\\npm\\mcp-memory-bridge.cmd",
    });
    expect(windows).toMatchObject({ kind: "global", packageRoot: "D:\\src\\bridge", globalCommand: "C:\\npm\\mcp-memory-bridge.cmd" });
    // npx and a project run node_modules/.bin/mcp-memory-bridge, which is not a global command.
    expect(howStarted({ invokedPath: "/srv/app/node_modules/.bin/mcp-memory-bridge", realPath: "/srv/app/node_modules/mcp-memory-bridge/bin/mcp-memory-bridge.js", platform: "linux", exists: none }).kind).toBe("local");
    expect(howStarted({ invokedPath: "/h/.npm/_npx/1/node_modules/.bin/mcp-memory-bridge", realPath: "/h/.npm/_npx/1/node_modules/mcp-memory-bridge/bin/mcp-memory-bridge.js", platform: "linux", exists: none }).kind).toBe("npx");
  });

  it("a project's dependency is local; anything outside node_modules is a checkout", () => {
    expect(howStarted({ invokedPath: "/srv/app/node_modules/mcp-memory-bridge/bin/mcp-memory-bridge.js", realPath: "/srv/app/node_modules/mcp-memory-bridge/bin/mcp-memory-bridge.js", platform: "linux", exists: none }).kind).toBe("local");
    // lib/node_modules without the linked command is not a global install.
    expect(howStarted({ invokedPath: "/x/lib/node_modules/mcp-memory-bridge/bin/mcp-memory-bridge.js", realPath: "/x/lib/node_modules/mcp-memory-bridge/bin/mcp-memory-bridge.js", platform: "linux", exists: none }).kind).toBe("local");
    expect(howStarted({ invokedPath: "/src/mcp-memory-bridge/bin/mcp-memory-bridge.js", realPath: "/src/mcp-memory-bridge/bin/mcp-memory-bridge.js", platform: "linux", exists: none })).toEqual({
      kind: "checkout",
      packageRoot: "/src/mcp-memory-bridge",
      binScript: "/src/mcp-memory-bridge/bin/mcp-memory-bridge.js",
    });
  });
});

describe("commandName", () => {
  const at = (kind: Invocation["kind"], binScript = "/src/bridge/bin/mcp-memory-bridge.js"): Invocation => ({ kind, packageRoot: "/src/bridge", binScript });
  it("names the command the way it was started, so a printed command runs as printed", () => {
    expect(commandName(at("npx"), "/tmp", "linux")).toBe("npx mcp-memory-bridge");
    expect(commandName(at("local"), "/tmp", "linux")).toBe("npx mcp-memory-bridge");
    expect(commandName(at("global"), "/tmp", "linux")).toBe("mcp-memory-bridge");
    expect(commandName(at("checkout"), "/tmp", "linux")).toBe("node /src/bridge/bin/mcp-memory-bridge.js");
    expect(commandName(at("checkout"), "/src/bridge", "linux")).toBe("node bin/mcp-memory-bridge.js");
    expect(commandName(at("checkout", "/My Code/b/bin/mcp-memory-bridge.js"), "/tmp", "linux")).toBe("node '/My Code/b/bin/mcp-memory-bridge.js'");
    expect(commandName(at("checkout", "C:\\My Code\\b\\bin\\mcp-memory-bridge.js"), "D:\\", "win32")).toBe('node "C:\\My Code\\b\\bin\\mcp-memory-bridge.js"');
  });
});

describe("clientLaunch", () => {
  const base = (overrides: Partial<LaunchInput>): LaunchInput => ({
    invocation: { kind: "npx", packageRoot: "/cache/_npx/1/node_modules/mcp-memory-bridge", binScript: "/cache/_npx/1/node_modules/mcp-memory-bridge/bin/mcp-memory-bridge.js" },
    platform: "linux",
    execPath: "/home/u/.nvm/versions/node/v22.1.0/bin/node",
    env: { PATH: "/usr/local/bin:/usr/bin:/home/u/.nvm/versions/node/v22.1.0/bin" },
    major: "0",
    global: false,
    exists: (file) => file === "/home/u/.nvm/versions/node/v22.1.0/bin/npx",
    findExecutable: () => undefined,
    ...overrides,
  });

  it("npx: the npx beside this node, pinned to the major, node's folder first on PATH", () => {
    expect(clientLaunch(base({}))).toEqual({
      command: "/home/u/.nvm/versions/node/v22.1.0/bin/npx",
      args: ["-y", "mcp-memory-bridge@0"],
      env: { PATH: "/home/u/.nvm/versions/node/v22.1.0/bin:/usr/local/bin:/usr/bin" },
    });
  });

  it("npx on Windows runs through cmd /c, with node's folder first on PATH (however the variable is spelled)", () => {
    const launch = clientLaunch(
      base({ platform: "win32", execPath: "C:\\Program Files\\nodejs\\node.exe", env: { Path: "C:\\Windows\\system32;C:\\Program Files\\nodejs\\" } }),
    );
    expect(launch).toEqual({ command: "cmd", args: ["/c", "npx", "-y", "mcp-memory-bridge@0"], env: { PATH: "C:\\Program Files\\nodejs;C:\\Windows\\system32" } });
  });

  it("a checkout (or a project's dependency) runs its own bin with this node, needing no PATH", () => {
    const checkout = { kind: "checkout" as const, packageRoot: "/src/b", binScript: "/src/b/bin/mcp-memory-bridge.js" };
    expect(clientLaunch(base({ invocation: checkout }))).toEqual({ command: "/home/u/.nvm/versions/node/v22.1.0/bin/node", args: ["/src/b/bin/mcp-memory-bridge.js"], env: {} });
  });

  it("--global: this run's global command, else the one on PATH, else npm's global prefix; refused when none", () => {
    const fromPath = clientLaunch(base({ global: true, findExecutable: (name) => (name === "mcp-memory-bridge" ? "/usr/local/bin/mcp-memory-bridge" : undefined) }));
    expect(fromPath).toEqual({ command: "/usr/local/bin/mcp-memory-bridge", args: [], env: { PATH: "/usr/local/bin:/home/u/.nvm/versions/node/v22.1.0/bin:/usr/bin" } });
    const fromPrefix = clientLaunch(base({ global: true, env: { PATH: "/usr/bin", npm_config_global_prefix: "/opt/npm" }, exists: (file) => file === "/opt/npm/bin/mcp-memory-bridge" }));
    expect(fromPrefix.command).toBe("/opt/npm/bin/mcp-memory-bridge");
    expect(() => clientLaunch(base({ global: true }))).toThrow(expect.objectContaining({ code: "no-global-install" }));
    const windows = clientLaunch(
      base({ global: true, platform: "win32", execPath: "C:\\node\\node.exe", env: { PATH: "C:\\Windows" }, invocation: { kind: "global", packageRoot: "x", binScript: "y", globalCommand: "C:\\npm\\mcp-memory-bridge.cmd" } }),
    );
    expect(windows).toEqual({ command: "cmd", args: ["/c", "mcp-memory-bridge"], env: { PATH: "C:\\npm;C:\\node;C:\\Windows" } });
  });

  it("a global install run as itself writes the global form without --global", () => {
    const global = { kind: "global" as const, packageRoot: "/p/lib/node_modules/mcp-memory-bridge", binScript: "/p/lib/node_modules/mcp-memory-bridge/bin/mcp-memory-bridge.js", globalCommand: "/p/bin/mcp-memory-bridge" };
    expect(clientLaunch(base({ invocation: global })).command).toBe("/p/bin/mcp-memory-bridge");
  });
});

describe("prependPath and findExecutable", () => {
  it("puts the folders first once, dropping empty entries", () => {
    expect(prependPath(["/a"], "/b::/a/:/c", "linux")).toBe("/a:/b:/c");
    expect(prependPath(["C:\\A"], "c:\\a\\;C:\\B", "win32")).toBe("C:\\A;C:\\B");
  });

  it("looks names up on PATH in order, with PATHEXT on Windows", () => {
    const files = new Set(["/b/claude", "/c/claude", "C:\\npm\\claude.cmd"]);
    const isExecutableFile = (file: string) => files.has(file);
    expect(findExecutable("claude", { env: { PATH: "/a:/b:/c" }, platform: "linux", isExecutableFile })).toBe("/b/claude");
    expect(findExecutable("claude", { env: { PATH: "relative:/nowhere" }, platform: "linux", isExecutableFile })).toBeUndefined();
    expect(findExecutable("claude", { env: { Path: "C:\\npm", PATHEXT: ".EXE;.CMD" }, platform: "win32", isExecutableFile })).toBe("C:\\npm\\claude.cmd");
  });
});
