/**
 * `uninstall`, called directly in-process with the machine injected, on each platform: the client's
 * config file is the injected platform's (install's own tests cover install on each one).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { installCommand } from "../../src/commands/install-command.js";
import { uninstallCommand } from "../../src/commands/uninstall-command.js";
import { runDirect, tempHome } from "../helpers/command-io.js";

const ENDPOINT = "https://memory.example.com/api";

describe.each(["linux", "darwin"] as const)("uninstall on %s", (platform) => {
  it("removes the entry install wrote, and only that", async () => {
    const home = tempHome();
    const options = { env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "config") }, host: { platform, home } };
    const installed = await runDirect(installCommand, ["--client", "cursor", "--endpoint", ENDPOINT], options);
    expect(installed.code, installed.stderr).toBe(0);
    const file = join(home, ".cursor", "mcp.json");
    const run = await runDirect(uninstallCommand, ["--client", "cursor"], options);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`✓ Cursor: removed "memory" from ${file}`);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ mcpServers: {} });
  });
});

describe("uninstall on win32", () => {
  it("looks for the entry at the Windows path of the injected home", async () => {
    const run = await runDirect(uninstallCommand, ["--client", "claude-desktop"], {
      env: { APPDATA: "C:\\Users\\u\\AppData\\Roaming" },
      host: { platform: "win32", home: "C:\\Users\\u" },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('Claude Desktop: no entry named "memory" in C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json; nothing to remove.\n');
  });
});
