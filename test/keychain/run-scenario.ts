import { spawn } from "node:child_process";
import { resolve } from "node:path";

const RUNNER = resolve("test/keychain/with-secret-service.sh");

/**
 * Runs a scenario script INSIDE test/keychain/with-secret-service.sh (a private D-Bus session and a
 * fresh unlocked gnome-keyring, never the user's); its last stdout line is its JSON observations.
 */
export function runInSecretService(scenario: string, args: string[]): Promise<{ code: number | null; stderr: string; result: Record<string, any> | undefined }> {
  return new Promise((done) => {
    const child = spawn("bash", [RUNNER, "--", process.execPath, "--import", "tsx", scenario, ...args], {
      cwd: resolve("."),
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone already
      }
    }, 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").at(-1);
      let result: Record<string, any> | undefined;
      try {
        result = line ? JSON.parse(line) : undefined;
      } catch {
        result = undefined;
      }
      done({ code, stderr, result });
    });
  });
}

