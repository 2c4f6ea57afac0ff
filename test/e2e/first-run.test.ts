import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { startBridge, textOf } from "./harness.js";
import { runCli, runPrinted } from "./run-cli.js";

/** issue 10: every message a newcomer meets names the cause and a command that runs as printed. */

const TOKEN = "tok_first_run_Zq93distinctive";
let fixture: MemoryServiceFixture;
let configDir: string;

beforeAll(async () => {
  fixture = await createMemoryServiceFixture({ token: TOKEN });
});
afterAll(async () => {
  await fixture.close();
});
beforeEach(() => {
  fixture.reset();
  fixture.clearRequests();
  configDir = mkdtempSync(join(tmpdir(), "bridge-first-run-"));
});

const envWith = (extra: Record<string, string> = {}) => ({ MEMORY_BRIDGE_CONFIG_DIR: configDir, ...extra });

/** The command a message tells the user to run (in backticks), e.g. `… login URL --insecure-storage`. */
function printedCommand(message: string, containing: string): string {
  const found = [...message.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).find((command) => command.includes(containing));
  if (found === undefined) throw new Error(`no \`…${containing}…\` command in: ${message}`);
  return found;
}

describe("item 1: headless login without a keychain", () => {
  it("says so before reading the token or calling the server, and its --insecure-storage command runs as printed", async () => {
    const run = await runCli(["login", fixture.url, "--with-token"], { input: `${TOKEN}\n`, env: envWith() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no D-Bus session bus/);
    expect(run.stderr).toMatch(/Nothing was stored\./);
    expect(fixture.requests).toHaveLength(0);

    const suggested = printedCommand(run.stderr, "--insecure-storage");
    expect(suggested).toContain(`login ${fixture.url} --with-token --insecure-storage`);
    const again = await runPrinted(suggested, { input: `${TOKEN}\n`, env: envWith() });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Logged in/);
    expect(JSON.parse(readFileSync(join(configDir, "credentials.json"), "utf8"))).toEqual({ [fixture.url]: TOKEN });
  });

  it("spells out a URL that came from the environment, so the command works without it", async () => {
    const run = await runCli(["login", "--with-token"], { input: TOKEN, env: envWith({ MEMORY_BRIDGE_ENDPOINT: fixture.url }) });
    expect(run.code).toBe(1);
    const suggested = printedCommand(run.stderr, "--insecure-storage");
    expect(suggested).toContain(`login ${fixture.url} --with-token --insecure-storage`);
    const again = await runPrinted(suggested, { input: TOKEN, env: envWith() });
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(join(configDir, "credentials.json"))).toBe(true);
  });
});

describe("item 4: a wrong token from the environment", () => {
  it.each(["MEMORY_BRIDGE_TOKEN", "MCP_MEMORY_API_KEY"])("%s: status and doctor name the variable and say to fix or unset it; unsetting it works", async (variable) => {
    const login = await runCli(["login", fixture.url, "--with-token", "--insecure-storage"], { input: TOKEN, env: envWith() });
    expect(login.code, login.stderr).toBe(0);
    const wrong = envWith({ [variable]: "tok_wrong_from_env_123456" });

    const status = await runCli(["status"], { env: wrong });
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(new RegExp(`token comes from ${variable}, which wins over any stored token`));
    expect(status.stdout).toMatch(/fix its value .* or unset it/);
    expect(status.stdout).not.toMatch(/Run: .* login/);
    const doctor = await runCli(["doctor"], { env: wrong });
    expect(doctor.stdout).toMatch(new RegExp(`✗ token.*${variable}.*unset it`));

    const unset = printedCommand(status.stdout, "unset");
    expect(unset).toBe(`unset ${variable}`);
    const fixed = await runPrinted(`${unset}; "${process.execPath}" bin/mcp-memory-bridge.js status`, { env: wrong, cwd: process.cwd() });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/token accepted: yes/);
  });

  it("a tool call says the same", async () => {
    const bridge = await startBridge({ env: envWith({ MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: "tok_wrong_from_env_123456" }) });
    try {
      const result = await bridge.client.callTool({ name: "search_memories", arguments: { query: "anything" } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/token comes from MEMORY_BRIDGE_TOKEN.*unset MEMORY_BRIDGE_TOKEN/);
    } finally {
      await bridge.transport.close();
    }
  });
});

/** The command after "Run: " at the end of a message. */
function runLine(message: string): string {
  const found = /Run: (.+)$/m.exec(message)?.[1];
  if (found === undefined) throw new Error(`no "Run: …" in: ${message}`);
  return found;
}

describe("item 5: typos and flags that do nothing", () => {
  const working = () => envWith({ MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: TOKEN });

  it("a misspelt command gets the nearest one, and the printed command runs", async () => {
    const run = await runCli(["staus", "--json"], { env: working() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Unknown command "staus"\. Did you mean "status"\? Run: .*bin\/mcp-memory-bridge\.js status --json$/m);
    const again = await runPrinted(runLine(run.stderr), { env: working() });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ endpoint: fixture.url, token_accepted: true });
  });

  it("a misspelt flag gets the nearest one instead of the parser's words about positionals, and the printed command runs", async () => {
    const run = await runCli(["status", "--jsno"], { env: working() });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/positional/);
    expect(run.stderr).toMatch(/^Unknown option --jsno for status\. Did you mean --json\? Run: .* status --json$/m);
    const again = await runPrinted(runLine(run.stderr), { env: working() });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ token_accepted: true });
  });

  it("nothing near: the help to read, which runs", async () => {
    const run = await runCli(["status", "--zzzzzz"], { env: working() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Unknown option --zzzzzz for status\. Run: .* status --help$/m);
    const help = await runPrinted(runLine(run.stderr), { env: working() });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: .*status/);
  });

  it("--project in auto mode is reported, with the flag that makes it count", async () => {
    const run = await runCli(["project", "--project", "My App!"], { env: envWith() });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^! --project does nothing in auto project mode \(the project comes from the working directory\): add --project-mode manual to use it\.$/m);
    const manual = await runCli(["project", "--project", "My App!", "--project-mode", "manual"], { env: envWith() });
    expect(manual.stderr).not.toMatch(/does nothing/);
    expect(manual.stdout).toMatch(/^project: my-app$/m);
  });
});

describe("item 6: one way to name the command in every message", () => {
  const noServer = () => envWith({ MEMORY_BRIDGE_ENDPOINT: "http://127.0.0.1:9/api" });
  /** Every command a message of this run names, in backticks or after "Run:". */
  const named = (text: string) => [...text.matchAll(/`([^`]*mcp-memory-bridge[^`]*)`|(?:Run|run): ((?:npx |node )?\S*mcp-memory-bridge\S*)/g)].map((m) => m[1] ?? m[2]!);

  it("from a checkout: node <path>/bin/mcp-memory-bridge.js everywhere, error words included", async () => {
    const run = await runCli(["status"], { env: noServer() });
    const names = named(run.stdout);
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const name of names) expect(name).toMatch(/^node \S*bin\/mcp-memory-bridge\.js( |$)/);
    expect(run.stdout).not.toMatch(/npx mcp-memory-bridge/);
  });

  it("through npx (npm exec's cache): npx mcp-memory-bridge everywhere, and the printed command is the corrected one", async () => {
    const cache = mkdtempSync(join(tmpdir(), "bridge-npx-"));
    mkdirSync(join(cache, "_npx", "abc", "node_modules"), { recursive: true });
    symlinkSync(process.cwd(), join(cache, "_npx", "abc", "node_modules", "mcp-memory-bridge"));
    const bin = join(cache, "_npx", "abc", "node_modules", "mcp-memory-bridge", "bin", "mcp-memory-bridge.js");
    const run = await runPrinted(`"${process.execPath}" "${bin}" status`, { env: noServer() });
    const names = named(run.stdout);
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const name of names) expect(name).toMatch(/^npx mcp-memory-bridge( |$)/);
    const typo = await runPrinted(`"${process.execPath}" "${bin}" staus`, { env: noServer() });
    expect(typo.stderr).toMatch(/Run: npx mcp-memory-bridge status$/m);
  });
});

describe("item 7: after login, what to do next", () => {
  it("names the install command, which runs as printed and adds the client entry", async () => {
    const login = await runCli(["login", fixture.url, "--with-token", "--insecure-storage"], { input: TOKEN, env: envWith() });
    expect(login.code, login.stderr).toBe(0);
    const next = printedCommand(login.stdout, "install --client");
    expect(login.stdout).toMatch(/^Next: add the bridge to your MCP client with `.* install --client claude-desktop`/m);
    const home = mkdtempSync(join(tmpdir(), "bridge-first-run-home-"));
    const install = await runPrinted(next, { env: envWith({ HOME: home }) });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toMatch(/Claude Desktop/);
  });
});
