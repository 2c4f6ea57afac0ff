/** `status`, called in-process against the fixture server with the machine and keychain injected. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { statusCommand } from "../../src/commands/status-command.js";
import { PLATFORMS, runDirect, tempHome } from "../helpers/command-io.js";
import { memoryServiceForFile } from "../helpers/fixture-per-file.js";
import { fakeKeychain } from "../helpers/fake-keychain.js";

const TOKEN = "tok_status_unit_Jw93distinct";
const server = memoryServiceForFile(TOKEN);

describe.each(PLATFORMS)("status on %s", (platform) => {
  const machine = () => {
    const home = tempHome();
    return { home, env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "config"), MEMORY_BRIDGE_ENDPOINT: server().url } };
  };

  it("reports the endpoint, the token's store and a reachable server that accepts it", async () => {
    const m = machine();
    const keychain = fakeKeychain({ tokens: { [server().url]: TOKEN } });
    const run = await runDirect(statusCommand, [], { env: m.env, keychain, host: { platform, home: m.home } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`endpoint: ${server().url} (from the environment)`);
    expect(run.stdout).toContain("token: from the keychain (keytar), sent as bearer");
    expect(run.stdout).toMatch(/reachable: yes \(\d+ ms\)/);
    expect(run.stdout).toContain("token accepted: yes");
    expect(keychain.opened.map((opened) => opened.platform)).toEqual([platform]);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it("--json, with a token from the environment", async () => {
    const m = machine();
    const run = await runDirect(statusCommand, ["--json"], { env: { ...m.env, MEMORY_BRIDGE_TOKEN: TOKEN }, host: { platform, home: m.home } });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      endpoint: server().url,
      endpoint_source: "env",
      reachable: true,
      token_accepted: true,
      auth: { source: "env", origin: "MEMORY_BRIDGE_TOKEN", scheme: "bearer" },
    });
  });

  it("a rejected token: exit 1, the problem says how to log in again", async () => {
    const m = machine();
    const keychain = fakeKeychain({ tokens: { [server().url]: "tok_wrong_value_42" } });
    const run = await runDirect(statusCommand, [], { env: m.env, keychain, host: { platform, home: m.home } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("token accepted: no");
    expect(run.stdout).toContain(`problem: Authentication failed (401) at ${server().url}`);
    // Named as this run was started (the test host is a checkout), so it runs as printed.
    expect(run.stdout).toMatch(new RegExp(`Run: node \\S*bin[/\\\\]mcp-memory-bridge\\.js"? login ${server().url.replaceAll(".", "\\.")}`));
  });

  it("a rejected token from the environment: the problem names the variable, since login cannot override it", async () => {
    const m = machine();
    const run = await runDirect(statusCommand, [], { env: { ...m.env, MEMORY_BRIDGE_TOKEN: "tok_wrong_value_42" }, host: { platform, home: m.home } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`problem: Authentication failed (401) at ${server().url}`);
    expect(run.stdout).toMatch(/the token comes from MEMORY_BRIDGE_TOKEN, .* or unset it \(`unset MEMORY_BRIDGE_TOKEN`\)/);
    expect(run.stdout).not.toMatch(/Run: .* login/);
  });
});
