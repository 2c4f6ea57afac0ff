/**
 * What `npm test` does on a machine that lacks something outside npm: it runs a sample test file
 * with a prerequisite hidden (MEMORY_BRIDGE_TEST_HIDE_PREREQUISITES) and reads what the run prints
 * and returns, without and with CI=true.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isPresent, missingNote, PREREQUISITES, strictAboutSkips } from "../prerequisites/prerequisites.js";

function sampleRun(extraEnv: Record<string, string>): Promise<{ code: number | null; lines: string[] }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(VITEST|CI$|MEMORY_BRIDGE_TEST_HIDE_PREREQUISITES$)/.test(key)) env[key] = value;
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve("node_modules/vitest/vitest.mjs"), "run", "--config", "test/prerequisites/vitest.sample.config.ts"], {
      cwd: resolve("."),
      env: { ...env, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.resume();
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, lines: stdout.trimEnd().split("\n") });
    });
  });
}

describe("a missing prerequisite", () => {
  it("skips the test with the reason, and the run ends with one line naming it and its install command", async () => {
    const { code, lines } = await sampleRun({ MEMORY_BRIDGE_TEST_HIDE_PREREQUISITES: "script" });
    expect(code).toBe(0);
    expect(lines.at(-1)).toBe("1 passed, 0 failed, 1 skipped");
    expect(lines.at(-2)).toBe(`1 test skipped for missing prerequisites: ${PREREQUISITES.script.what} — install: ${PREREQUISITES.script.install}`);
  });

  it("fails the run under CI=true, where a skip is a failure", async () => {
    const { code, lines } = await sampleRun({ MEMORY_BRIDGE_TEST_HIDE_PREREQUISITES: "script", CI: "true" });
    expect(code).not.toBe(0);
    expect(lines.at(-1)).toBe("1 passed, 1 failed");
  });

  it("the note carries the install command; CI=true or 1 is strict, false or unset is not", () => {
    expect(missingNote("keytar")).toContain(PREREQUISITES.keytar.install);
    expect(isPresent("script")).toBe(PREREQUISITES.script.present());
    expect([strictAboutSkips({ CI: "true" }), strictAboutSkips({ CI: "1" }), strictAboutSkips({ CI: "false" }), strictAboutSkips({})]).toEqual([true, true, false, false]);
  });
});
