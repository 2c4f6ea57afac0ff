import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryServiceForFile } from "../helpers/fixture-per-file.js";
import { runCli, runPrinted } from "./run-cli.js";

/** issue 10 item 9: help as a user reads it: per command, only what that command takes, with examples that run as printed. */

const TOKEN = "tok_help_Rt42distinctive";
const server = memoryServiceForFile(TOKEN);
const NAME = /node \S*bin\/mcp-memory-bridge\.js/;
const working = () => ({ MEMORY_BRIDGE_ENDPOINT: server().url, MEMORY_BRIDGE_TOKEN: TOKEN });

function examplesOf(help: string): string[] {
  return (help.split("Examples:\n")[1] ?? "").split("\n").filter((line) => line.startsWith("  ")).map((line) => line.trim().replace(/\s+#.*$/, ""));
}

describe("--help", () => {
  it("lists the commands one line each and points at <command> --help, which runs as printed", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: ${NAME.source} \\[command\\] \\[options\\]$`, "m"));
    expect(run.stdout).not.toMatch(/--endpoint|--timeout/);
    const pointer = /e\.g\. `([^`]+ login --help)`/.exec(run.stdout)![1]!;
    const login = await runPrinted(pointer, { cwd: process.cwd() });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(new RegExp(`^Usage: ${NAME.source} login \\[URL\\]`));
  });

  it("project --help lists only the project settings, and status --help none of install's options", async () => {
    const project = await runCli(["project", "--help"]);
    expect(project.stdout).toMatch(/--project-mode MODE/);
    expect(project.stdout).not.toMatch(/--endpoint|--timeout|--backend|--allow-http/);
    const status = await runCli(["status", "--help"]);
    expect(status.stdout).toMatch(/--endpoint URL/);
    expect(status.stdout).not.toMatch(/--client|--mem0-infer|--max-message-bytes|--with-token/);
    const login = await runCli(["login", "--help"]);
    // keytar is an optional dependency whose native build may be missing (npm test runs without it too).
    const keytarLoads = await import("keytar").then(
      () => true,
      () => false,
    );
    expect(login.stdout).toMatch(
      keytarLoads ? /^Keychain modules here: keytar, @napi-rs\/keyring\.$/m : /^Keychain modules here: @napi-rs\/keyring\. Not usable here: keytar \(.+\)\.$/m,
    );
    expect(login.stdout).not.toMatch(/--project-mode|--no-discovery/);
  });

  it.each(["project", "status", "doctor"])("%s --help: every example runs as printed", async (command) => {
    const help = await runCli([command, "--help"]);
    const examples = examplesOf(help.stdout);
    expect(examples.length).toBeGreaterThan(1);
    for (const example of examples) {
      const run = await runPrinted(example, { env: working(), cwd: process.cwd() });
      expect(run.code, `${example}\n${run.stdout}${run.stderr}`).toBe(0);
    }
  });

  it("install --help: every example runs as printed, and writes the entries it says", async () => {
    const home = mkdtempSync(join(tmpdir(), "bridge-help-home-"));
    mkdirSync(join(home, ".config", "Claude"), { recursive: true });
    mkdirSync(join(home, ".cursor"));
    const help = await runCli(["install", "--help"]);
    const examples = examplesOf(help.stdout);
    expect(examples.length).toBeGreaterThan(1);
    for (const example of examples) {
      const run = await runPrinted(example, { env: { ...working(), HOME: home }, cwd: process.cwd() });
      expect(run.code, `${example}\n${run.stdout}${run.stderr}`).toBe(0);
    }
    expect(existsSync(join(home, ".config", "Claude", "claude_desktop_config.json"))).toBe(true);
    expect(existsSync(join(home, ".cursor", "mcp.json"))).toBe(true);
  });

  it("a setting a command does not read is refused with the command without it, which runs as printed", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "bridge-help-"));
    const run = await runCli(["project", "--endpoint", "http://127.0.0.1:9/api", "--json"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^project does not use --endpoint \\(\`${NAME.source} project --help\` lists what it reads\\): leave it out\\. Run: ${NAME.source} project --json$`, "m"));
    const again = await runPrinted(/Run: (.+)$/m.exec(run.stderr)![1]!, { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ mode: "auto" });
  });
});
