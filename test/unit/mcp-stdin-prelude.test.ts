import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readFirstLine } from "../../src/mcp/stdin-prelude.js";

/** The bin's read-ahead of stdin (src/serve-start.ts) before the CLI and its transport load. */
describe("readFirstLine", () => {
  const never = new Promise<never>(() => undefined);

  it("stops at the first line and leaves the rest of what it read with it, stdin paused", async () => {
    const stdin = new PassThrough();
    stdin.write('{"id":0}\n{"id":1}');
    const read = await readFirstLine(stdin, never);
    expect(read.line).toBe('{"id":0}');
    expect(read.bytes.toString()).toBe('{"id":0}\n{"id":1}');
    expect(read.ended).toBe(false);
    expect(stdin.isPaused()).toBe(true);
  });

  it("a stdin error after the first line, while the CLI loads, is not thrown and reads as stdin ended", async () => {
    const stdin = new PassThrough();
    stdin.write('{"id":0}\n');
    const read = await readFirstLine(stdin, never);
    expect(read.ended).toBe(false);
    expect(() => stdin.emit("error", new Error("EIO"))).not.toThrow();
    expect(read.ended).toBe(true);
  });

  it("says stdin ended when it ends before a newline", async () => {
    const stdin = new PassThrough();
    stdin.end('{"id":0}');
    const read = await readFirstLine(stdin, never);
    expect(read.line).toBeUndefined();
    expect(read.ended).toBe(true);
  });
});
