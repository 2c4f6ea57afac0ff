import { afterEach, describe, expect, it, vi } from "vitest";
import type { LogLevel } from "../../src/core/unions.js";
import { createLogger } from "../../src/log.js";

const capture = (level: LogLevel, secrets?: string[]) => {
  const lines: string[] = [];
  const logger = createLogger({ level, write: (line) => lines.push(line), ...(secrets && { secrets }) });
  return { logger, lines };
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createLogger levels", () => {
  const order: LogLevel[] = ["error", "warn", "info", "debug"];
  for (const level of order) {
    it(`at ${level} writes that level and above only`, () => {
      const { logger, lines } = capture(level);
      for (const each of order) logger[each](`${each} message`);
      const expected = order.slice(0, order.indexOf(level) + 1);
      expect(lines).toEqual(expected.map((each) => `mcp-memory-bridge ${each}: ${each} message`));
      expect(logger.level).toBe(level);
    });
  }

  it("does no work for a call below the level", () => {
    const { logger, lines } = capture("warn");
    const toJSON = vi.fn(() => "x");
    const fields = {
      get expensive() {
        throw new Error("fields were read");
      },
      value: { toJSON },
    };
    logger.debug("not built", fields);
    logger.info("not built", fields);
    expect(lines).toEqual([]);
    expect(toJSON).not.toHaveBeenCalled();
  });

  it("writes to stderr by default, never to stdout", () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, "write");
    createLogger({ level: "debug" }).error("boom", { code: 1 });
    expect(stderr).toHaveBeenCalledWith("mcp-memory-bridge error: boom code=1\n");
    expect(stdout).not.toHaveBeenCalled();
  });

  it("survives a writer that throws", () => {
    const logger = createLogger({
      level: "debug",
      write: () => {
        throw new Error("EPIPE");
      },
    });
    expect(() => logger.error("x")).not.toThrow();
  });
});

describe("createLogger format", () => {
  it("encodes fields compactly as JSON", () => {
    const { logger, lines } = capture("debug");
    logger.info("call done", { tool: "store_memory", attempts: 2, ok: true, tags: ["a", "b"], meta: { x: 1 }, gone: undefined, nil: null });
    expect(lines).toEqual(['mcp-memory-bridge info: call done tool="store_memory" attempts=2 ok=true tags=["a","b"] meta={"x":1} nil=null']);
  });

  it("keeps one line per entry", () => {
    const { logger, lines } = capture("debug");
    logger.warn("first\nsecond", { text: "a\nb" });
    expect(lines).toEqual(['mcp-memory-bridge warn: first\\nsecond text="a\\nb"']);
  });

  it("prints errors, bigints, Maps, Headers and circular values", () => {
    const { logger, lines } = capture("debug");
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const error = Object.assign(new Error("connect refused"), { code: "ECONNREFUSED" });
    logger.error("x", { error, big: 10n, map: new Map([["a", 1]]), headers: new Headers({ accept: "json" }), circular });
    expect(lines[0]).toBe(
      'mcp-memory-bridge error: x error={"name":"Error","message":"connect refused","code":"ECONNREFUSED"} big="10" map={"a":1} headers={"accept":"json"} circular="[unserializable]"',
    );
  });
});

describe("createLogger redaction", () => {
  const TOKEN = "mt_9f8e7d6c5b4a3210";

  it("redacts registered secrets in messages and fields, at any depth", () => {
    const { logger, lines } = capture("debug", [TOKEN]);
    logger.error(`request with ${TOKEN} failed`, { url: `https://h/?k=${TOKEN}`, nested: { list: [`x${TOKEN}y`] } });
    expect(lines[0]).not.toContain(TOKEN);
    expect(lines[0]).toBe(
      'mcp-memory-bridge error: request with [redacted] failed url="https://h/?k=[redacted]" nested={"list":["x[redacted]y"]}',
    );
  });

  it("redacts secrets added later, trimmed", () => {
    const { logger, lines } = capture("debug");
    logger.info(`before ${TOKEN}`);
    logger.addSecret(`  ${TOKEN}\n`);
    logger.info(`after ${TOKEN}`);
    expect(lines).toEqual([`mcp-memory-bridge info: before ${TOKEN}`, "mcp-memory-bridge info: after [redacted]"]);
  });

  it("redacts a secret that JSON would escape", () => {
    const secret = 'ab"c\\def"ghij';
    const { logger, lines } = capture("debug", [secret]);
    logger.info("x", { value: `<${secret}>` });
    expect(lines[0]).toBe('mcp-memory-bridge info: x value="<[redacted]>"');
  });

  it("redacts fields named like credentials whatever their value, nested and in header objects", () => {
    const { logger, lines } = capture("debug");
    logger.debug("request", {
      token: "abc",
      password: 12345,
      headers: { Authorization: "Bearer abc", "X-API-Key": "k", Cookie: "sid=1", accept: "application/json" },
      fetchHeaders: new Headers({ authorization: "Token t", "content-type": "text/plain" }),
      deep: [{ client_secret: { any: "shape" }, accessToken: "a", tokenSource: "keychain", maxTokens: 5 }],
      "set-cookie": ["a=b"],
    });
    const line = lines[0]!;
    expect(line).toContain('token="[redacted]"');
    expect(line).toContain('password="[redacted]"');
    expect(line).toContain('"Authorization":"[redacted]","X-API-Key":"[redacted]","Cookie":"[redacted]","accept":"application/json"');
    expect(line).toContain('fetchHeaders={"authorization":"[redacted]","content-type":"text/plain"}');
    expect(line).toContain('"client_secret":"[redacted]","accessToken":"[redacted]","tokenSource":"keychain","maxTokens":5');
    expect(line).toContain('set-cookie="[redacted]"');
    expect(line).not.toMatch(/abc|12345|sid=1|Token t"/);
  });

  it("redacts Authorization values written in message text", () => {
    const { logger, lines } = capture("debug");
    logger.warn("sent Authorization: Bearer eyJhbGciOi.J9.abc and authorization=Token m0-abcdef, x-api-key: k3y");
    expect(lines[0]).toBe(
      "mcp-memory-bridge warn: sent Authorization: Bearer [redacted] and authorization=Token [redacted], x-api-key: [redacted]",
    );
  });

  it("redacts a short secret only where it stands alone", () => {
    const { logger, lines } = capture("debug", ["a1"]);
    logger.info("token a1 in url?key=a1&x; but not in data1a1b or banana");
    expect(lines[0]).toBe("mcp-memory-bridge info: token [redacted] in url?key=[redacted]&x; but not in data1a1b or banana");
  });

  it("ignores empty secrets instead of redacting everything", () => {
    const { logger, lines } = capture("debug", ["", "   "]);
    logger.info("plain text");
    expect(lines[0]).toBe("mcp-memory-bridge info: plain text");
  });
});
