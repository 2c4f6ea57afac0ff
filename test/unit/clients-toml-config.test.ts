import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { ConfigEditError } from "../../src/clients/config-errors.js";
import { headerKey, readTomlEntry, removeTomlEntry, setTomlEntry, type TomlTarget } from "../../src/clients/toml-config.js";

const target: TomlTarget = { serversKey: ["mcp_servers"], name: "memory" };
const ENTRY = { command: "/opt/node/bin/npx", args: ["-y", "mcp-memory-bridge@0"], env: { PATH: "/opt/node/bin:/usr/bin", MEMORY_BRIDGE_ENDPOINT: "https://m.example/api" } };
const plain = (text: string) => JSON.parse(JSON.stringify(parse(text)));

const CODEX = `# Codex settings
model = "o3"
approval_policy = "on-request"   # ask first

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-mcp"]

# trailing comment about profiles
[profiles.fast]
model = "o4-mini"
`;

describe("setTomlEntry", () => {
  it("appends the entry as its own tables, leaving every other byte alone", () => {
    const after = setTomlEntry(CODEX, target, ENTRY);
    expect(after.startsWith(CODEX)).toBe(true);
    expect(after.slice(CODEX.length)).toBe(
      '\n[mcp_servers.memory]\ncommand = "/opt/node/bin/npx"\nargs = [ "-y", "mcp-memory-bridge@0" ]\n\n[mcp_servers.memory.env]\nPATH = "/opt/node/bin:/usr/bin"\nMEMORY_BRIDGE_ENDPOINT = "https://m.example/api"\n',
    );
    expect(readTomlEntry(after, target)).toEqual(ENTRY);
  });

  it("creates a file from nothing", () => {
    expect(plain(setTomlEntry("", target, ENTRY))).toEqual({ mcp_servers: { memory: ENTRY } });
  });

  it("is a no-op when the entry is already there", () => {
    const once = setTomlEntry(CODEX, target, ENTRY);
    expect(setTomlEntry(once, target, ENTRY)).toBe(once);
  });

  it("updates in place: our keys rewritten, the user's keys, sub-tables, comments and neighbours kept", () => {
    const before = `[mcp_servers.memory]
# started by the bridge
command = "npx"
args = ["-y", "mcp-memory-bridge@0"]
startup_timeout_sec = 20

[mcp_servers.memory.env]
MEMORY_BRIDGE_ENDPOINT = "http://old/api"

[mcp_servers.memory.tools.store_memory]
approval_mode = "prompt"

[mcp_servers.docs]
command = "docs"
`;
    const after = setTomlEntry(before, target, ENTRY);
    expect(plain(after)).toEqual({
      mcp_servers: {
        memory: { ...ENTRY, startup_timeout_sec: 20, tools: { store_memory: { approval_mode: "prompt" } } },
        docs: { command: "docs" },
      },
    });
    expect(after).toContain("# started by the bridge\nstartup_timeout_sec = 20\n");
    expect(after).toContain('[mcp_servers.memory.tools.store_memory]\napproval_mode = "prompt"\n\n[mcp_servers.docs]\ncommand = "docs"\n');
    expect(after).not.toContain("http://old/api");
    expect(setTomlEntry(after, target, ENTRY)).toBe(after);
  });

  it("replaces an inline env table with the sub-table", () => {
    const before = '[mcp_servers.memory]\ncommand = "npx"\nargs = []\nenv = { MEMORY_BRIDGE_ENDPOINT = "http://old/api" }\n';
    expect(plain(setTomlEntry(before, target, ENTRY))).toEqual({ mcp_servers: { memory: ENTRY } });
  });

  it("refuses (file untouched) an entry written without its own table header", () => {
    for (const text of ['[mcp_servers]\nmemory = { command = "npx", args = [] }\n', 'mcp_servers.memory.command = "npx"\n']) {
      expect(() => setTomlEntry(text, target, ENTRY)).toThrow(expect.objectContaining({ problem: "unsupported-layout" }));
    }
  });

  it("refuses a multi-line value it would have to cut", () => {
    const text = '[mcp_servers.memory]\ncommand = "npx"\nargs = [\n  "-y",\n  "mcp-memory-bridge@0",\n]\n';
    expect(() => setTomlEntry(text, target, ENTRY)).toThrow(expect.objectContaining({ problem: "unsupported-layout" }));
  });

  it("reports invalid TOML with line and column", () => {
    try {
      setTomlEntry('model = "o3"\nbroken =\n', target, ENTRY);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigEditError);
      expect(error).toMatchObject({ problem: "invalid-syntax", position: { line: 2, column: 9 } });
    }
  });

  it("keeps CRLF line endings", () => {
    const after = setTomlEntry('model = "o3"\r\n', target, ENTRY);
    expect(after).not.toMatch(/[^\r]\n/);
    expect(plain(after).mcp_servers.memory).toEqual(ENTRY);
  });
});

describe("removeTomlEntry", () => {
  it("removes the entry and its sub-tables, nothing else; install + uninstall is the identity", () => {
    const installed = setTomlEntry(CODEX, target, ENTRY);
    expect(removeTomlEntry(installed, target)).toBe(CODEX);
  });

  it("keeps the comment that belongs to the next table", () => {
    const text = '[mcp_servers.memory]\ncommand = "x"\n\n# docs server\n[mcp_servers.docs]\ncommand = "d"\n';
    expect(removeTomlEntry(text, target)).toBe('# docs server\n[mcp_servers.docs]\ncommand = "d"\n');
  });

  it("is a no-op without the entry, and refuses one it cannot cut out", () => {
    expect(removeTomlEntry(CODEX, target)).toBe(CODEX);
    expect(() => removeTomlEntry('[mcp_servers]\nmemory = { command = "x" }\n', target)).toThrow(ConfigEditError);
  });
});

describe("headerKey", () => {
  it("reads bare, quoted and spaced dotted keys, and tells array tables apart", () => {
    expect(headerKey('[ mcp_servers . "my server" ]  # c\n')).toEqual({ key: ["mcp_servers", "my server"], arrayOfTables: false });
    expect(headerKey("[[a.b]]")).toEqual({ key: ["a", "b"], arrayOfTables: true });
    expect(headerKey("['lit.eral'.x]")).toEqual({ key: ["lit.eral", "x"], arrayOfTables: false });
    expect(headerKey('args = ["[x]"]')).toBeUndefined();
  });
});
