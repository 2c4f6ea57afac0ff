import { describe, expect, it } from "vitest";
import {
  isDuplicateMessage,
  isServiceMemory,
  MAX_METADATA_DEPTH,
  serverInfo,
  serviceTags,
  toMemory,
  type ServiceMemory,
} from "../../src/backends/mcp-memory-service-mapping.js";
import { isProjectTag, PROJECT_TAG_PREFIX, projectTag, uniqueTags } from "../../src/backends/project-tag.js";

const HASH = "a".repeat(64);

function record(overrides: Partial<ServiceMemory> = {}): ServiceMemory {
  return { content: "some content", content_hash: HASH, ...overrides };
}

/** A record as a misbehaving server may send it: any field of any type. */
const odd = (fields: Record<string, unknown>) => record(fields as Partial<ServiceMemory>);

describe("toMemory with fields that are not what the API promises", () => {
  it("a good record has no note", () => {
    expect(toMemory(record({ tags: ["a"], created_at: 1_700_000_000 }))).not.toHaveProperty("note");
  });

  it("tags as one comma-separated text are split, with a note", () => {
    const memory = toMemory(odd({ tags: "a, b,,proj:project_x_1" }), "proj:project_x_1");
    expect(memory.tags).toEqual(["a", "b"]);
    expect(memory.note).toMatch(/tags were one comma-separated text/);
  });

  it("tags that are not text are dropped, the others kept", () => {
    const memory = toMemory(odd({ tags: [1, "kept", null, { x: 1 }] }));
    expect(memory.tags).toEqual(["kept"]);
    expect(memory.note).toMatch(/3 tags that are not text/);
  });

  it("tags that are not a list are left out", () => {
    expect(toMemory(odd({ tags: { a: 1 } }))).toMatchObject({ tags: [], note: expect.stringMatching(/tags are not a list/) });
  });

  it.each([1e20, -1e20, Number.NaN])("created_at %d cannot be a date: left out, with a note", (created_at) => {
    const memory = toMemory(odd({ created_at, created_at_iso: null }));
    expect(memory).not.toHaveProperty("created_at");
    expect(memory.note).toMatch(/created_at is not a valid time/);
  });

  it("metadata that is not an object, or nested too deep, is left out with a note", () => {
    expect(toMemory(odd({ metadata: [1, 2] }))).toMatchObject({ note: expect.stringMatching(/metadata is not an object/) });
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 5_000; i++) deep = { a: deep };
    const memory = toMemory(odd({ metadata: deep }));
    expect(memory).not.toHaveProperty("metadata");
    expect(memory.note).toMatch(new RegExp(`nested deeper than ${MAX_METADATA_DEPTH} levels`));
    let fine: Record<string, unknown> = { leaf: true };
    for (let i = 1; i < MAX_METADATA_DEPTH; i++) fine = { a: fine };
    expect(toMemory(odd({ metadata: fine })).metadata).toEqual(fine);
  });

  it("memory_type that is not text is left out", () => {
    expect(toMemory(odd({ memory_type: 7 }))).toMatchObject({ note: expect.stringMatching(/memory_type is not text/) });
  });

  it("several problems are named in one note", () => {
    expect(toMemory(odd({ tags: "x", created_at: 1e20 })).note).toBe(
      "Part of this record could not be read: tags were one comma-separated text (split at the commas); created_at is not a valid time (left out).",
    );
  });

  it("serviceTags reads tags the same way, for filters and ownership checks", () => {
    expect(serviceTags(odd({ tags: "proj:a,b" }))).toEqual(["proj:a", "b"]);
    expect(serviceTags(odd({ tags: [2, "c"] }))).toEqual(["c"]);
    expect(serviceTags(odd({ tags: null }))).toEqual([]);
  });

  it("a record without text or id cannot be shown", () => {
    expect(isServiceMemory({ content_hash: "a" })).toBe(false);
    expect(isServiceMemory({ content: "x", content_hash: "" })).toBe(false);
    expect(isServiceMemory({ content: 5, content_hash: "a" })).toBe(false);
  });
});

describe("serverInfo", () => {
  const redact = (text: string) => text.replaceAll("tok-secret-123", "[redacted]");

  it("keeps the version, count and storage backend as short scalars, redacted", () => {
    expect(
      serverInfo(
        { version: "10.59.0+tok-secret-123", statistics: { total_memories: 5, backend: { nested: "tok-secret-123" } }, other: "x" },
        redact,
      ),
    ).toEqual({ version: "10.59.0+[redacted]", total_memories: 5 });
    expect(serverInfo({ version: "v".repeat(500) }, redact).version).toHaveLength(100);
    expect(serverInfo("not an object", redact)).toEqual({});
  });
});

describe("toMemory", () => {
  it("maps a full record", () => {
    const memory = toMemory(
      record({
        tags: ["proj:project_app_12345678", "ops"],
        memory_type: "decision",
        metadata: { source: "chat" },
        created_at: 1_700_000_000,
        created_at_iso: "2023-11-14T22:13:20Z",
        updated_at: 1_700_000_060,
        updated_at_iso: "2023-11-14T22:14:20Z",
      }),
      "proj:project_app_12345678",
      0.87,
    );
    expect(memory).toEqual({
      id: HASH,
      content: "some content",
      tags: ["ops"],
      type: "decision",
      metadata: { source: "chat" },
      created_at: "2023-11-14T22:13:20.000Z",
      updated_at: "2023-11-14T22:14:20.000Z",
      score: 0.87,
    });
  });

  it("a minimal record has only id, content and tags — no undefined-valued keys", () => {
    const memory = toMemory(record());
    expect(memory).toEqual({ id: HASH, content: "some content", tags: [] });
    expect(Object.keys(memory).sort()).toEqual(["content", "id", "tags"]);
  });

  describe("times", () => {
    it("epoch seconds only (no ISO) → ISO 8601 UTC", () => {
      const memory = toMemory(record({ created_at: 1_700_000_000.25, updated_at: 1_700_000_001 }));
      expect(memory.created_at).toBe("2023-11-14T22:13:20.250Z");
      expect(memory.updated_at).toBe("2023-11-14T22:13:21.000Z");
    });

    it("epoch 0 is a valid time", () => {
      expect(toMemory(record({ created_at: 0 })).created_at).toBe("1970-01-01T00:00:00.000Z");
    });

    it("ISO is preferred over epoch seconds", () => {
      const memory = toMemory(record({ created_at: 0, created_at_iso: "2024-05-01T12:34:56.123456Z" }));
      expect(memory.created_at).toBe("2024-05-01T12:34:56.123Z");
    });

    it("ISO without a zone designator is UTC", () => {
      const memory = toMemory(record({ created_at_iso: "2024-05-01T12:34:56.123456", updated_at_iso: "2024-05-01T12:34:56" }));
      expect(memory.created_at).toBe("2024-05-01T12:34:56.123Z");
      expect(memory.updated_at).toBe("2024-05-01T12:34:56.000Z");
    });

    it("ISO with an offset is converted to UTC", () => {
      expect(toMemory(record({ created_at_iso: "2024-05-01T12:34:56+00:00" })).created_at).toBe("2024-05-01T12:34:56.000Z");
      expect(toMemory(record({ created_at_iso: "2024-05-01T12:34:56.5+02:00" })).created_at).toBe("2024-05-01T10:34:56.500Z");
      expect(toMemory(record({ created_at_iso: "2024-05-01T12:34:56-0500" })).created_at).toBe("2024-05-01T17:34:56.000Z");
    });

    it("an unparseable ISO string falls back to epoch seconds", () => {
      const memory = toMemory(record({ created_at_iso: "not a date", created_at: 1_700_000_000 }));
      expect(memory.created_at).toBe("2023-11-14T22:13:20.000Z");
    });

    it("the same time in both fields gives both; the same ISO with another epoch, or the same epoch with another ISO, is read on its own", () => {
      const same = toMemory(record({ created_at_iso: "2024-05-01T12:34:56.123456Z", updated_at_iso: "2024-05-01T12:34:56.123456Z", created_at: 1, updated_at: 1 }));
      expect([same.created_at, same.updated_at]).toEqual(["2024-05-01T12:34:56.123Z", "2024-05-01T12:34:56.123Z"]);
      const badIso = toMemory(record({ created_at_iso: "not a date", updated_at_iso: "not a date", created_at: 0, updated_at: 1_700_000_000 }));
      expect([badIso.created_at, badIso.updated_at]).toEqual(["1970-01-01T00:00:00.000Z", "2023-11-14T22:13:20.000Z"]);
      const bothBad = toMemory(record({ created_at_iso: "never", updated_at_iso: "never" }));
      expect(bothBad.note).toContain("created_at is not a valid time (left out); updated_at is not a valid time (left out)");
    });

    it("null / non-finite / missing times are left out", () => {
      const memory = toMemory(
        record({ created_at: null, created_at_iso: null, updated_at: Number.NaN, updated_at_iso: "" }),
      );
      expect(memory).not.toHaveProperty("created_at");
      expect(memory).not.toHaveProperty("updated_at");
      expect(toMemory(record({ created_at: Number.POSITIVE_INFINITY }))).not.toHaveProperty("created_at");
    });
  });

  describe("metadata", () => {
    it("empty metadata is dropped", () => {
      expect(toMemory(record({ metadata: {} }))).not.toHaveProperty("metadata");
    });
    it("null metadata is dropped", () => {
      expect(toMemory(record({ metadata: null }))).not.toHaveProperty("metadata");
    });
    it("non-empty metadata is kept as is", () => {
      const metadata = { a: 1, nested: { b: [1, 2] }, empty: null };
      expect(toMemory(record({ metadata })).metadata).toEqual(metadata);
    });
  });

  describe("type", () => {
    it("null memory_type → no type", () => {
      expect(toMemory(record({ memory_type: null }))).not.toHaveProperty("type");
    });
    it("empty memory_type → no type", () => {
      expect(toMemory(record({ memory_type: "" }))).not.toHaveProperty("type");
    });
    it("memory_type → type", () => {
      expect(toMemory(record({ memory_type: "note" })).type).toBe("note");
    });
  });

  describe("tags", () => {
    it("null tags → []", () => {
      expect(toMemory(record({ tags: null })).tags).toEqual([]);
    });

    it("only the hidden tag is removed; other projects' tags and user tags stay, in order", () => {
      const tags = ["a", "proj:project_app_12345678", "proj:project_other_87654321", "b"];
      expect(toMemory(record({ tags }), "proj:project_app_12345678").tags).toEqual(["a", "proj:project_other_87654321", "b"]);
    });

    it("without a hidden tag every tag is kept", () => {
      const tags = ["proj:project_app_12345678", "x"];
      expect(toMemory(record({ tags })).tags).toEqual(tags);
    });

    it("does not mutate the record's tags", () => {
      const tags = ["proj:p", "x"];
      const rec = record({ tags });
      toMemory(rec, "proj:p");
      expect(rec.tags).toEqual(["proj:p", "x"]);
    });
  });

  describe("score", () => {
    it("is kept when a finite number, including 0", () => {
      expect(toMemory(record(), undefined, 0.5).score).toBe(0.5);
      expect(toMemory(record(), undefined, 0).score).toBe(0);
    });
    it("is left out when undefined or not finite", () => {
      expect(toMemory(record())).not.toHaveProperty("score");
      expect(toMemory(record(), undefined, Number.NaN)).not.toHaveProperty("score");
      expect(toMemory(record(), undefined, Number.POSITIVE_INFINITY)).not.toHaveProperty("score");
    });
  });
});

describe("isServiceMemory", () => {
  it("needs string content and content_hash", () => {
    expect(isServiceMemory({ content: "x", content_hash: "h" })).toBe(true);
    expect(isServiceMemory({ content: "x" })).toBe(false);
    expect(isServiceMemory({ content_hash: "h" })).toBe(false);
    expect(isServiceMemory({ content: 1, content_hash: "h" })).toBe(false);
    expect(isServiceMemory(null)).toBe(false);
    expect(isServiceMemory(undefined)).toBe(false);
    expect(isServiceMemory("x")).toBe(false);
  });
});

describe("isDuplicateMessage", () => {
  it("recognises the service's duplicate messages", () => {
    expect(isDuplicateMessage("Duplicate content detected")).toBe(true);
    expect(isDuplicateMessage("Duplicate content detected (exact match)")).toBe(true);
    expect(isDuplicateMessage("duplicate")).toBe(true);
  });

  it("rejects other messages and non-strings", () => {
    expect(isDuplicateMessage("Memory stored successfully")).toBe(false);
    expect(isDuplicateMessage("Failed to store memory")).toBe(false);
    expect(isDuplicateMessage("")).toBe(false);
    expect(isDuplicateMessage(undefined)).toBe(false);
    expect(isDuplicateMessage(null)).toBe(false);
    expect(isDuplicateMessage(42)).toBe(false);
    expect(isDuplicateMessage({ message: "Duplicate" })).toBe(false);
  });
});

describe("uniqueTags", () => {
  it("deduplicates in first-seen order across lists", () => {
    expect(uniqueTags(["b", "a", "b"], ["c", "a"], ["d"])).toEqual(["b", "a", "c", "d"]);
  });

  it("skips undefined lists and handles none", () => {
    expect(uniqueTags(undefined, ["x"], undefined)).toEqual(["x"]);
    expect(uniqueTags()).toEqual([]);
    expect(uniqueTags(undefined)).toEqual([]);
    expect(uniqueTags([], [])).toEqual([]);
  });

  it("is case- and whitespace-sensitive (exact strings)", () => {
    expect(uniqueTags(["Ops", "ops", " ops"])).toEqual(["Ops", "ops", " ops"]);
  });

  it("does not mutate its inputs", () => {
    const a = ["x", "x"];
    uniqueTags(a, ["y"]);
    expect(a).toEqual(["x", "x"]);
  });
});

describe("projectTag", () => {
  it("prefixes the project id with proj:", () => {
    expect(PROJECT_TAG_PREFIX).toBe("proj:");
    expect(projectTag("project_app_12345678")).toBe("proj:project_app_12345678");
  });

  it("isProjectTag recognises proj: tags only", () => {
    expect(isProjectTag(projectTag("project_app_12345678"))).toBe(true);
    expect(isProjectTag("proj:anything")).toBe(true);
    expect(isProjectTag("project_app_12345678")).toBe(false);
    expect(isProjectTag("PROJ:x")).toBe(false);
    expect(isProjectTag("x proj:y")).toBe(false);
    expect(isProjectTag("")).toBe(false);
  });
});
