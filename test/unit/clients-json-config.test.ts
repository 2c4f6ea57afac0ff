import { describe, expect, it } from "vitest";
import { ConfigEditError } from "../../src/clients/config-errors.js";
import { readJsonEntry, removeJsonEntry, setJsonEntry, type JsonTarget } from "../../src/clients/json-config.js";

const desktop: JsonTarget = { format: "json", serversKey: ["mcpServers"], name: "memory" };
const vscode: JsonTarget = { format: "jsonc", serversKey: ["servers"], name: "memory" };
const ENTRY = { command: "/opt/node/bin/npx", args: ["-y", "mcp-memory-bridge@0"], env: { MEMORY_BRIDGE_ENDPOINT: "https://m.example/api" } };

describe("setJsonEntry", () => {
  it("creates the whole document from an empty file", () => {
    const text = setJsonEntry("", desktop, ENTRY);
    expect(JSON.parse(text)).toEqual({ mcpServers: { memory: ENTRY } });
    expect(text).toBe(`${JSON.stringify({ mcpServers: { memory: ENTRY } }, null, 2)}\n`);
  });

  it("adds the entry after the other servers, touching no other byte", () => {
    const before = '{\n  "globalShortcut": "",\n  "mcpServers": {\n    "fs": {"command": "npx", "args": ["x"]}\n  }\n}\n';
    const after = setJsonEntry(before, desktop, ENTRY);
    expect(JSON.parse(after)).toEqual({ globalShortcut: "", mcpServers: { fs: { command: "npx", args: ["x"] }, memory: ENTRY } });
    // Everything up to the end of "fs" is byte-identical, and the tail too.
    const fsEnd = before.indexOf('["x"]}') + '["x"]}'.length;
    expect(after.startsWith(before.slice(0, fsEnd))).toBe(true);
    expect(after.endsWith("\n  }\n}\n")).toBe(true);
    expect(after).toContain(',\n    "memory": {\n      "command": "/opt/node/bin/npx",');
  });

  it("keeps comments, a trailing comma, tabs and CRLF in JSONC", () => {
    const before = '{\r\n\t// user servers\r\n\t"servers": {\r\n\t\t"a": { "type": "stdio", "command": "a" }, // mine\r\n\t},\r\n\t"inputs": [],\r\n}\r\n';
    const after = setJsonEntry(before, vscode, { type: "stdio", ...ENTRY });
    expect(after).toContain("\t// user servers\r\n");
    expect(after).toContain('\t\t"a": { "type": "stdio", "command": "a" }, // mine\r\n\t\t"memory": {\r\n\t\t\t"type": "stdio",');
    expect(after).not.toMatch(/[^\r]\n/);
    expect(after.endsWith('\t},\r\n\t"inputs": [],\r\n}\r\n')).toBe(true);
    expect(readJsonEntry(after, vscode)).toEqual({ type: "stdio", ...ENTRY });
  });

  it("puts the new property after a trailing line comment, not before it", () => {
    const before = '{\n  "mcpServers": {\n    "a": 1 // note on a\n  }\n}\n';
    const after = setJsonEntry(before, { ...desktop, format: "jsonc" }, ENTRY);
    expect(after).toContain('"a": 1, // note on a\n    "memory": {');
  });

  it("creates the servers key when the file has none, in the file's indentation", () => {
    const before = '{\n    "theme": "dark"\n}\n';
    const after = setJsonEntry(before, desktop, ENTRY);
    expect(after).toMatch(/^\{\n {4}"theme": "dark",\n {4}"mcpServers": \{\n {8}"memory": \{\n {12}"command"/);
  });

  it("fills an empty servers object", () => {
    expect(JSON.parse(setJsonEntry('{"mcpServers": {}}', desktop, ENTRY))).toEqual({ mcpServers: { memory: ENTRY } });
    const multiline = setJsonEntry('{\n  "mcpServers": {\n  }\n}\n', desktop, ENTRY);
    expect(JSON.parse(multiline)).toEqual({ mcpServers: { memory: ENTRY } });
  });

  it("is a no-op (identical text) when the entry is already there", () => {
    const once = setJsonEntry('{\n  "mcpServers": {}\n}\n', desktop, ENTRY);
    expect(setJsonEntry(once, desktop, ENTRY)).toBe(once);
  });

  it("updates an existing entry in place, keeping keys the user added and its position", () => {
    const before = '{\n  "mcpServers": {\n    "memory": {\n      "command": "npx",\n      "args": ["-y", "mcp-memory-bridge@0"],\n      "disabled": false\n    },\n    "z": {"command": "z"}\n  }\n}\n';
    const after = setJsonEntry(before, desktop, ENTRY);
    const parsed = JSON.parse(after);
    expect(parsed.mcpServers.memory).toEqual({ ...ENTRY, disabled: false });
    expect(Object.keys(parsed.mcpServers)).toEqual(["memory", "z"]);
    expect(after).toContain('"z": {"command": "z"}');
  });

  it("drops an owned key the new entry does not have (env of an old install)", () => {
    const before = JSON.stringify({ mcpServers: { memory: { command: "node", args: ["a"], env: { X: "1" } } } }, null, 2);
    const after = setJsonEntry(before, desktop, { command: "node", args: ["b"] });
    expect(JSON.parse(after).mcpServers.memory).toEqual({ command: "node", args: ["b"] });
  });

  it("replaces an entry that is not an object", () => {
    expect(JSON.parse(setJsonEntry('{"mcpServers": {"memory": "oops"}}', desktop, ENTRY)).mcpServers.memory).toEqual(ENTRY);
  });

  it("keeps a one-line file on one line", () => {
    expect(setJsonEntry('{"mcpServers": {"a": {"command": "a"}}}', desktop, { command: "n", args: [] })).toBe(
      '{"mcpServers": {"a": {"command": "a"}, "memory": {"command":"n","args":[]}}}',
    );
  });
});

describe("refusals", () => {
  it("names line and column of a syntax error", () => {
    const bad = '{\n  "mcpServers": {\n    "a": {"command": "a"},,\n  }\n}\n';
    const error = (() => {
      try {
        setJsonEntry(bad, desktop, ENTRY);
      } catch (caught) {
        return caught as ConfigEditError;
      }
      throw new Error("no error");
    })();
    expect(error).toBeInstanceOf(ConfigEditError);
    expect(error.problem).toBe("invalid-syntax");
    expect(error.position).toEqual({ line: 3, column: 27 }); // the second comma
  });

  it("strict JSON refuses comments and trailing commas that JSONC accepts", () => {
    const commented = '{\n  // hi\n  "mcpServers": {}\n}';
    expect(() => readJsonEntry(commented, desktop)).toThrow(ConfigEditError);
    expect(readJsonEntry(commented, vscode)).toBeUndefined();
    expect(() => readJsonEntry('{"mcpServers": {},}', desktop)).toThrow(/line 1, column 19/);
  });

  it("refuses a top level that is not an object, and servers that are not an object", () => {
    expect(() => setJsonEntry("[]", desktop, ENTRY)).toThrow(expect.objectContaining({ problem: "not-an-object" }));
    expect(() => setJsonEntry('{"mcpServers": []}', desktop, ENTRY)).toThrow(expect.objectContaining({ problem: "servers-not-an-object" }));
  });
});

describe("removeJsonEntry", () => {
  it("removes only the entry, with its lines, keeping the comment before the next server", () => {
    const before = '{\n  "mcpServers": {\n    "memory": {\n      "command": "x"\n    },\n    // about b\n    "b": {"command": "b"}\n  }\n}\n';
    expect(removeJsonEntry(before, { ...desktop, format: "jsonc" })).toBe('{\n  "mcpServers": {\n    // about b\n    "b": {"command": "b"}\n  }\n}\n');
  });

  it("removes the last entry and the comma before it, so strict JSON stays valid", () => {
    const before = '{\n  "mcpServers": {\n    "a": {"command": "a"},\n    "memory": {\n      "command": "x"\n    }\n  }\n}\n';
    const after = removeJsonEntry(before, desktop);
    expect(after).toBe('{\n  "mcpServers": {\n    "a": {"command": "a"}\n  }\n}\n');
  });

  it("leaves an empty servers object when it was the only one", () => {
    expect(removeJsonEntry('{\n  "mcpServers": {\n    "memory": {"command": "x"}\n  },\n  "k": 1\n}\n', desktop)).toBe('{\n  "mcpServers": {},\n  "k": 1\n}\n');
  });

  it("is a no-op when there is no entry", () => {
    const text = '{\n  "mcpServers": {"a": {}}\n}';
    expect(removeJsonEntry(text, desktop)).toBe(text);
    expect(removeJsonEntry("{}", desktop)).toBe("{}");
  });

  it("round-trips: install then uninstall gives the original bytes back", () => {
    const original = '{\n\t"mcpServers": {\n\t\t"a": {"command": "a"} // keep\n\t}\n}\n';
    const target = { ...desktop, format: "jsonc" as const };
    expect(removeJsonEntry(setJsonEntry(original, target, ENTRY), target)).toBe(original);
  });
});

describe("comparisons", () => {
  it("reads the entry as plain data, so an unchanged compact env is not rewritten", () => {
    const text = '{"mcpServers": {"memory": {"command": "c", "args": [], "env": {"A": "1"}}}}';
    expect(Object.getPrototypeOf(readJsonEntry(text, desktop))).toBe(Object.prototype);
    expect(setJsonEntry(text, desktop, { command: "c", args: [], env: { A: "1" } })).toBe(text);
  });
});
