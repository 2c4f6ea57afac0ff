// Run only by test/unit/prerequisites.test.ts (through vitest.sample.config.ts), to see what a run
// prints and returns when a prerequisite is missing.
import { expect, it } from "vitest";
import { needs } from "./prerequisites.js";

it("needs util-linux script", (ctx) => {
  needs(ctx, "script");
  expect("script").toHaveLength(6);
});

it("needs nothing", () => {
  expect(1 + 1).toBe(2);
});
