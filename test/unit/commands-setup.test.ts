/**
 * `setup` without a terminal (`--endpoint URL --with-token --client …`), called in-process against
 * the fixture server with the machine and the keychain injected, as it runs on Linux, macOS and
 * Windows. The wizard (on a terminal) is driven on a pseudo-terminal in test/e2e/setup.test.ts.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { setupCommand } from "../../src/commands/setup-command.js";
import { PLATFORMS, runDirect, tempMachine } from "../helpers/command-io.js";
import { fakeKeychain } from "../helpers/fake-keychain.js";
import { memoryServiceForFile } from "../helpers/fixture-per-file.js";

const TOKEN = "tok_setup_unit_Wq73distinct";
const server = memoryServiceForFile(TOKEN);

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

const desktopFileOf = (platform: string, home: string) =>
  platform === "darwin" ? join(home, "Library", "Application Support", "Claude", "claude_desktop_config.json") : join(home, ".config", "Claude", "claude_desktop_config.json");

describe.each(PLATFORMS)("setup without a terminal on %s", (platform) => {
  it("detects the server, logs in (token in the keychain, in no file), installs the clients found, and ends with status", async () => {
    const m = tempMachine();
    const keychain = fakeKeychain();
    // Windows paths cannot be written on this machine: there, no client is found and setup says so.
    if (platform !== "win32") mkdirSync(join(desktopFileOf(platform, m.home), ".."), { recursive: true });
    const run = await runDirect(setupCommand, ["--endpoint", server().url, "--with-token"], { input: `${TOKEN}\n`, env: m.env, keychain, host: { platform, home: m.home } });
    expect(run.code, run.stderr).toBe(0);

    const out = run.stdout;
    expect(out).toContain(`✓ ${server().url} is mcp-memory-service`);
    expect(out).toContain(`✓ Logged in to ${server().url}`);
    expect(keychain.tokens.get(server().url)).toBe(TOKEN);
    expect(keychain.opened.map((opened) => opened.platform)).toContain(platform);
    if (platform === "win32") {
      expect(out).toContain("! No MCP client was set up (none was found or chosen here). Later: ");
    } else {
      expect(out).toContain(`✓ Claude Desktop: added "memory" (endpoint ${server().url}) in ${desktopFileOf(platform, m.home)}`);
      const entry = JSON.parse(readFileSync(desktopFileOf(platform, m.home), "utf8")).mcpServers.memory;
      expect(entry.env).toMatchObject({ MEMORY_BRIDGE_ENDPOINT: server().url, MEMORY_BRIDGE_BACKEND: "mcp-memory-service" });
    }
    // The final status: the steps above in order, status last.
    expect(out.indexOf("Logged in")).toBeLessThan(out.indexOf(`endpoint: ${server().url}`));
    expect(out).toMatch(/token: from the keychain/);
    for (const file of filesUnder(m.home)) expect(readFileSync(file, "utf8"), file).not.toContain(TOKEN);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });
});

describe("setup without a terminal: what stops it", () => {
  it("missing inputs: exit 2 naming what to pass, nothing written", async () => {
    const m = tempMachine();
    const run = await runDirect(setupCommand, [], { env: m.env, host: { home: m.home } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Standard input is not a terminal, so setup cannot ask: pass --endpoint URL and --with-token (the token on standard input)");
    const onlyToken = await runDirect(setupCommand, ["--endpoint", server().url], { env: m.env, host: { home: m.home } });
    expect(onlyToken.code).toBe(2);
    expect(onlyToken.stderr).toMatch(/pass --with-token \(the token on standard input\), e\.g\./);
    expect(filesUnder(m.home)).toEqual([]);
  });

  it("an unknown client is a usage error before anything runs", async () => {
    const m = tempMachine();
    const keychain = fakeKeychain();
    const run = await runDirect(setupCommand, ["--endpoint", server().url, "--with-token", "--client", "cursr"], { input: TOKEN, env: m.env, keychain, host: { home: m.home } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown client "cursr" \(did you mean cursor\?\)/);
    expect(keychain.tokens.size).toBe(0);
  });

  it("a wrong token is refused and not stored; no client is touched", async () => {
    const m = tempMachine();
    const keychain = fakeKeychain();
    mkdirSync(join(m.home, ".cursor"));
    const run = await runDirect(setupCommand, ["--endpoint", server().url, "--with-token", "--client", "cursor"], { input: "tok_wrong_99999999", env: m.env, keychain, host: { home: m.home } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/rejected the token \(401.*the token was not stored/);
    expect(keychain.tokens.size).toBe(0);
    expect(readdirSync(join(m.home, ".cursor"))).toEqual([]);
    expect(existsSync(join(m.configDir, "config.json"))).toBe(false);
  });

  it("takes the server's own /api correction, and says so", async () => {
    const m = tempMachine();
    const keychain = fakeKeychain();
    const origin = server().url.replace(/\/api$/, "");
    const run = await runDirect(setupCommand, ["--endpoint", origin, "--with-token", "--client", "cursor"], { input: TOKEN, env: m.env, keychain, host: { home: m.home } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`! Did you mean ${server().url}? ${origin} is mcp-memory-service, whose API is at ${server().url}. Using ${server().url}.`);
    expect(keychain.tokens.get(server().url)).toBe(TOKEN);
    expect(JSON.parse(readFileSync(join(m.home, ".cursor", "mcp.json"), "utf8")).mcpServers.memory.env.MEMORY_BRIDGE_ENDPOINT).toBe(server().url);
    expect(statSync(join(m.home, ".cursor", "mcp.json")).isFile()).toBe(true);
  });

  it("a URL where no memory server answers stops with the fix before asking anything of the keychain", async () => {
    const m = tempMachine();
    const keychain = fakeKeychain();
    const run = await runDirect(setupCommand, ["--endpoint", "http://127.0.0.1:9/api", "--with-token"], { input: TOKEN, env: m.env, keychain, host: { home: m.home } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Nothing answers at http:\/\/127\.0\.0\.1:9\/api \(\w+\)\. Check the URL .* run setup again\./);
    expect(keychain.opened).toEqual([]);
  });
});
