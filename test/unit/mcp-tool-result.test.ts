import { describe, expect, it } from "vitest";
import { BridgeError } from "../../src/core/errors.js";
import { createLogger } from "../../src/log.js";
import { errorResult } from "../../src/mcp/tool-result.js";
import { WORDS } from "../helpers/words.js";

function logs(level: "warn" | "debug") {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level, write: (line) => lines.push(line) }) };
}

describe("errorResult", () => {
  it("an unexpected error: one sentence in the result, one line at error level naming where, no stack", () => {
    const { lines, logger } = logs("warn");
    const result = errorResult("list_memories", new TypeError("x.filter is not a function"), logger, WORDS);
    expect(result).toEqual({
      isError: true,
      content: [{ type: "text", text: expect.stringMatching(/^list_memories failed unexpectedly: x\.filter is not a function\. Run: /) }],
    });
    expect((result.content[0] as { text: string }).text).not.toMatch(/\n\s*at /);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^mcp-memory-bridge error: list_memories failed unexpectedly error="TypeError" message="x.filter is not a function" at="at /);
    expect(lines[0]).not.toMatch(/\\n\s+at /);
  });

  it("the whole stack only at debug level", () => {
    const { lines, logger } = logs("debug");
    errorResult("get_memory", new RangeError("Invalid time value"), logger, WORDS);
    expect(lines.filter((l) => l.includes(" error: "))).toHaveLength(1);
    expect(lines.find((l) => l.includes(" debug: "))).toMatch(/stack="RangeError: Invalid time value\\n\s+at /);
  });

  it("a BridgeError is its own sentence, logged at info", () => {
    const { lines, logger } = logs("debug");
    expect(errorResult("get_memory", new BridgeError("Memory x not found"), logger, WORDS).content).toEqual([{ type: "text", text: "Memory x not found" }]);
    expect(lines).toEqual([expect.stringMatching(/^mcp-memory-bridge info: get_memory failed/)]);
  });
});
