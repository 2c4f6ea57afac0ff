import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileStore, credentialsFilePath, CredentialsFileError } from "../../src/credentials/file-store.js";
import { createLogger } from "../../src/log.js";
import { explain } from "../../src/mcp/error-words.js";
import { WORDS } from "../helpers/words.js";

const A = "https://a.example.com";
const B = "http://127.0.0.1:8000/base";
const TOKEN = "file-token-1234567890";
const posix = process.platform !== "win32";

let dir = "";
let configDir = "";
let lines: string[] = [];
const logger = () => createLogger({ level: "debug", write: (line) => lines.push(line) });
const mode = (path: string) => statSync(path).mode & 0o777;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "file-store-"));
  configDir = join(dir, "config", "mcp-memory-bridge");
  lines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("file store", () => {
  it("reads nothing (and warns nothing) when the file does not exist", async () => {
    const store = createFileStore({ configDir, logger: logger() });
    expect(store.name).toBe("file");
    expect(store.path).toBe(credentialsFilePath(configDir));
    expect(await store.get(A)).toBeUndefined();
    expect(await store.delete(A)).toBe(false);
    expect(existsSync(store.path)).toBe(false);
    expect(lines).toEqual([]);
  });

  it("writes { endpoint: token } with mode 0600 in a new 0700 directory", async () => {
    const store = createFileStore({ configDir, logger: logger() });
    await store.set(A, TOKEN);
    await store.set(B, "other-token-0987654321");
    expect(JSON.parse(readFileSync(store.path, "utf8"))).toEqual({ [A]: TOKEN, [B]: "other-token-0987654321" });
    if (posix) {
      expect(mode(store.path)).toBe(0o600);
      expect(mode(configDir)).toBe(0o700);
    }
    expect(await store.get(A)).toBe(TOKEN);
  });

  it("warns once per process for a write and once for reads, in a sentence naming the file and the command that moves it, never the token", async () => {
    const store = createFileStore({ configDir, logger: logger(), loginCommand: "npx mcp-memory-bridge login" });
    await store.set(A, TOKEN);
    await store.get(A);
    await store.get(A);
    // Another store over the same file (a second session in the same process) does not repeat it.
    await createFileStore({ configDir, logger: logger() }).get(A);
    const warnings = lines.filter((line) => line.includes(" warn: "));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(`The token for ${A} was written to the insecure token file ${store.path}, which any program running as you can read.`);
    expect(warnings[1]).toContain(
      `The token for ${A} was read from the insecure token file ${store.path}, which any program running as you can read. To move it into the OS keychain, run \`npx mcp-memory-bridge login ${A}\`.`,
    );
    expect(lines.join("\n")).not.toContain(TOKEN);
  });

  it("writes atomically: a new file replaces the old one by rename, no temporary file is left", async () => {
    const store = createFileStore({ configDir });
    await store.set(A, TOKEN);
    const before = statSync(store.path).ino;
    await store.set(B, "t2-abcdefghijkl");
    expect(statSync(store.path).ino).not.toBe(before); // renamed over, not rewritten in place
    expect(readdirSync(configDir)).toEqual(["credentials.json"]);
  });

  it("a failed write leaves the previous file intact and no temporary file", async () => {
    const store = createFileStore({ configDir });
    await store.set(A, TOKEN);
    const previous = readFileSync(store.path, "utf8");
    // Make the rename fail: the target becomes a non-empty directory.
    rmSync(store.path);
    mkdirSync(join(store.path, "blocker"), { recursive: true });
    writeFileSync(join(configDir, "keep.json"), previous);
    await expect(store.set(B, "t2-abcdefghijkl")).rejects.toBeInstanceOf(CredentialsFileError);
    expect(readdirSync(configDir).sort()).toEqual(["credentials.json", "keep.json"]);
    expect(readFileSync(join(configDir, "keep.json"), "utf8")).toBe(previous);
  });

  it.runIf(posix)("fixes the mode of an existing file that others can read", async () => {
    mkdirSync(configDir, { recursive: true });
    const path = credentialsFilePath(configDir);
    writeFileSync(path, JSON.stringify({ [A]: TOKEN }));
    chmodSync(path, 0o644);
    const store = createFileStore({ configDir, logger: logger() });
    expect(await store.get(A)).toBe(TOKEN);
    expect(mode(path)).toBe(0o600);
    expect(lines.join("\n")).toMatch(/mode is now 0600.*was="0644"/);
  });

  it.runIf(posix)("leaves modes alone on Windows", async () => {
    mkdirSync(configDir, { recursive: true });
    const path = credentialsFilePath(configDir);
    writeFileSync(path, JSON.stringify({ [A]: TOKEN }));
    chmodSync(path, 0o644);
    const store = createFileStore({ configDir, platform: "win32" });
    expect(await store.get(A)).toBe(TOKEN);
    expect(mode(path)).toBe(0o644);
  });

  it("a corrupt file is a clear error, never overwritten, and its content is not quoted", async () => {
    mkdirSync(configDir, { recursive: true });
    const path = credentialsFilePath(configDir);
    const corrupt = `{"${A}": "${TOKEN}"`; // truncated JSON holding a token
    writeFileSync(path, corrupt);
    const store = createFileStore({ configDir });
    for (const attempt of [() => store.get(A), () => store.set(B, "new-token-value-123"), () => store.delete(A)]) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CredentialsFileError);
      expect(explain(error, WORDS)).toContain("is not valid JSON; fix it or delete it");
      expect((error as Error).message).not.toContain(TOKEN);
    }
    expect(readFileSync(path, "utf8")).toBe(corrupt);
  });

  it("valid JSON of the wrong shape is refused too", async () => {
    mkdirSync(configDir, { recursive: true });
    for (const content of ["[]", "null", '"x"', JSON.stringify({ [A]: 42 })]) {
      writeFileSync(credentialsFilePath(configDir), content);
      await expect(createFileStore({ configDir }).get(A)).rejects.toThrow(/not a JSON object of endpoint → token strings/);
    }
  });

  it("delete removes one endpoint, and the file with the last one", async () => {
    const store = createFileStore({ configDir, logger: logger() });
    await store.set(A, TOKEN);
    await store.set(B, "t2-abcdefghijkl");
    expect(await store.delete(A)).toBe(true);
    expect(JSON.parse(readFileSync(store.path, "utf8"))).toEqual({ [B]: "t2-abcdefghijkl" });
    if (posix) expect(mode(store.path)).toBe(0o600);
    expect(await store.delete(A)).toBe(false);
    expect(await store.delete(B)).toBe(true);
    expect(existsSync(store.path)).toBe(false);
  });

  it("does not read inherited properties as tokens", async () => {
    const store = createFileStore({ configDir });
    await store.set(A, TOKEN);
    expect(await store.get("constructor")).toBeUndefined();
    expect(await store.get("__proto__")).toBeUndefined();
  });

  describe("files that are not what they seem", () => {
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => {
          throw new Error("expected a CredentialsFileError");
        },
        (error: unknown) => error as Error,
      );

    it("a symbolic link is refused, not followed: its target's mode is left alone, even for a valid token file", async () => {
      mkdirSync(configDir, { recursive: true });
      const target = join(dir, "elsewhere.json");
      writeFileSync(target, JSON.stringify({ [A]: TOKEN }));
      chmodSync(target, 0o644);
      symlinkSync(target, credentialsFilePath(configDir));
      const error = await failure(createFileStore({ configDir, logger: logger() }).get(A));
      expect(error).toBeInstanceOf(CredentialsFileError);
      expect(error.message).toMatch(/is a symbolic link, which the bridge does not follow/);
      expect(mode(target)).toBe(0o644);
      expect(lines.join("\n")).not.toContain("mode is now 0600");
    });

    it("a link to a file that is not JSON does not get its mode changed either", async () => {
      mkdirSync(configDir, { recursive: true });
      const target = join(dir, "notes.txt");
      writeFileSync(target, "not json at all");
      chmodSync(target, 0o644);
      symlinkSync(target, credentialsFilePath(configDir));
      await failure(createFileStore({ configDir }).get(A));
      expect(mode(target)).toBe(0o644);
    });

    it("a FIFO is refused at once (reading it would wait for a writer forever)", async () => {
      mkdirSync(configDir, { recursive: true });
      execFileSync("mkfifo", [credentialsFilePath(configDir)]);
      const error = await failure(createFileStore({ configDir }).get(A));
      expect(error.message).toMatch(/is not a regular file \(a FIFO, a device or a directory\)/);
    });

    it("a file over 1 MiB is refused", async () => {
      mkdirSync(configDir, { recursive: true });
      writeFileSync(credentialsFilePath(configDir), JSON.stringify({ [A]: "x".repeat(1024 * 1024) }));
      expect((await failure(createFileStore({ configDir }).get(A))).message).toMatch(/is larger than 1048576 bytes/);
    });

    it("a link is refused by login --insecure-storage too, and left in place", async () => {
      mkdirSync(configDir, { recursive: true });
      const target = join(dir, "elsewhere.json");
      writeFileSync(target, "{}");
      symlinkSync(target, credentialsFilePath(configDir));
      await failure(createFileStore({ configDir }).set(A, TOKEN));
      expect(readFileSync(target, "utf8")).toBe("{}");
    });
  });
});
