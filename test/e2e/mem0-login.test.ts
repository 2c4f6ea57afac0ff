import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMem0Fixture, type Mem0Fixture } from "../fixtures/mem0/index.js";
import { createKeyedFixture, type KeyedFixture } from "../fixtures/mem0-keyed/index.js";
import { runCli } from "./run-cli.js";

/** `login` per mem0 backend: the token checked as that backend checks it, and what it saves. */

let mem0: Mem0Fixture;
let keyed: KeyedFixture;
beforeAll(async () => {
  mem0 = await createMem0Fixture({ generation: "B" });
  keyed = await createKeyedFixture();
});
afterAll(async () => {
  await mem0.close();
  await keyed.close();
});

function configDirEnv() {
  const configDir = mkdtempSync(join(tmpdir(), "bridge-mem0-login-"));
  return { configDir, env: { MEMORY_BRIDGE_CONFIG_DIR: configDir } };
}
const profileIn = (configDir: string) => JSON.parse(readFileSync(join(configDir, "config.json"), "utf8")) as Record<string, unknown>;

describe("login to mem0", () => {
  it("--backend auto recognises self-hosted mem0 by its /openapi.json, checks the key as X-API-Key and saves backend mem0", async () => {
    const { configDir, env } = configDirEnv();
    const run = await runCli(["login", mem0.url, "--with-token", "--insecure-storage"], { input: `${mem0.adminKey}\n`, env: { ...env, MEMORY_BRIDGE_USER_ID: "alice" } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Logged in to .* \(mem0/);
    expect(profileIn(configDir)).toMatchObject({ endpoint: mem0.url, backend: "mem0" });
    // Detection's probes go without a token; the check sends it as X-API-Key, never as Bearer.
    const checked = mem0.requests.filter((request) => request.headers["x-api-key"] !== undefined);
    expect(checked.map((request) => request.path)).toContain("/memories");
    for (const request of checked) expect(request.headers["x-api-key"]).toBe(mem0.adminKey);
    expect(mem0.requests.every((request) => request.headers.authorization === undefined)).toBe(true);
  });

  it("refuses a wrong key and stores nothing", async () => {
    const { env } = configDirEnv();
    const run = await runCli(["login", mem0.url, "--backend", "mem0", "--with-token", "--insecure-storage"], { input: "m0sk_wrong\n", env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/rejected the token .*not stored/);
  });
});

describe("login to the mem0 API-key server", () => {
  it("learns the key's user from the server's refusal and saves it as the user id", async () => {
    const { configDir, env } = configDirEnv();
    const key = Object.keys(keyed.apiKeys)[0]!;
    const run = await runCli(["login", keyed.url, "--backend", "mem0-keyed", "--with-token", "--insecure-storage"], {
      input: `${key}\n`,
      env: { ...env, MEMORY_BRIDGE_USER_ID: "bob" },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/belongs to the user "alice" \(not "bob"\): saved "alice" as the user id/);
    expect(profileIn(configDir)).toMatchObject({ endpoint: keyed.url, backend: "mem0-keyed", userId: "alice" });
  });
});
