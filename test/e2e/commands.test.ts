import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { makeGitRepo } from "./git-repo.js";
import { startBridge } from "./harness.js";
import { runCli } from "./run-cli.js";
import { needs } from "../prerequisites/prerequisites.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";

const TOKEN = "tok_cmds_Kq81distinctive_value";
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
  configDir = mkdtempSync(join(tmpdir(), "bridge-cmd-config-"));
});

const envWith = (extra: Record<string, string> = {}) => ({ MEMORY_BRIDGE_CONFIG_DIR: configDir, ...extra });

describe("project", () => {
  it("prints the id for a repository, and --json the whole resolution", async () => {
    const repo = makeGitRepo("git@github.com:Acme/Widgets.git");
    const text = await runCli(["project"], { cwd: repo, env: envWith() });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/project: project_widgets_[0-9a-f]{8}/);
    expect(text.stdout).toContain("git remote github.com/acme/widgets");
    const json = await runCli(["project", "--json"], { cwd: repo, env: envWith() });
    expect(JSON.parse(json.stdout)).toMatchObject({ mode: "auto", source: "cwd", key: "github.com/acme/widgets" });
  });

  it("manual mode without an id exits 1 and says what to set", async () => {
    const run = await runCli(["project", "--project-mode", "manual"], { env: envWith() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--project or MEMORY_BRIDGE_PROJECT_ID/);
  });
});

describe("login without a keychain", () => {
  it("exits 1 with the three ways out, and writes nothing to disk", async () => {
    const run = await runCli(["login", fixture.url, "--with-token"], { input: `${TOKEN}\n`, env: envWith() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/D-Bus/);
    expect(run.stderr).toMatch(/--insecure-storage/);
    expect(run.stderr).toMatch(/MEMORY_BRIDGE_TOKEN/);
    expect(run.stderr).toMatch(/gnome-keyring-daemon|Secret Service/);
    expect(existsSync(configDir) ? readdirSync(configDir) : []).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it("a token the server rejects is not stored, and the message says so", async () => {
    const run = await runCli(["login", fixture.url, "--with-token", "--insecure-storage"], { input: "tok_wrong_value_123456\n", env: envWith() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/rejected the token \(401 invalid_token/);
    expect(run.stderr).toMatch(/not stored/);
    expect(existsSync(join(configDir, "credentials.json"))).toBe(false);
    expect(run.stderr).not.toContain("tok_wrong_value_123456");
  });

  it("empty standard input is an error; no URL or no terminal are usage errors (where a token can be stored)", async () => {
    const empty = await runCli(["login", fixture.url, "--with-token", "--insecure-storage"], { input: "\r\n", env: envWith() });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/No token on standard input/);
    const noUrl = await runCli(["login", "--with-token"], { input: TOKEN, env: envWith() });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/give login the memory server's URL/);
    const noTty = await runCli(["login", fixture.url, "--insecure-storage"], { env: envWith() });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/--with-token/);
  });

  it("refuses plain http to a non-loopback host unless --allow-http, before sending anything", async () => {
    const run = await runCli(["login", "http://10.11.12.13:8000/api", "--with-token"], { input: TOKEN, env: envWith() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Refusing plain http:\/\//);
  });
});

describe("login on a terminal", () => {
  it("asks for the token without echoing it", async (ctx) => {
    needs(ctx, "script");
    // util-linux `script` gives the CLI a pseudo-terminal; the token is typed once the prompt shows.
    const { spawn } = await import("node:child_process");
    const { BIN } = await import("./harness.js");
    const child = spawn("script", ["-qec", `"${process.execPath}" "${BIN}" login ${fixture.url} --insecure-storage`, "/dev/null"], {
      env: { PATH: process.env.PATH ?? "", HOME: configDir, MEMORY_BRIDGE_CONFIG_DIR: configDir, DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent", TERM: "dumb", MEMORY_BRIDGE_DISCOVERY: "0" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let screen = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      screen += c;
      if (screen.includes("(input hidden): ") && !child.stdin.writableEnded) child.stdin.end(`${TOKEN}\r`);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await new Promise<number | null>((done) => child.on("close", done));
    clearTimeout(timer);
    expect(code, screen).toBe(0);
    expect(screen).toContain(`Token for ${fixture.url} (input hidden): `);
    expect(screen).toMatch(/Logged in/);
    expect(screen).not.toContain(TOKEN);
    expect(JSON.parse(readFileSync(join(configDir, "credentials.json"), "utf8"))).toEqual({ [fixture.url]: TOKEN });
  });
});

describe("--insecure-storage", () => {
  it("stores the token in a 0600 file (CRLF trimmed), saves the profile, and serve uses it", async () => {
    const login = await runCli(["login", fixture.url, "--with-token", "--insecure-storage"], { input: `${TOKEN}\r\n`, env: envWith() });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/insecure token file/);
    const file = join(configDir, "credentials.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ [fixture.url]: TOKEN });
    const profile = JSON.parse(readFileSync(join(configDir, "config.json"), "utf8"));
    expect(profile).toEqual({ endpoint: fixture.url, backend: "mcp-memory-service" });

    const status = await runCli(["status", "--json"], { env: envWith() });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ endpoint: fixture.url, reachable: true, token_accepted: true, auth: { source: "file" } });
    expect(status.stderr).toMatch(/insecure/);

    const bridge = await startBridge({ env: envWith({ DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" }) });
    try {
      const result = await bridge.client.callTool({ name: "memory_status", arguments: {} });
      expect(result.structuredContent).toMatchObject({ endpoint: fixture.url, auth: { source: "file" }, token_accepted: true });
      expect(fixture.requests.some((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    } finally {
      await bridge.transport.close();
    }
    expect(bridge.transport.stderr).not.toContain(TOKEN);

    const logout = await runCli(["logout"], { env: envWith() });
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.stdout).toMatch(/Removed the token .* insecure token file/);
    expect(existsSync(file)).toBe(false); // the last token gone, the file goes too
    // No keychain reachable here: one may still hold a token, so not "nothing to remove" (issue 10 item 2).
    const again = await runCli(["logout"], { env: envWith() });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Could not look for a token for .* in the keychain \(.*no D-Bus session bus.*\), so one that login stored there was not removed/);
  });
});

describe("login keeps what it checked with", () => {
  it("an --auth-scheme used by login is saved, so status and clients send the token the same way", async () => {
    const login = await runCli(["login", fixture.url, "--with-token", "--insecure-storage", "--auth-scheme", "x-api-key"], { input: TOKEN, env: envWith() });
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(configDir, "config.json"), "utf8"))).toMatchObject({ authScheme: "x-api-key" });
    fixture.clearRequests();
    const status = await runCli(["status", "--json"], { env: envWith() });
    expect(JSON.parse(status.stdout)).toMatchObject({ auth: { scheme: "x-api-key" }, token_accepted: true });
    expect(fixture.requests.at(-1)!.headers["x-api-key"]).toBe(TOKEN);

    // The next login, without the flag, does not inherit it (nor --allow-http or --ca-file).
    const again = await runCli(["login", fixture.url, "--with-token", "--insecure-storage"], { input: TOKEN, env: envWith() });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(configDir, "config.json"), "utf8"))).toEqual({ endpoint: fixture.url, backend: "mcp-memory-service" });
  });
});

describe("a login while the bridge runs", () => {
  it("is picked up on the next call after a 401, without a restart", async () => {
    const bridge = await startBridge({ env: envWith({ MEMORY_BRIDGE_ENDPOINT: fixture.url, DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" }) });
    try {
      const before = await bridge.client.callTool({ name: "list_memories", arguments: {} });
      expect(before.isError).toBe(true);
      expect((before.content as { text: string }[])[0]!.text).toMatch(/no token is configured/);

      const login = await runCli(["login", "--with-token", "--insecure-storage"], { input: TOKEN, env: envWith({ MEMORY_BRIDGE_ENDPOINT: fixture.url }) });
      expect(login.code, login.stderr).toBe(0);

      // Several calls at once all switch to the new token, not just the first to see the 401.
      const after = await Promise.all(Array.from({ length: 8 }, () => bridge.client.callTool({ name: "list_memories", arguments: {} })));
      for (const result of after) expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      const status = await bridge.client.callTool({ name: "memory_status", arguments: {} });
      expect(status.structuredContent).toMatchObject({ auth: { source: "file" }, token_accepted: true });
    } finally {
      await bridge.transport.close();
    }
  });
});

describe("status and doctor", () => {
  it("status: token source from the environment, never the token; exit 1 without an endpoint", async () => {
    const ok = await runCli(["status"], { env: envWith({ MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: TOKEN }) });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/token: from MEMORY_BRIDGE_TOKEN/);
    expect(ok.stdout).toMatch(/reachable: yes/);
    expect(ok.stdout + ok.stderr).not.toContain(TOKEN);
    // Exit 1 whether or not anything answers there: no token is stored for it.
    const none = await runCli(["status"], { env: envWith() });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain("endpoint: http://127.0.0.1:8000/api (nothing configured: mcp-memory-service's default address)");
  });

  it("doctor: one line per check; a wrong token and no keychain are ✗ with fixes, exit 1", async () => {
    const bad = await runCli(["doctor"], { env: envWith({ MEMORY_BRIDGE_ENDPOINT: fixture.url }) });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^✓ Node\.js: /m);
    expect(bad.stdout).toMatch(/^✗ keychain: .*D-Bus/m);
    expect(bad.stdout).toMatch(/^✓ reachable: /m);
    expect(bad.stdout).toMatch(/^✗ token: .*401/m);
    const good = await runCli(["doctor"], { env: envWith({ MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: TOKEN }) });
    expect(good.code, good.stdout).toBe(0);
    expect(good.stdout).toMatch(/^✓ keychain: not needed: the token comes from MEMORY_BRIDGE_TOKEN/m);
    expect(good.stdout).toMatch(/^✓ token: accepted/m);
    expect(good.stdout).toMatch(/All checks passed/);
    expect(good.stdout + good.stderr).not.toContain(TOKEN);
  });
});

describe("doctor against a server with auth off", () => {
  it("needs no token and so no keychain: all checks pass on a machine without one", async () => {
    const open = await createMemoryServiceFixture({ token: null });
    try {
      const run = await runCli(["doctor"], { env: envWith({ MEMORY_BRIDGE_ENDPOINT: open.url }) });
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).toMatch(/^✓ keychain: not needed: the server accepts requests without a token/m);
      expect(run.stdout).toMatch(/^✓ token: none needed/m);
    } finally {
      await open.close();
    }
  });

  it("still prints every check when the backend cannot even be set up (bad --ca-file)", async () => {
    const run = await runCli(["doctor", "--ca-file", "/nonexistent/ca.pem"], { env: envWith({ MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: TOKEN }) });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✓ Node\.js/m);
    expect(run.stdout).toMatch(/^✗ reachable: Cannot read the CA file \/nonexistent\/ca\.pem/m);
    expect(run.stdout).toMatch(/check.* failed/);
  });

  it("an unreachable server's fix does not tell the user to run doctor", async () => {
    const run = await runCli(["doctor"], { env: envWith({ MEMORY_BRIDGE_ENDPOINT: "http://127.0.0.1:9/api", MEMORY_BRIDGE_TIMEOUT_MS: "1500" }) });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ reachable: Cannot reach/m);
    expect(run.stdout).not.toMatch(/run: npx mcp-memory-bridge doctor/);
  });
});

describe("token hygiene", () => {
  it("no command prints or writes the token, even at debug level", async () => {
    const env = envWith({ MEMORY_BRIDGE_LOG_LEVEL: "debug" });
    const runs = [
      await runCli(["login", fixture.url, "--with-token", "--insecure-storage"], { input: TOKEN, env }),
      await runCli(["status"], { env }),
      await runCli(["status", "--json"], { env }),
      await runCli(["doctor"], { env }),
      await runCli(["project"], { env }),
      await runCli(["logout"], { env }),
      await runCli(["status"], { env: { ...env, MEMORY_BRIDGE_TOKEN: TOKEN, MEMORY_BRIDGE_ENDPOINT: fixture.url } }),
    ];
    expect(runs[0]!.code, runs[0]!.stderr).toBe(0);
    for (const run of runs) expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(runs.some((run) => /debug/.test(run.stderr))).toBe(true);
    expect(readFileSync(join(configDir, "config.json"), "utf8")).not.toContain(TOKEN);
  });
});
