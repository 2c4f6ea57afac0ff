import { describe, expect, it } from "vitest";
import { slugProjectName } from "../../src/project/slug.js";

describe("slugProjectName", () => {
  it.each([
    ["app", "app"],
    ["My App", "my-app"],
    ["My__App!!v2", "my-app-v2"],
    ["--app--", "app"],
    ["  spaced  out  ", "spaced-out"],
    ["Ünïcödé", "n-c-d"],
    ["a.b.c", "a-b-c"],
    ["", "root"],
    ["---", "root"],
    ["日本語", "root"],
  ])("%j → %j", (input, expected) => {
    expect(slugProjectName(input)).toBe(expected);
  });

  it("cuts at 40 characters", () => {
    expect(slugProjectName("a".repeat(50))).toBe("a".repeat(40));
    expect(slugProjectName("a".repeat(50))).toHaveLength(40);
  });

  it("trims a '-' left at the end by the cut", () => {
    const input = `${"a".repeat(39)} tail`; // the 40th character becomes '-'
    expect(slugProjectName(input)).toBe("a".repeat(39));
  });
});
