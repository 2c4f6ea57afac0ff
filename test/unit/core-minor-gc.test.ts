import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { runMinorGc } from "../../src/core/minor-gc.js";

describe("runMinorGc", () => {
  it("runs V8's young-generation collection on this Node", () => {
    expect(runMinorGc()).toBe(true);
    // Once loaded, later calls reuse it.
    expect(runMinorGc()).toBe(true);
  });

  it("gives this context no gc global", () => {
    runMinorGc();
    expect("gc" in globalThis).toBe(false);
    // Only contexts made after --expose-gc get one, which is how runMinorGc finds it.
    expect(runInNewContext("typeof gc")).toBe("function");
  });
});
