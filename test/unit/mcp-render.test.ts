import { describe, expect, it } from "vitest";
import type { Memory } from "../../src/backends/types.js";
import {
  renderDelete,
  renderHistory,
  renderList,
  renderMemory,
  renderMemoryLine,
  renderSearch,
  renderStore,
  renderUpdate,
} from "../../src/mcp/render.js";

const PROJECT = "project_app_12345678";

function mem(n: number, extra: Partial<Memory> = {}): Memory {
  return { id: `id${n}`, content: `content number ${n}`, tags: [], ...extra };
}

const FULL: Memory = {
  id: "abc123",
  content: "Deploy with docker compose.\nThen run migrations.",
  tags: ["ops", "deploy"],
  type: "decision",
  metadata: { source: "chat", n: 2 },
  created_at: "2024-05-01T12:00:00.000Z",
  updated_at: "2024-05-02T08:30:00.000Z",
  score: 0.8765,
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** No `undefined`, `null`, `NaN` or `[object Object]` leaking into text meant for a model. */
function expectClean(text: string): void {
  expect(text).not.toMatch(/\bundefined\b/);
  expect(text).not.toMatch(/\bnull\b/);
  expect(text).not.toMatch(/\bNaN\b/);
  expect(text).not.toContain("[object Object]");
}

describe("renderMemoryLine", () => {
  it("renders content, score, id, tags, type and created time", () => {
    const line = renderMemoryLine(FULL, 3);
    expect(line).toBe(
      "3. Deploy with docker compose. Then run migrations. (relevance 0.88)\n" +
        "   id: abc123 · tags: ops, deploy · type: decision · created: 2024-05-01T12:00:00.000Z",
    );
  });

  it("a minimal memory: just content and id, no number without index", () => {
    const line = renderMemoryLine(mem(1));
    expect(line).toBe("content number 1\n   id: id1");
    expectClean(line);
  });

  it("score 0 is shown", () => {
    expect(renderMemoryLine(mem(1, { score: 0 }))).toContain("(relevance 0.00)");
  });

  it("long content is truncated to 1000 characters plus an ellipsis, on one line", () => {
    const long = "word ".repeat(500) + "\n\nEND-MARKER";
    const line = renderMemoryLine(mem(1, { content: long }));
    const first = line.split("\n")[0]!;
    expect(first.endsWith("…")).toBe(true);
    expect(first.length).toBe(1001);
    expect(line).not.toContain("END-MARKER");
  });

  it("every run of whitespace of any kind becomes one space, none at the ends; one-line text is kept as it is", () => {
    const cases: [string, string][] = [
      ["one line, single spaces", "one line, single spaces"],
      ["two  spaces", "two spaces"],
      [" leading", "leading"],
      ["trailing ", "trailing"],
      ["tab\there", "tab here"],
      ["line\r\nbreak", "line break"],
      ["no-break\u00a0space", "no-break space"],
      ["ideographic\u3000space and\u2028separator", "ideographic space and separator"],
      ["\ufeffbyte order mark", "byte order mark"],
      ["\n", ""],
    ];
    for (const [content, shown] of cases) expect(renderMemoryLine(mem(1, { content })).split("\n")[0], JSON.stringify(content)).toBe(shown);
  });

  it("content of exactly 1000 characters is not truncated", () => {
    const exact = "x".repeat(1000);
    const first = renderMemoryLine(mem(1, { content: exact })).split("\n")[0]!;
    expect(first).toBe(exact);
  });

  // A character outside the BMP straddling the cut must not leave a lone surrogate behind.
  it("truncation never splits a surrogate pair", () => {
    const content = "a".repeat(999) + "😀".repeat(10);
    const first = renderMemoryLine(mem(1, { content })).split("\n")[0]!;
    expect(first.endsWith("…")).toBe(true);
    expect(LONE_SURROGATE.test(first), "lone surrogate in the preview").toBe(false);
  });
});

describe("renderStore", () => {
  it("new memory in a project", () => {
    expect(renderStore({ id: "abc", deduplicated: false }, PROJECT)).toBe(`Stored memory abc in project ${PROJECT}.`);
  });
  it("new memory in global mode mentions no project", () => {
    const text = renderStore({ id: "abc", deduplicated: false }, null);
    expect(text).toBe("Stored memory abc.");
    expectClean(text);
  });
  it("deduplicated", () => {
    expect(renderStore({ id: "abc", deduplicated: true }, PROJECT)).toBe(`Already stored in project ${PROJECT}: identical content exists as memory abc.`);
    const global = renderStore({ id: "abc", deduplicated: true }, null);
    expect(global).toBe("Already stored: identical content exists as memory abc.");
    expectClean(global);
  });
  it("a text the server split into parts lists every part, and says when some could not be found", () => {
    expect(renderStore({ id: "a", deduplicated: false, chunks: 2, ids: ["a", "b"] }, PROJECT)).toBe(
      `Stored in project ${PROJECT} as 2 parts (memories a, b), because the server splits long text.`,
    );
    expect(renderStore({ id: "a", deduplicated: true, chunks: 3, ids: ["a"] }, null)).toBe(
      "Already stored: identical content exists as 3 parts (memory a; 2 of the 3 could not be found, and the server may have turned them away).",
    );
  });
  it("a type the server changed is named with the one asked for", () => {
    const text = renderStore({ id: "abc", deduplicated: false, type: "observation", requestedType: "todo" }, null);
    expect(text).toBe('Stored memory abc. Its type is "observation", not "todo": the server does not know that type and changed it.');
    expect(renderUpdate({ id: "abc", content: "c", tags: [], type: "observation" }, "todo")).toMatch(/^Updated memory abc\. Its type is "observation", not "todo"/);
  });
});

describe("renderSearch", () => {
  it("no results, project scope", () => {
    expect(renderSearch("docker", [], PROJECT, "project")).toBe(`No memories match "docker" in project ${PROJECT}.`);
  });

  it("no results, scope all or global mode", () => {
    expect(renderSearch("docker", [], PROJECT, "all")).toBe('No memories match "docker" across all projects.');
    const global = renderSearch("docker", [], null, "project");
    expect(global).toBe('No memories match "docker" across all projects.');
    expectClean(global);
  });

  it("one result: singular, numbered from 1", () => {
    const text = renderSearch("docker", [mem(1, { score: 0.5 })], PROJECT, "project");
    expect(text).toBe(
      `1 memory for "docker" in project ${PROJECT}, best first:\n` + "1. content number 1 (relevance 0.50)\n   id: id1",
    );
  });

  it("many results: plural, numbered in order, every id present", () => {
    const results = [mem(1, { score: 0.9 }), mem(2, { score: 0.5, tags: ["x"] }), mem(3, { score: 0.1 })];
    const text = renderSearch("q", results, null, "project");
    const lines = text.split("\n");
    expect(lines[0]).toBe('3 memories for "q" across all projects, best first:');
    expect(lines[1]).toBe("1. content number 1 (relevance 0.90)");
    expect(lines[3]).toBe("2. content number 2 (relevance 0.50)");
    expect(lines[4]).toBe("   id: id2 · tags: x");
    expect(lines[5]).toBe("3. content number 3 (relevance 0.10)");
    expectClean(text);
  });

  it("long contents are truncated in the list", () => {
    const text = renderSearch("q", [mem(1, { content: "y".repeat(5000) })], PROJECT, "project");
    expect(text).toContain("y".repeat(1000) + "…");
    expect(text).not.toContain("y".repeat(1001));
  });
});

describe("renderList", () => {
  it("empty first page", () => {
    expect(renderList([], 1, 20, false, 0)).toBe("No memories stored yet.");
    expect(renderList([], 1, 20, false, undefined)).toBe("No memories stored yet.");
  });

  it("empty later page, with and without a total", () => {
    expect(renderList([], 3, 10, false, 5)).toBe("Page 3 is empty (5 memories in all).");
    const noTotal = renderList([], 3, 10, false, undefined);
    expect(noTotal).toBe("Page 3 is empty.");
    expectClean(noTotal);
  });

  it("empty later page with a total of one says “1 memory”", () => {
    expect(renderList([], 2, 10, false, 1)).toBe("Page 2 is empty (1 memory in all).");
  });

  it("one memory", () => {
    const text = renderList([mem(1, { created_at: "2024-05-01T12:00:00.000Z" })], 1, 20, false, 1);
    expect(text).toBe(
      "Memories 1-1 of 1, newest first (page 1):\n1. content number 1\n   id: id1 · created: 2024-05-01T12:00:00.000Z",
    );
  });

  it("many memories on a later page: numbering continues, and points to the next page", () => {
    const text = renderList([mem(11), mem(12)], 2, 10, true, 25);
    const lines = text.split("\n");
    expect(lines[0]).toBe("Memories 11-12 of 25, newest first (page 2):");
    expect(lines[1]).toBe("11. content number 11");
    expect(lines[3]).toBe("12. content number 12");
    expect(lines[lines.length - 1]).toBe("More on page 3.");
    expectClean(text);
  });

  it("without a total and without more: no 'of', no trailing line", () => {
    const text = renderList([mem(1), mem(2)], 1, 2, false, undefined);
    expect(text.split("\n")[0]).toBe("Memories 1-2, newest first (page 1):");
    expect(text).not.toContain("More on page");
    expect(text.endsWith("\n")).toBe(false);
    expectClean(text);
  });

  it("long contents are truncated in the list", () => {
    const text = renderList([mem(1, { content: "z".repeat(3000) })], 1, 20, false, 1);
    expect(text).toContain("z".repeat(1000) + "…");
    expect(text).not.toContain("z".repeat(1001));
  });
});

describe("renderMemory", () => {
  it("shows every field, full content", () => {
    expect(renderMemory(FULL)).toBe(
      [
        "Memory abc123",
        "",
        "Deploy with docker compose.\nThen run migrations.",
        "",
        "tags: ops, deploy",
        "type: decision",
        'metadata: {"source":"chat","n":2}',
        "created: 2024-05-01T12:00:00.000Z",
        "updated: 2024-05-02T08:30:00.000Z",
      ].join("\n"),
    );
  });

  it("a minimal memory: tags (none), nothing else, no undefined", () => {
    const text = renderMemory(mem(1));
    expect(text).toBe("Memory id1\n\ncontent number 1\n\ntags: (none)");
    expectClean(text);
  });

  it("updated is left out when equal to created", () => {
    const text = renderMemory(mem(1, { created_at: "2024-05-01T12:00:00.000Z", updated_at: "2024-05-01T12:00:00.000Z" }));
    expect(text).toContain("created: 2024-05-01T12:00:00.000Z");
    expect(text).not.toContain("updated:");
  });

  it("long content is shown in full (it is not a preview)", () => {
    const long = "q".repeat(5000);
    expect(renderMemory(mem(1, { content: long }))).toContain(long);
  });
});

describe("renderUpdate / renderDelete", () => {
  it("renderUpdate announces the update and shows the memory", () => {
    expect(renderUpdate(FULL)).toBe(`Updated memory abc123.\n\n${renderMemory(FULL)}`);
    expectClean(renderUpdate(mem(1)));
  });

  it("renderDelete", () => {
    expect(renderDelete("abc123")).toBe("Deleted memory abc123.");
  });
});

describe("mem0 results", () => {
  it("a store lists every memory with its event, and names deletions", () => {
    const text = renderStore(
      {
        id: "u1",
        deduplicated: false,
        ids: ["u1", "a1"],
        changes: [
          { id: "u1", event: "UPDATE", content: "Deploys run on Thursdays", previous: "Deploys run on Fridays" },
          { id: "d1", event: "DELETE", content: "Staging is down" },
          { id: "a1", event: "ADD", content: "Staging is back" },
        ],
      },
      PROJECT,
    );
    expect(text).toBe(
      `Stored 2 memories in project ${PROJECT}, as the server's language model extracted them from the text:\n` +
        '- updated u1: "Deploys run on Thursdays" (was "Deploys run on Fridays")\n' +
        '- deleted d1: "Staging is down", which the new text replaces\n' +
        '- added a1: "Staging is back"',
    );
    expect(renderStore({ id: "a1", deduplicated: false, ids: ["a1"], changes: [{ id: "a1", event: "ADD", content: "x" }] }, null)).toMatch(/^Stored 1 memory, as the server's language model extracted it/);
  });

  it("a pending store gives the event id and says the memory will appear shortly", () => {
    const text = renderStore({ pending: true, eventId: "evt-1" }, PROJECT);
    expect(text).toContain("event evt-1");
    expect(text).toContain("appear in search_memories and list_memories shortly");
    expectClean(text);
  });

  it("a list cut at the server's cap says so", () => {
    const text = renderList([mem(1)], 1, 20, false, undefined, undefined, 1000);
    expect(text).toContain("at most 1,000 memories in one listing");
    expect(renderList([], 1, 20, false, undefined, undefined, 100)).toMatch(/^No memories match\.\nThe server returns at most 100/);
    expect(renderList([mem(1)], 1, 20, false, 1)).not.toContain("at most");
  });

  it("history: oldest first, with old and new text", () => {
    expect(
      renderHistory("m1", [
        { event: "ADD", new_content: "a", at: "2026-05-01T10:00:00.000Z" },
        { event: "UPDATE", old_content: "a", new_content: "b", at: "2026-05-02T10:00:00.000Z" },
        { event: "DELETE", old_content: "b", at: "2026-05-03T10:00:00.000Z" },
      ]),
    ).toBe(
      "History of memory m1, oldest first:\n" +
        '1. 2026-05-01T10:00:00.000Z ADD: "a"\n' +
        '2. 2026-05-02T10:00:00.000Z UPDATE: "a" → "b"\n' +
        '3. 2026-05-03T10:00:00.000Z DELETE: "b"',
    );
    expect(renderHistory("m1", [])).toBe("No history is recorded for memory m1.");
  });
});

describe("records that could not be read in full", () => {
  const noted = mem(1, { note: "Part of this record could not be read: tags were one comma-separated text (split at the commas)." });

  it("a memory's note is shown under it, in lists and in full", () => {
    expect(renderMemoryLine(noted, 1)).toMatch(/\n   note: Part of this record could not be read: tags were/);
    expect(renderMemory(noted)).toMatch(/\nnote: Part of this record/);
  });

  it("records left out are counted in search and list texts", () => {
    expect(renderSearch("q", [mem(1)], PROJECT, "project", 2)).toMatch(/\n2 records from the server could not be read \(no id or text\) and were left out\.$/);
    expect(renderSearch("q", [], PROJECT, "project", 1)).toBe(
      `No memories match "q" in project ${PROJECT}.\n1 record from the server could not be read (no id or text) and was left out.`,
    );
    expect(renderList([mem(1)], 1, 20, true, 3, 1)).toMatch(/1 record from the server could not be read .*\nMore on page 2\.$/);
    expect(renderList([], 1, 20, false, 1, 1)).toBe("No readable memories on page 1.\n1 record from the server could not be read (no id or text) and was left out.");
  });

  it("metadata that cannot be encoded does not break the rendering", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(renderMemory(mem(2, { metadata: cyclic }))).toMatch(/metadata: \(cannot be shown\)/);
  });
});

describe("texts of Latin-1 memories stay Latin-1", () => {
  // One character past U+00FF (an en dash, an ellipsis) makes V8 keep the whole answer, and the
  // JSON line it goes out in, as two-byte text: 15–30 µs more per page of 20 (npm run bench).
  const LATIN1 = /^[\u0000-\u00ff]*$/;
  const many = Array.from({ length: 20 }, (_, i) => ({ ...FULL, id: `id${i}`, content: `Memory ${i}: café, naïve, 50 °C.` }));

  it("in search results, list pages and single memories", () => {
    expect(renderSearch("q", many, PROJECT, "project")).toMatch(LATIN1);
    expect(renderSearch("q", many, null, "all")).toMatch(LATIN1);
    expect(renderList(many, 2, 20, true, 100)).toMatch(LATIN1);
    expect(renderList(many, 1, 20, false, undefined)).toMatch(LATIN1);
    expect(renderMemory(FULL)).toMatch(LATIN1);
    expect(renderMemoryLine(FULL, 1)).toMatch(LATIN1);
  });
});
