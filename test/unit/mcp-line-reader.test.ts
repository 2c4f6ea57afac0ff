import { describe, expect, it } from "vitest";
import { LineReader, type LineEvent } from "../../src/mcp/line-reader.js";
import { TopLevelIdScanner } from "../../src/mcp/top-level-id.js";

function scan(text: string, pieceLength = text.length): string | number | undefined {
  const scanner = new TopLevelIdScanner();
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += pieceLength) scanner.push(bytes.subarray(i, i + pieceLength));
  return scanner.id;
}

describe("TopLevelIdScanner", () => {
  it.each([
    ['{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{}}', 7],
    ['{"method":"tools/call","params":{"arguments":{"id":"inner","x":[1,{"id":2}]}},"jsonrpc":"2.0","id":"abc"}', "abc"],
    ['{ "id" : 42 , "method":"x"}', 42],
    ['{"params":{"s":"a \\"quoted\\" } brace { and \\\\"},"id":"q\\"x"}', 'q"x'],
    ['{"id":"é-ü"}', "é-ü"],
    ['{"id":null,"method":"x"}', undefined],
    ['{"id":1.5}', undefined],
    ['{"id":{"nested":1}}', undefined],
    ['{"method":"notifications/x"}', undefined],
    ['[{"id":1}]', undefined],
    ['{"identifier":3,"idx":4}', undefined],
    [`{"id":"${"x".repeat(300)}"}`, undefined],
  ] as const)("%s → %o", (text, expected) => {
    expect(scan(text)).toEqual(expected);
    expect(scan(text, 1)).toEqual(expected); // one byte at a time
    expect(scan(text, 5)).toEqual(expected);
  });

  it("finds an id after megabytes of params, keeping no text", () => {
    const scanner = new TopLevelIdScanner();
    scanner.push(Buffer.from('{"jsonrpc":"2.0","method":"tools/call","params":{"arguments":{"content":"'));
    const filler = Buffer.alloc(1024 * 1024, "a");
    for (let i = 0; i < 11; i++) scanner.push(filler);
    scanner.push(Buffer.from('"}},"id":99}'));
    expect(scanner.id).toBe(99);
  });
});

describe("LineReader", () => {
  function reader(max: number) {
    const events: LineEvent[] = [];
    return { events, reader: new LineReader(max, (event) => events.push(event)) };
  }

  it("splits on newlines across chunks, strips a CR, and keeps a last line without newline for end()", () => {
    const { events, reader: r } = reader(100);
    r.push(Buffer.from('{"a":1}\r\n{"b"'));
    r.push(Buffer.from(':2}\n\n{"c":3}'));
    expect(events).toEqual([
      { kind: "line", text: '{"a":1}' },
      { kind: "line", text: '{"b":2}' },
      { kind: "line", text: "" },
    ]);
    r.end();
    expect(events.at(-1)).toEqual({ kind: "line", text: '{"c":3}' });
  });

  it("a line over the limit is reported with its size and id, and the next line is read as usual", () => {
    const { events, reader: r } = reader(64);
    r.push(Buffer.from(`{"jsonrpc":"2.0","method":"tools/call","params":{"x":"${"y".repeat(100)}`));
    r.push(Buffer.from(`${"y".repeat(100)}"},"id":5}\n{"ok":true}\n`));
    expect(events).toEqual([
      { kind: "too-long", bytes: 264, id: 5 },
      { kind: "line", text: '{"ok":true}' },
    ]);
  });

  it("decodes a character split across chunks", () => {
    const { events, reader: r } = reader(100);
    const euro = Buffer.from('"€"\n');
    r.push(euro.subarray(0, 2));
    r.push(euro.subarray(2));
    expect(events).toEqual([{ kind: "line", text: '"€"' }]);
  });
});
