/**
 * The `setup` wizard on a pseudo-terminal (util-linux `script`), as a person answers it: the URL,
 * a wrong token (refused, not stored, asked again), the right one, the clients found pre-selected.
 * --no-discovery keeps it off the network (mDNS); --insecure-storage keeps it off the real keychain,
 * so what was stored can be read back.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryServiceForFile } from "../helpers/fixture-per-file.js";
import { needs } from "../prerequisites/prerequisites.js";
import { BIN } from "./harness.js";

const TOKEN = "tok_wizard_Jd58distinctive";
const WRONG = "tok_wrong_Xc19distinctive";
const server = memoryServiceForFile(TOKEN);

/** What the screen shows, without the escape sequences that move the cursor. */
const plain = (screen: string) => screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");

/**
 * Runs the wizard; `answer` sees the screen so far (plain) and returns the next keys to type, or
 * undefined to wait. Each answer is typed once, when the screen first calls for it.
 */
function wizard(home: string, answer: (screen: string, answered: number) => string | undefined): Promise<{ code: number | null; screen: string }> {
  const command = `stty cols 120 rows 50; "${process.execPath}" "${BIN}" setup --no-discovery --insecure-storage`;
  const child = spawn("script", ["-qec", command, "/dev/null"], {
    env: { PATH: process.env.PATH ?? "", HOME: home, MEMORY_BRIDGE_CONFIG_DIR: join(home, "bridge"), DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent", TERM: "xterm" },
    cwd: home,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  let answered = 0;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    screen += chunk;
    const keys = answer(plain(screen), answered);
    if (keys !== undefined) {
      answered++;
      child.stdin.write(keys);
    }
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((done) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, screen: plain(screen) });
    }),
  );
}

const count = (text: string, part: string) => text.split(part).length - 1;
/** Every file under `dir` that holds `needle`. */
function filesHolding(dir: string, needle: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => readFileSync(file, "utf8").includes(needle));
}

describe("setup on a terminal", () => {
  it("URL → a wrong token is refused and asked again → the right one → the clients found → install → status", { timeout: 40_000 }, async (ctx) => {
    needs(ctx, "script");
    const home = mkdtempSync(join(tmpdir(), "bridge-wizard-"));
    mkdirSync(join(home, ".cursor"));
    const { code, screen } = await wizard(home, (s, answered) => {
      if (answered === 0 && s.includes("The memory server's URL")) return `${server().url}\r`;
      if (answered === 1 && count(s, "Token for") === 1) return `${WRONG}\r`;
      if (answered === 2 && count(s, "Token for") >= 3 && s.includes("rejected the token")) return `${TOKEN}\r`;
      if (answered === 3 && s.includes("Add the bridge to which MCP clients?")) return "\r";
      return undefined;
    });
    expect(code, screen).toBe(0);
    expect(screen).toContain(`${server().url} is mcp-memory-service`);
    expect(screen).toMatch(/rejected the token \(401[^)]*\); the token was not stored\. Check it and try again\./);
    expect(screen).toContain("The server accepted the token.");
    expect(screen).toContain(`✓ Logged in to ${server().url}`);
    expect(screen).toMatch(/◼ Cursor \(found here\)/);
    expect(screen).toContain(`✓ Cursor: added "memory" (endpoint ${server().url}) in ${join(home, ".cursor", "mcp.json")}`);
    expect(screen).toMatch(/token accepted: yes/);
    expect(screen).toContain("Done: restart the clients you set up");
    expect(screen).not.toContain(TOKEN);
    expect(screen).not.toContain(WRONG);

    expect(JSON.parse(readFileSync(join(home, "bridge", "credentials.json"), "utf8"))).toEqual({ [server().url]: TOKEN });
    expect(filesHolding(home, WRONG)).toEqual([]);
    expect(filesHolding(home, TOKEN)).toEqual([join(home, "bridge", "credentials.json")]);
    expect(JSON.parse(readFileSync(join(home, ".cursor", "mcp.json"), "utf8")).mcpServers.memory.env.MEMORY_BRIDGE_ENDPOINT).toBe(server().url);
  });

  it("three wrong tokens: none stored, nothing installed, and it stops with the fix", { timeout: 40_000 }, async (ctx) => {
    needs(ctx, "script");
    const home = mkdtempSync(join(tmpdir(), "bridge-wizard-"));
    mkdirSync(join(home, ".cursor"));
    const { code, screen } = await wizard(home, (s, answered) => {
      if (answered === 0 && s.includes("The memory server's URL")) return `${server().url}\r`;
      // Each prompt shows "Token for" once while open and once when answered.
      if (answered >= 1 && answered <= 3 && count(s, "Token for") === 2 * answered - 1 && count(s, "rejected the token") === answered - 1) return `${WRONG}\r`;
      return undefined;
    });
    expect(code, screen).toBe(1);
    expect(count(screen, "rejected the token")).toBe(3);
    expect(screen).toContain("The server refused 3 tokens; none was stored. Check the token with the server's administrator, then run setup again.");
    expect(screen).not.toContain("Add the bridge to which MCP clients?");
    expect(existsSync(join(home, "bridge", "credentials.json"))).toBe(false);
    expect(existsSync(join(home, "bridge", "config.json"))).toBe(false);
    expect(readdirSync(join(home, ".cursor"))).toEqual([]);
    expect(screen).not.toContain(WRONG);
  });
});
