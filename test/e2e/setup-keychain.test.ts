/**
 * `setup` without a terminal, end to end, with a REAL Secret Service (a private D-Bus session and a
 * fresh gnome-keyring, never the user's): test/keychain/setup-scenario.ts runs inside
 * test/keychain/with-secret-service.sh. The token ends up in the keychain and in no file, and the
 * client entry setup wrote, started as the client starts it, serves MCP with that token.
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runInSecretService } from "../keychain/run-scenario.js";
import { needs } from "../prerequisites/prerequisites.js";

const SCENARIO = resolve("test/keychain/setup-scenario.ts");

describe.runIf(process.platform === "linux")("setup --endpoint URL --with-token --client claude-desktop", () => {
  it("stores the token in the Secret Service and in no file, and the entry it wrote serves MCP", { timeout: 90_000 }, async (ctx) => {
    needs(ctx, "secret-service");
    const { code, stderr, result } = await runInSecretService(SCENARIO, []);
    expect(code, `sandbox failed (install dbus-daemon dbus-bin gnome-keyring libsecret-tools): ${stderr}`).toBe(0);
    const r = result!;
    expect(r.setup.code, r.setup.stderr).toBe(0);
    const out = r.setup.stdout as string;
    // Each step says what it did, in order: detect, login, install, status.
    const steps = [`✓ ${r.endpoint} is mcp-memory-service`, `✓ Logged in to ${r.endpoint}`, "✓ Token stored in the OS keychain", '✓ Claude Desktop: added "memory"', `endpoint: ${r.endpoint}`];
    for (const step of steps) expect(out).toContain(step);
    expect(steps.map((step) => out.indexOf(step))).toEqual(steps.map((step) => out.indexOf(step)).sort((a, b) => a - b));
    expect(out + r.setup.stderr).not.toContain(r.token);

    expect(r.items).toContain("attribute.service = mcp-memory-bridge");
    expect(r.filesWithToken).toEqual([]);
    expect(r.entry.env).toMatchObject({ MEMORY_BRIDGE_ENDPOINT: r.endpoint, MEMORY_BRIDGE_BACKEND: "mcp-memory-service" });
    expect(JSON.stringify(r.entry)).not.toContain(r.token);
    expect(r.memoryStatus).toMatchObject({ endpoint: r.endpoint, reachable: true, token_accepted: true, auth: { source: "keychain" } });
    expect(r.stored.isError).toBeFalsy();
    expect(r.authorizationHeaders).toEqual([`Bearer ${r.token}`]);
  });
});
