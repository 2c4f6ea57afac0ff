import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCommand, tempHome } from "../helpers/command-io.js";

const ENDPOINT = "https://memory.example.com/api";
const CHECKOUT_BIN = "/work/checkout/bin/mcp-memory-bridge.js";

/** A HOME with a config dir for the bridge; `env` for runCommand. */
function machine(platform: NodeJS.Platform = "linux") {
  const home = tempHome();
  const env = { MEMORY_BRIDGE_CONFIG_DIR: join(home, "bridge-config") };
  const desktop = platform === "darwin" ? join(home, "Library", "Application Support", "Claude") : join(home, ".config", "Claude");
  return { home, env, platform, desktopFile: join(desktop, "claude_desktop_config.json"), desktopDir: desktop };
}

const install = (m: ReturnType<typeof machine>, args: string[], extraEnv: Record<string, string> = {}, host = {}) =>
  runCommand(["install", ...args], { env: { ...m.env, ...extraEnv }, host: { platform: m.platform, home: m.home, ...host } });
const uninstall = (m: ReturnType<typeof machine>, args: string[]) => runCommand(["uninstall", ...args], { env: m.env, host: { platform: m.platform, home: m.home } });

describe.each(["linux", "darwin"] as const)("install on %s (in-process, injected platform and home)", (platform) => {
  it("a fresh install creates the file with the entry, and tells the user to restart the client", async () => {
    const m = machine(platform);
    const run = await install(m, ["--client", "claude-desktop", "--endpoint", ENDPOINT]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(m.desktopFile, "utf8"))).toEqual({
      mcpServers: { memory: { command: "/opt/node/bin/node", args: [CHECKOUT_BIN], env: { MEMORY_BRIDGE_ENDPOINT: ENDPOINT, MEMORY_BRIDGE_CONFIG_DIR: m.env.MEMORY_BRIDGE_CONFIG_DIR } } },
    });
    expect(run.stdout).toContain(`✓ Claude Desktop: added "memory" (endpoint ${ENDPOINT}) in ${m.desktopFile}.`);
    expect(run.stdout).toMatch(/Quit Claude Desktop completely .* open it again/);
    expect(existsSync(`${m.desktopFile}.bak`)).toBe(false);
  });

  it("a second install changes nothing: same bytes, no .bak churn", async () => {
    const m = machine(platform);
    mkdirSync(m.desktopDir, { recursive: true });
    writeFileSync(m.desktopFile, '{\n  "mcpServers": {}\n}\n');
    expect((await install(m, ["--client", "claude-desktop", "--endpoint", ENDPOINT])).code).toBe(0);
    const first = readFileSync(m.desktopFile);
    const bak = readFileSync(`${m.desktopFile}.bak`, "utf8");
    const bakTime = statSync(`${m.desktopFile}.bak`).mtimeMs;
    const again = await install(m, ["--client", "claude-desktop", "--endpoint", ENDPOINT]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already set up .* nothing changed/);
    expect(readFileSync(m.desktopFile).equals(first)).toBe(true);
    expect(readFileSync(`${m.desktopFile}.bak`, "utf8")).toBe(bak);
    expect(statSync(`${m.desktopFile}.bak`).mtimeMs).toBe(bakTime);
  });
});

describe("install keeps what is not ours", () => {
  it("other servers, unknown keys and comments survive; .bak holds the previous content", async () => {
    const m = machine();
    const file = join(m.home, ".config", "Code", "User", "mcp.json");
    mkdirSync(join(m.home, ".config", "Code", "User"), { recursive: true });
    const before = '{\n  // my servers\n  "servers": {\n    "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" },\n  },\n  "inputs": [{ "id": "x" }],\n}\n';
    writeFileSync(file, before);
    const run = await install(m, ["--client", "vscode", "--endpoint", ENDPOINT]);
    expect(run.code, run.stderr).toBe(0);
    const after = readFileSync(file, "utf8");
    expect(after).toContain("  // my servers\n");
    expect(after).toContain('    "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" },\n    "memory": {\n      "type": "stdio",');
    expect(after).toContain('  "inputs": [{ "id": "x" }],\n}\n');
    expect(readFileSync(`${file}.bak`, "utf8")).toBe(before);
    expect(run.stdout).toContain(`the previous file is ${file}.bak`);
  });

  it("an invalid JSON file is left byte-identical, exit 1, with the line and column", async () => {
    const m = machine();
    mkdirSync(m.desktopDir, { recursive: true });
    const broken = '{\n  "mcpServers": {\n    "a": { "command": "a" }\n    "b": {}\n  }\n}\n';
    writeFileSync(m.desktopFile, broken);
    const run = await install(m, ["--client", "claude-desktop", "--endpoint", ENDPOINT]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`✗ Claude Desktop: ${m.desktopFile} is not valid JSON (line 4, column 5: CommaExpected); it was left untouched.`);
    expect(readFileSync(m.desktopFile, "utf8")).toBe(broken);
    expect(existsSync(`${m.desktopFile}.bak`)).toBe(false);
  });

  it("an entry of that name that is not the bridge is never overwritten; --name picks another", async () => {
    const m = machine();
    mkdirSync(join(m.home, ".cursor"));
    const file = join(m.home, ".cursor", "mcp.json");
    const theirs = '{"mcpServers": {"memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]}}}';
    writeFileSync(file, theirs);
    const refused = await install(m, ["--client", "cursor", "--endpoint", ENDPOINT]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already has a server named "memory" that is not this bridge .*--name memory-bridge/);
    expect(readFileSync(file, "utf8")).toBe(theirs);
    const named = await install(m, ["--client", "cursor", "--name", "memory-bridge", "--endpoint", ENDPOINT]);
    expect(named.code, named.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(file, "utf8")).mcpServers)).toEqual(["memory", "memory-bridge"]);
  });

  it("an existing bridge entry is updated in place; a token left in its env is dropped and said so", async () => {
    const m = machine();
    mkdirSync(m.desktopDir, { recursive: true });
    const old = { command: "npx", args: ["-y", "mcp-memory-bridge@0"], env: { MEMORY_BRIDGE_TOKEN: "tok_left_behind", MEMORY_BRIDGE_ENDPOINT: "http://old/api" }, disabled: false };
    writeFileSync(m.desktopFile, JSON.stringify({ mcpServers: { a: { command: "a" }, memory: old, z: { command: "z" } } }, null, 2));
    const run = await install(m, ["--client", "claude-desktop", "--endpoint", ENDPOINT]);
    expect(run.code, run.stderr).toBe(0);
    const servers = JSON.parse(readFileSync(m.desktopFile, "utf8")).mcpServers;
    expect(Object.keys(servers)).toEqual(["a", "memory", "z"]);
    expect(servers.memory).toEqual({ command: "/opt/node/bin/node", args: [CHECKOUT_BIN], env: { MEMORY_BRIDGE_ENDPOINT: ENDPOINT, MEMORY_BRIDGE_CONFIG_DIR: m.env.MEMORY_BRIDGE_CONFIG_DIR }, disabled: false });
    expect(run.stdout).toContain('updated "memory"');
    expect(run.stdout).toMatch(/Removed from its env: MEMORY_BRIDGE_TOKEN .*keychain/);
    expect(run.stdout + run.stderr).not.toContain("tok_left_behind");
  });
});

describe("the entry's env", () => {
  it("pins the endpoint and every non-default setting, never the token", async () => {
    const m = machine();
    const run = await install(m, ["--client", "cursor", "--print", "--project-mode", "global", "--timeout", "20000"], {
      MEMORY_BRIDGE_ENDPOINT: "http://127.0.0.1:8000/api",
      MEMORY_BRIDGE_TOKEN: "tok_never_in_a_config_file",
      MEMORY_BRIDGE_AUTH_SCHEME: "x-api-key",
    });
    expect(run.code, run.stderr).toBe(0);
    const entry = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"), run.stdout.lastIndexOf("}") + 1)).mcpServers.memory;
    expect(entry.env).toEqual({
      MEMORY_BRIDGE_ENDPOINT: "http://127.0.0.1:8000/api",
      MEMORY_BRIDGE_AUTH_SCHEME: "x-api-key",
      MEMORY_BRIDGE_PROJECT_MODE: "global",
      MEMORY_BRIDGE_TIMEOUT_MS: "20000",
      MEMORY_BRIDGE_CONFIG_DIR: m.env.MEMORY_BRIDGE_CONFIG_DIR,
    });
    expect(run.stdout).not.toContain("tok_never_in_a_config_file");
    expect(existsSync(join(m.home, ".cursor"))).toBe(false); // --print writes nothing
  });

  it("takes the endpoint from the saved profile, and refuses without one", async () => {
    const m = machine();
    mkdirSync(m.env.MEMORY_BRIDGE_CONFIG_DIR);
    const none = await install(m, ["--client", "cursor"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("No memory server is configured");
    expect(none.stderr).toContain(`node ${CHECKOUT_BIN} login URL`);
    writeFileSync(join(m.env.MEMORY_BRIDGE_CONFIG_DIR, "config.json"), JSON.stringify({ endpoint: ENDPOINT, backend: "mcp-memory-service" }));
    const run = await install(m, ["--client", "cursor", "--print"]);
    expect(run.stdout).toContain(`"MEMORY_BRIDGE_ENDPOINT": "${ENDPOINT}"`);
    expect(run.stdout).toContain('"MEMORY_BRIDGE_BACKEND": "mcp-memory-service"');
  });
});

describe("the Windows entry (platform injection)", () => {
  it("npx through cmd /c, with node's folder first on PATH, at %APPDATA%", async () => {
    const run = await runCommand(["install", "--client", "claude-desktop", "--print", "--endpoint", ENDPOINT], {
      env: { APPDATA: "C:\\Users\\u\\AppData\\Roaming", Path: "C:\\Windows\\system32" },
      host: {
        platform: "win32",
        home: "C:\\Users\\u",
        execPath: "C:\\Program Files\\nodejs\\node.exe",
        scriptPath: "C:\\Users\\u\\AppData\\Local\\npm-cache\\_npx\\ab12\\node_modules\\mcp-memory-bridge\\bin\\mcp-memory-bridge.js",
      },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Claude Desktop — add to C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json:");
    const entry = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"), run.stdout.lastIndexOf("}") + 1)).mcpServers.memory;
    expect(entry).toEqual({
      command: "cmd",
      args: ["/c", "npx", "-y", "mcp-memory-bridge@0"],
      env: { MEMORY_BRIDGE_ENDPOINT: ENDPOINT, PATH: "C:\\Program Files\\nodejs;C:\\Windows\\system32" },
    });
  });
});

describe("choosing clients", () => {
  it("all = every client whose config folder exists; none found is exit 1", async () => {
    const m = machine();
    const none = await install(m, ["--client", "all", "--endpoint", ENDPOINT]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("No MCP client was found on this machine");
    mkdirSync(join(m.home, ".cursor"));
    mkdirSync(join(m.home, ".gemini"));
    const run = await install(m, ["--client", "all", "--endpoint", ENDPOINT]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Cursor: added[\s\S]*Gemini CLI: added/);
    expect(run.stdout).not.toContain("Claude Desktop");
    expect(existsSync(join(m.home, ".gemini", "settings.json"))).toBe(true);
  });

  it("an unknown client is a usage error with a suggestion; no client named is one too", async () => {
    const m = machine();
    const typo = await install(m, ["--client", "cusor"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/Unknown client "cusor" \(did you mean cursor\?\)\. Known clients: claude-desktop, claude-code, cursor/);
    const claude = await install(m, ["--client", "claude"]);
    expect(claude.stderr).toContain("did you mean claude-desktop or claude-code?");
    const nothing = await install(m, []);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/Name the client: --client claude-desktop\|claude-code\|.*\|all\. Run: .* install --help/);
  });

  it("takes several clients as repeated flags, commas or arguments", async () => {
    const m = machine();
    const run = await install(m, ["--client", "cursor,windsurf", "--client", "zed", "gemini-cli", "--print", "--endpoint", ENDPOINT]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.match(/^\S.* — add to /gm)?.map((line) => line.split(" — ")[0])).toEqual(["Cursor", "Windsurf", "Zed", "Gemini CLI"]);
  });
});

describe("--global", () => {
  it("writes the global command found on PATH, and refuses when there is none", async () => {
    const m = machine();
    const missing = await install(m, ["--client", "cursor", "--global", "--print", "--endpoint", ENDPOINT]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--global: mcp-memory-bridge is not installed globally .*npm install -g/);
    const run = await install(m, ["--client", "cursor", "--global", "--print", "--endpoint", ENDPOINT], { PATH: "/usr/bin" }, { executables: { "mcp-memory-bridge": "/usr/local/bin/mcp-memory-bridge" } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('"command": "/usr/local/bin/mcp-memory-bridge"');
    expect(run.stdout).toContain('"PATH": "/usr/local/bin:/opt/node/bin:/usr/bin"');
  });
});

describe("Codex (TOML)", () => {
  it("installs into config.toml keeping everything else, and uninstall restores the bytes", async () => {
    const m = machine();
    mkdirSync(join(m.home, ".codex"));
    const file = join(m.home, ".codex", "config.toml");
    const before = '# mine\nmodel = "o3"\n\n[mcp_servers.docs]\ncommand = "docs"\n';
    writeFileSync(file, before);
    const run = await install(m, ["--client", "codex", "--endpoint", ENDPOINT]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toContain(`${before}\n[mcp_servers.memory]\ncommand = "/opt/node/bin/node"\n`);
    expect(run.stdout).toContain("Start a new Codex session");
    const removed = await uninstall(m, ["--client", "codex"]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("an entry it cannot rewrite safely is left alone, with the entry to paste", async () => {
    const m = machine();
    mkdirSync(join(m.home, ".codex"));
    const file = join(m.home, ".codex", "config.toml");
    const before = '[mcp_servers]\nmemory = { command = "npx", args = ["-y", "mcp-memory-bridge@0"] }\n';
    writeFileSync(file, before);
    const run = await install(m, ["--client", "codex", "--endpoint", ENDPOINT]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/does not rewrite .*left untouched\.\nAdd it by hand instead:\n\[mcp_servers\.memory\]\ncommand = /);
    expect(readFileSync(file, "utf8")).toBe(before);
  });
});

describe("Claude Code through its CLI", () => {
  const claude = { executables: { claude: "/usr/local/bin/claude" } };

  it("runs claude mcp add-json --scope user when claude is on PATH, and nothing when the entry is already there", async () => {
    const m = machine();
    const run = await install(m, ["--client", "claude-code", "--endpoint", ENDPOINT], {}, claude);
    expect(run.code, run.stderr).toBe(0);
    const entry = { type: "stdio", command: "/opt/node/bin/node", args: [CHECKOUT_BIN], env: { MEMORY_BRIDGE_ENDPOINT: ENDPOINT, MEMORY_BRIDGE_CONFIG_DIR: m.env.MEMORY_BRIDGE_CONFIG_DIR } };
    expect(run.host.runs).toEqual([{ command: "/usr/local/bin/claude", args: ["mcp", "add-json", "--scope", "user", "memory", JSON.stringify(entry)] }]);
    expect(run.stdout).toContain("(through /usr/local/bin/claude)");
    expect(run.stdout).toContain("Start a new Claude Code session");

    // What claude wrote: the same entry (with an empty env it would add) → no second call.
    writeFileSync(join(m.home, ".claude.json"), JSON.stringify({ numStartups: 3, mcpServers: { memory: entry } }));
    const again = await install(m, ["--client", "claude-code", "--endpoint", ENDPOINT], {}, claude);
    expect(again.host.runs).toEqual([]);
    expect(again.stdout).toContain("nothing changed");

    // A different entry of ours is replaced: remove, then add.
    const moved = await install(m, ["--client", "claude-code", "--endpoint", "https://other.example.com/api"], {}, claude);
    expect(moved.host.runs.map((r) => r.args.slice(0, 2).join(" "))).toEqual(["mcp remove", "mcp add-json"]);
  });

  it("a failing claude CLI is reported with its output and the entry to paste", async () => {
    const m = machine();
    const run = await install(m, ["--client", "claude-code", "--endpoint", ENDPOINT], {}, { ...claude, answer: () => ({ code: 1, stdout: "", stderr: "boom" }) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/✗ Claude Code: `claude mcp add-json --scope` failed \(exit 1\): boom\.\nAdd it by hand instead:/);
  });

  it("without claude on PATH it edits ~/.claude.json, keeping every other key", async () => {
    const m = machine();
    writeFileSync(join(m.home, ".claude.json"), '{"numStartups": 3, "projects": {"/x": {"mcpServers": {}}}}');
    const run = await install(m, ["--client", "claude-code", "--endpoint", ENDPOINT]);
    expect(run.code, run.stderr).toBe(0);
    const file = JSON.parse(readFileSync(join(m.home, ".claude.json"), "utf8"));
    expect(file.numStartups).toBe(3);
    expect(file.projects).toEqual({ "/x": { mcpServers: {} } });
    expect(file.mcpServers.memory.type).toBe("stdio");
  });
});

describe("uninstall", () => {
  it("removes only our entry; a second run says there is nothing to remove", async () => {
    const m = machine();
    mkdirSync(m.desktopDir, { recursive: true });
    const before = '{\n  "mcpServers": {\n    "fs": {"command": "fs"}\n  },\n  "other": true\n}\n';
    writeFileSync(m.desktopFile, before);
    await install(m, ["--client", "claude-desktop", "--endpoint", ENDPOINT]);
    const run = await uninstall(m, ["--client", "claude-desktop"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`✓ Claude Desktop: removed "memory" from ${m.desktopFile}`);
    expect(readFileSync(m.desktopFile, "utf8")).toBe(before);
    const again = await uninstall(m, ["--client", "claude-desktop"]);
    expect(again.stdout).toContain('no entry named "memory"');
  });

  it("leaves a foreign entry of that name alone (exit 1)", async () => {
    const m = machine();
    mkdirSync(join(m.home, ".cursor"));
    const theirs = '{"mcpServers": {"memory": {"command": "npx", "args": ["@modelcontextprotocol/server-memory"]}}}';
    writeFileSync(join(m.home, ".cursor", "mcp.json"), theirs);
    const run = await uninstall(m, ["--client", "cursor"]);
    expect(run.code).toBe(1);
    expect(readFileSync(join(m.home, ".cursor", "mcp.json"), "utf8")).toBe(theirs);
  });

  it("all: clients without the entry are skipped quietly", async () => {
    const m = machine();
    mkdirSync(join(m.home, ".cursor"));
    mkdirSync(join(m.home, ".gemini"));
    await install(m, ["--client", "cursor", "--endpoint", ENDPOINT]);
    const run = await uninstall(m, ["--client", "all"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    expect(run.stdout).toContain("Cursor: removed");
    const none = await uninstall(m, ["--client", "all"]);
    expect(none.stdout).toContain('No client found here has an entry named "memory"');
  });
});

describe("--help", () => {
  it.each(["install", "uninstall"])("%s --help teaches the clients, options and examples", async (command) => {
    const run = await runCommand([command, "--help"]);
    expect(run.code).toBe(0);
    for (const text of ["--client NAME", "claude-desktop", "Claude Code", "codex", "zed", "Examples:", "--name NAME"]) expect(run.stdout).toContain(text);
  });
});

describe("replacing mcp-memory-service's http-mcp-bridge.js", () => {
  it("takes over an entry that runs it, dropping its API key from the env (and saying so)", async () => {
    const m = machine();
    mkdirSync(m.desktopDir, { recursive: true });
    const legacy = { command: "node", args: ["/opt/mcp-memory-service/examples/http-mcp-bridge.js"], env: { MCP_MEMORY_HTTP_ENDPOINT: ENDPOINT, MCP_MEMORY_API_KEY: "tok_legacy_key" } };
    writeFileSync(m.desktopFile, JSON.stringify({ mcpServers: { memory: legacy } }, null, 2));
    const run = await install(m, ["--client", "claude-desktop", "--endpoint", ENDPOINT]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(m.desktopFile, "utf8")).mcpServers.memory.args).toEqual([CHECKOUT_BIN]);
    expect(run.stdout).toMatch(/Removed from its env: MCP_MEMORY_HTTP_ENDPOINT, MCP_MEMORY_API_KEY/);
    // The user's own previous file keeps it; the message says to delete it.
    expect(readFileSync(`${m.desktopFile}.bak`, "utf8")).toContain("tok_legacy_key");
    expect(run.stdout).toContain(`${m.desktopFile}.bak still holds that token: delete it once the client works.`);
  });
});
