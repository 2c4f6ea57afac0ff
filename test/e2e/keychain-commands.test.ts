/**
 * login → serve → status/doctor → logout with a REAL Secret Service, once per keychain backend.
 * Runs test/keychain/commands-scenario.ts inside test/keychain/with-secret-service.sh (a private
 * D-Bus session and a fresh unlocked gnome-keyring, never the user's), so plain `npm test` covers it.
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runInSecretService } from "../keychain/run-scenario.js";
import { needs } from "../prerequisites/prerequisites.js";

const SCENARIO = resolve("test/keychain/commands-scenario.ts");
const runScenario = (backend: "keytar" | "keyring" | "auto") => runInSecretService(SCENARIO, [backend]);

describe.runIf(process.platform === "linux").each(["keytar", "keyring", "auto"] as const)("with the %s keychain module(s)", (backend) => {
  it("login stores the token in the Secret Service, serve sends it, logout removes it", { timeout: 90_000 }, async (ctx) => {
    needs(ctx, "secret-service", ...(backend === "keyring" ? [] : (["keytar"] as const)));
    const { code, stderr, result } = await runScenario(backend);
    expect(code, `sandbox failed (install dbus-daemon dbus-bin gnome-keyring libsecret-tools): ${stderr}`).toBe(0);
    const r = result!;
    const endpoint = r.memoryStatus?.endpoint as string;

    expect(r.login.code, r.login.stderr).toBe(0);
    expect(r.login.stdout).toContain(`OS keychain (through ${backend === "auto" ? "keytar and keyring" : backend})`);
    // Seen from outside the bridge, under the service and the endpoint. keytar names the endpoint
    // attribute `account`, @napi-rs/keyring `username`; "auto" stores through both.
    expect(r.itemsAfterLogin).toContain("attribute.service = mcp-memory-bridge");
    if (backend !== "keyring") expect(r.itemsAfterLogin).toContain(`attribute.account = ${endpoint}`);
    if (backend !== "keytar") expect(r.itemsAfterLogin).toContain(`attribute.username = ${endpoint}`);
    if (backend === "auto") {
      expect(JSON.parse(r.statusKeytarOnly.stdout)).toMatchObject({ token_accepted: true, auth: { origin: "keytar" } });
      expect(JSON.parse(r.statusKeyringOnly.stdout)).toMatchObject({ token_accepted: true, auth: { origin: "keyring" } });
    }

    expect(r.memoryStatus).toMatchObject({ auth: { source: "keychain", scheme: "bearer" }, reachable: true, token_accepted: true });
    expect(r.list.isError).toBeFalsy();
    expect(r.authorizationHeaders).toEqual([`Bearer ${r.token}`]);

    expect(r.status.code, r.status.stderr).toBe(0);
    expect(JSON.parse(r.status.stdout)).toMatchObject({ auth: { source: "keychain", origin: backend === "auto" ? "keytar" : backend } });
    expect(r.doctor.code, r.doctor.stdout).toBe(0);
    expect(r.doctor.stdout).toMatch(/✓ keychain: usable/);

    // Seen from a shell without this session's bus: unknown, not "none"; logout removes nothing and says why.
    expect(r.otherShellStatus.stdout).toMatch(/^token: unknown — none found, but the keychain cannot be used because there is no D-Bus session bus/m);
    expect(r.otherShellStatus.stdout).not.toMatch(/^token: none$/m);
    expect(r.otherShellLogout.code).toBe(1);
    expect(r.otherShellLogout.stdout + r.otherShellLogout.stderr).not.toMatch(/nothing to remove/);
    expect(r.otherShellLogout.stderr).toMatch(/Could not look for a token for .* in the keychain \(.*no D-Bus session bus.*\), so one that login stored there was not removed/);
    expect(r.itemsAfterOtherShellLogout).toContain("attribute.service = mcp-memory-bridge");
    expect(r.printedLogout).toMatch(new RegExp(`logout ${endpoint.replace(/[.]/g, "\\.")}$`));

    expect(r.logout.code, r.logout.stderr).toBe(0);
    expect(r.logout.stdout).toMatch(/Removed the token/);
    if (backend === "auto") expect(r.logout.stdout).toMatch(/keytar.*keyring/);
    expect(r.itemsAfterLogout).toBe("");
    expect(r.logoutAgain.stdout).toMatch(/No token was stored/);

    // Token hygiene across every command and the serve session, at debug level.
    for (const run of [r.login, r.status, r.doctor, r.otherShellStatus, r.otherShellLogout, r.logout, r.logoutAgain]) {
      expect(run.stdout + run.stderr).not.toContain(r.token);
    }
    expect(r.serveStderr).toMatch(/debug/);
    expect(r.serveStderr).not.toContain(r.token);
  });
});
