import { describe, expect, it } from "vitest";
import { UnsafePathError } from "../../src/http/errors.js";
import { assertSafePath } from "../../src/http/safe-path.js";

describe("assertSafePath", () => {
  it.each(["/memories/.", "/memories/..", "/memories/%2e", "/memories/%2E%2e", "/memories/a%2F..%2Fb", "/memories/./x", "/../health"])(
    "refuses %s",
    (path) => {
      expect(() => assertSafePath("GET", path)).toThrow(UnsafePathError);
    },
  );

  it.each(["/memories", "/memories/abc", "/memories/a.b", "/memories/...", "/memories/%252e%252e", "/memories/%zz", "/search?q=..", "/memories/a%2Fb"])(
    "lets %s through",
    (path) => {
      expect(() => assertSafePath("GET", path)).not.toThrow();
    },
  );

  it("says what was refused and why, without the query", () => {
    expect(() => assertSafePath("DELETE", "/memories/..?x=1")).toThrow(
      'Refused to send DELETE /memories/..: a "." or ".." path segment would make the server act on another resource than the one named. Check the id.',
    );
  });
});
