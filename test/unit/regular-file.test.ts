import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chmodRegularFile, FileReadError, readRegularFile, readRegularFileSync } from "../../src/core/regular-file.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "regular-file-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string, mode = 0o600) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
};
const problemOf = (read: () => unknown): unknown => {
  try {
    read();
  } catch (error) {
    return error instanceof FileReadError ? error.problem : error;
  }
  return "no error";
};
const asyncProblemOf = (read: Promise<unknown>) => read.then(() => "no error", (error: unknown) => (error instanceof FileReadError ? error.problem : error));

const readers = {
  sync: (path: string, options: { maxBytes: number; noFollow?: boolean }) => Promise.resolve().then(() => readRegularFileSync(path, options)),
  async: (path: string, options: { maxBytes: number; noFollow?: boolean }) => readRegularFile(path, { ...options, timeoutMs: 2_000 }),
};

describe.each(Object.entries(readers))("%s reader", (_name, read) => {
  it("reads a regular file and its mode; a missing one is undefined", async () => {
    expect(await read(file("a.json", '{"a":"é"}', 0o640), { maxBytes: 100 })).toEqual({ text: '{"a":"é"}', mode: 0o640 });
    expect(await read(join(dir, "absent"), { maxBytes: 100 })).toBeUndefined();
  });

  it("reads a file exactly at the cap, and refuses one byte more", async () => {
    expect((await read(file("at.txt", "x".repeat(100)), { maxBytes: 100 }))?.text).toHaveLength(100);
    expect(await asyncProblemOf(read(file("over.txt", "x".repeat(101)), { maxBytes: 100 }))).toBe("too-large");
    expect((await read(file("big.txt", "y".repeat(300_000)), { maxBytes: 400_000 }))?.text).toHaveLength(300_000);
  });

  it("refuses a FIFO at once, without waiting for a writer", async () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    expect(await asyncProblemOf(read(fifo, { maxBytes: 100 }))).toBe("not-regular");
  });

  it("refuses a device and a directory", async () => {
    const zero = join(dir, "zero");
    symlinkSync("/dev/zero", zero);
    expect(await asyncProblemOf(read(zero, { maxBytes: 100 }))).toBe("not-regular");
    mkdirSync(join(dir, "sub"));
    expect(await asyncProblemOf(read(join(dir, "sub"), { maxBytes: 100 }))).toBe("not-regular");
  });

  it("follows a link to a regular file, unless told not to", async () => {
    const target = file("target.json", "{}");
    const link = join(dir, "link.json");
    symlinkSync(target, link);
    expect((await read(link, { maxBytes: 100 }))?.text).toBe("{}");
    expect(await asyncProblemOf(read(link, { maxBytes: 100, noFollow: true }))).toBe("symlink");
  });
});

describe("readRegularFileSync", () => {
  it("names the problem and the path", () => {
    const path = file("x", "1234");
    expect(problemOf(() => readRegularFileSync(path, { maxBytes: 2 }))).toBe("too-large");
    expect(() => readRegularFileSync(path, { maxBytes: 2 })).toThrow(`${path}: too-large`);
  });
});

describe("chmodRegularFile", () => {
  it("changes the file itself", async () => {
    const path = file("c.json", "{}", 0o644);
    expect(await chmodRegularFile(path, 0o600)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("never changes what a link points to", async () => {
    const target = file("t.txt", "not json", 0o644);
    const link = join(dir, "l");
    symlinkSync(target, link);
    await expect(chmodRegularFile(link, 0o600)).rejects.toMatchObject({ code: "ELOOP" });
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });
});
