import { describe, expect, it } from "vitest";
import { BodyTooLargeError, declaredTooLarge, readBody, type BodyStream } from "../../src/http/body.js";
import { LargeBodyGate } from "../../src/http/large-body-gate.js";

/** A body of the given chunks that records whether it was destroyed and how many chunks were pulled. */
function body(chunks: (string | Buffer)[]): BodyStream & { destroyed: boolean; pulled: number } {
  const state = {
    destroyed: false,
    pulled: 0,
    destroy() {
      state.destroyed = true;
    },
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) {
        if (state.destroyed) return;
        state.pulled++;
        yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      }
    },
  };
  return state;
}

const signal = new AbortController().signal;

describe("readBody", () => {
  it("reads a body up to the limit whole, decoding characters split across chunks", async () => {
    const euro = Buffer.from("€"); // 3 bytes
    const b = body([Buffer.concat([Buffer.from('{"a":"'), euro.subarray(0, 1)]), euro.subarray(1), '"}']);
    expect(await readBody(b, { maxBytes: 11, mode: "fail", signal })).toEqual({ text: '{"a":"€"}', truncated: false });
    expect(b.destroyed).toBe(false);
  });

  it("fail mode: throws as soon as the limit is passed and stops reading", async () => {
    const b = body(["aaaa", "bbbb", "cccc", "dddd"]);
    const error = await readBody(b, { maxBytes: 6, mode: "fail", signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect((error as BodyTooLargeError).limitBytes).toBe(6);
    expect(b.destroyed).toBe(true);
    expect(b.pulled).toBe(2);
  });

  it("truncate mode: keeps the first bytes, drops a character cut in half, and stops reading", async () => {
    const b = body(["ab", Buffer.from("c€d"), "efgh", "never read"]);
    expect(await readBody(b, { maxBytes: 4, mode: "truncate", signal })).toEqual({ text: "abc", truncated: true });
    expect(b.destroyed).toBe(true);
    expect(b.pulled).toBe(2);
  });

  it("takes the large-body permit past the free bytes and hands its release to the caller", async () => {
    const gate = new LargeBodyGate(3);
    const owner = {};
    const small = await readBody(body(["abc"]), { maxBytes: 100, mode: "fail", gate: { gate, owner }, signal });
    expect(small.release).toBeUndefined();
    const large = await readBody(body(["abc", "def"]), { maxBytes: 100, mode: "fail", gate: { gate, owner }, signal });
    expect(large.text).toBe("abcdef");
    expect(large.release).toBeTypeOf("function");
    // Held until released: another owner waits.
    let granted = false;
    const other = gate.acquire({}, signal).then((release) => {
      granted = true;
      release();
    });
    await Promise.resolve();
    expect(granted).toBe(false);
    large.release!();
    await other;
    expect(granted).toBe(true);
  });

  it("gives the permit back when reading fails", async () => {
    const gate = new LargeBodyGate(1);
    const error = await readBody(body(["ab", "cd", "ef"]), { maxBytes: 5, mode: "fail", gate: { gate, owner: {} }, signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    const release = await gate.acquire({}, signal); // free again: resolves at once
    release();
  });
});

describe("declaredTooLarge", () => {
  it.each([
    ["101", 100, true],
    ["100", 100, false],
    [undefined, 100, false],
    ["not a number", 100, false],
    [["200", "1"], 100, true],
  ] as const)("%o over %d: %o", (header, max, expected) => {
    expect(declaredTooLarge(header as string | string[] | undefined, max)).toBe(expected);
  });
});

describe("LargeBodyGate", () => {
  it("grants one owner at a time, in order", async () => {
    const gate = new LargeBodyGate(0);
    const order: string[] = [];
    const first = await gate.acquire({}, signal);
    const second = gate.acquire({}, signal).then((release) => (order.push("second"), release));
    const third = gate.acquire({}, signal).then((release) => (order.push("third"), release));
    first();
    (await second)();
    (await third)();
    expect(order).toEqual(["second", "third"]);
  });

  it("lets the holder in again at once (a second large body of the same call)", async () => {
    const gate = new LargeBodyGate(0);
    const owner = {};
    const release = await gate.acquire(owner, signal);
    const again = await gate.acquire(owner, signal);
    again(); // a no-op: the first release still holds it
    let otherGranted = false;
    const other = gate.acquire({}, signal).then((r) => ((otherGranted = true), r));
    await Promise.resolve();
    expect(otherGranted).toBe(false);
    release();
    (await other)();
  });

  it("a waiter whose deadline passes leaves the queue with the abort reason", async () => {
    const gate = new LargeBodyGate(0);
    const release = await gate.acquire({}, signal);
    const controller = new AbortController();
    const waiting = gate.acquire({}, controller.signal);
    controller.abort(new Error("deadline"));
    await expect(waiting).rejects.toThrow("deadline");
    release();
    (await gate.acquire({}, signal))(); // the aborted waiter did not take it
  });

  it("releasing twice frees it once", async () => {
    const gate = new LargeBodyGate(0);
    const a = await gate.acquire({}, signal);
    const b = gate.acquire({}, signal);
    a();
    const bRelease = await b;
    a(); // stale: must not free b's permit
    let cGranted = false;
    const c = gate.acquire({}, signal).then((r) => ((cGranted = true), r));
    await Promise.resolve();
    expect(cGranted).toBe(false);
    bRelease();
    (await c)();
  });
});
