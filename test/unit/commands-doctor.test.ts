/**
 * `doctor`, called in-process with the machine and keychain injected: each platform's config
 * directory and keychain words are the injected platform's, never the process's.
 */
import { join, posix, win32 } from "node:path";
import { describe, expect, it } from "vitest";
import { doctorCommand } from "../../src/commands/doctor-command.js";
import type { KeychainProblemKind } from "../../src/credentials/keychain-problem.js";
import { PLATFORMS, runDirect, tempHome } from "../helpers/command-io.js";
import { memoryServiceForFile } from "../helpers/fixture-per-file.js";
import { fakeKeychain } from "../helpers/fake-keychain.js";

const TOKEN = "tok_doctor_unit_Mx17distinct";
const server = memoryServiceForFile(TOKEN);

/** The config directory on each OS, for a home directory. */
const CONFIG_DIR: Record<(typeof PLATFORMS)[number], (home: string) => string> = {
  linux: (home) => posix.join(home, ".config", "mcp-memory-bridge"),
  darwin: (home) => posix.join(home, "Library", "Preferences", "mcp-memory-bridge"),
  win32: (home) => win32.join(home, "AppData", "Roaming", "mcp-memory-bridge", "Config"),
};
const UNUSABLE: Record<(typeof PLATFORMS)[number], { kind: KeychainProblemKind; words: RegExp }> = {
  linux: { kind: "no-secret-service", words: /no Secret Service .* runs on the D-Bus session bus/ },
  darwin: { kind: "access-denied", words: /refused access to the macOS Keychain .*allow mcp-memory-bridge \(node\) when the system asks/ },
  win32: { kind: "other", words: /The Windows Credential Manager could not be used/ },
};

describe.each(PLATFORMS)("doctor on %s", (platform) => {
  it("passes every check, reading the settings from the platform's config directory", async () => {
    const home = tempHome();
    const keychain = fakeKeychain({ tokens: { [server().url]: TOKEN } });
    const run = await runDirect(doctorCommand, [], { env: { MEMORY_BRIDGE_ENDPOINT: server().url }, keychain, host: { platform, home } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain(`✓ settings: readable (config directory ${CONFIG_DIR[platform](home)})`);
    expect(run.stdout).toContain("✓ keychain: usable (keytar)");
    expect(run.stdout).toContain(`✓ endpoint: ${server().url} (from the environment, backend mcp-memory-service)`);
    expect(run.stdout).toContain("✓ TLS: plain http to a loopback address: nothing crosses the network");
    expect(run.stdout).toContain("✓ token: accepted (from keytar)");
    expect(run.stdout).toContain("All checks passed.");
  });

  it("an unusable keychain fails its check with the platform's words, when the token is needed", async () => {
    const home = tempHome();
    const { kind, words } = UNUSABLE[platform];
    const run = await runDirect(doctorCommand, [], {
      env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "config"), MEMORY_BRIDGE_ENDPOINT: server().url },
      keychain: fakeKeychain({ problem: kind }),
      host: { platform, home },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^✗ keychain: .*${words.source}`, "m"));
    expect(run.stdout).toMatch(/^✗ token: Authentication required \(401\)/m);
  });

  it("a server that is not there: unreachable, without suggesting doctor itself", async () => {
    const home = tempHome();
    const run = await runDirect(doctorCommand, [], {
      env: { MEMORY_BRIDGE_CONFIG_DIR: join(home, "config"), MEMORY_BRIDGE_ENDPOINT: "http://127.0.0.1:9/api" },
      host: { platform, home },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ reachable: Cannot reach the memory server at http:\/\/127\.0\.0\.1:9\/api \(connection refused\) after \d attempts?\. Check that it is running and that the URL is right\.$/m);
  });
});
