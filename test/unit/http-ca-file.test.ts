import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CaFileError } from "../../src/http/errors.js";
import { trustedCertificates } from "../../src/http/pool.js";
import { explain } from "../../src/mcp/error-words.js";
import { catchError } from "../helpers/catch-error.js";
import { WORDS } from "../helpers/words.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ca-file-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("--ca-file is read as a file", () => {
  it("a FIFO is refused at once with a sentence naming the setting", () => {
    const fifo = join(dir, "ca.pem");
    execFileSync("mkfifo", [fifo]);
    expect(() => trustedCertificates(fifo)).toThrow(CaFileError);
    expect(explain(catchError(() => trustedCertificates(fifo)), WORDS)).toBe(`Cannot read the CA file ${fifo} (not a regular file); check the path given to --ca-file (MEMORY_BRIDGE_CA_FILE).`);
  });

  it("a link to /dev/zero is refused without reading it", () => {
    const link = join(dir, "zero.pem");
    symlinkSync("/dev/zero", link);
    expect(() => trustedCertificates(link)).toThrow(/\(not a regular file\)/);
  });

  it("a missing file says ENOENT", () => {
    expect(() => trustedCertificates(join(dir, "absent.pem"))).toThrow(/\(ENOENT\)/);
  });
});
