import { describe, expect, it } from "vitest";
import { InvalidUserIdError, InvalidUuidError, NotAJwtError, NothingStoredError, UnexpectedResponseError, UnsupportedArgumentError } from "../../src/backends/errors.js";
import { looksLikeJwt, mem0AuthHeader } from "../../src/backends/mem0-auth.js";
import { assertUserId, assertUuid, slugUserId } from "../../src/backends/mem0-ids.js";
import { listPage, searchHits } from "../../src/backends/mem0-list.js";
import { historyEvent, isoTime, metadataForStore, metadataForUpdate, toMemory } from "../../src/backends/mem0-mapping.js";
import { addResultSchema, mem0RecordSchema, parseResults } from "../../src/backends/mem0-records.js";
import { storeResultOf } from "../../src/backends/mem0-store-result.js";
import type { Memory } from "../../src/backends/types.js";

const RULES = { backend: "mem0" };
const ID = "3f2b8a61-5c4d-4e8f-9a0b-1c2d3e4f5a6b";

describe("mem0 ids", () => {
  it("slugs an OS user name into an id mem0 accepts", () => {
    expect(slugUserId("Jane Doe")).toBe("jane-doe");
    expect(slugUserId("  DOMAIN\\j.smith ")).toBe("domain-j.smith");
    expect(slugUserId("ünïcode user")).toBe("n-code-user");
    expect(slugUserId("   ")).toBe("default");
    expect(slugUserId("x".repeat(100))).toHaveLength(64);
  });

  it("refuses user ids mem0 refuses", () => {
    expect(assertUserId("alice", "mem0")).toBe("alice");
    expect(() => assertUserId("", "mem0")).toThrow(InvalidUserIdError);
    expect(() => assertUserId("jane doe", "mem0")).toThrow(InvalidUserIdError);
  });

  it("accepts only hyphenated UUIDs as memory ids", () => {
    expect(assertUuid(ID, "mem0")).toBe(ID);
    expect(assertUuid(ID.toUpperCase(), "mem0")).toBe(ID.toUpperCase());
    for (const bad of ["", "abc", `${ID}/history`, "../memories", ID.replace(/-/g, "")]) expect(() => assertUuid(bad, "mem0")).toThrow(InvalidUuidError);
  });
});

describe("mem0 auth header", () => {
  const jwt = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString("base64url")}.${Buffer.from('{"sub":"u"}').toString("base64url")}.c2ln`;

  it("X-API-Key by default, for any key", () => {
    expect(mem0AuthHeader("m0sk_abc")).toEqual({ header: "x-api-key", value: "m0sk_abc" });
  });

  it("Bearer only for a JWT; an API key is never sent as Bearer", () => {
    expect(mem0AuthHeader(jwt, "bearer")).toEqual({ header: "authorization", value: `Bearer ${jwt}` });
    expect(() => mem0AuthHeader("m0sk_abc", "bearer")).toThrow(NotAJwtError);
    expect(() => mem0AuthHeader("m0sk_abc", "bearer")).toThrow(/it is an m0sk_ API key/);
    expect(looksLikeJwt("a.b.c")).toBe(false);
    expect(looksLikeJwt(`${jwt}.extra`)).toBe(false);
  });
});

describe("mem0 records", () => {
  it("keeps the records of a page that have an id and a text, and counts the others", () => {
    const body = { results: [{ id: ID, memory: "ok" }, { id: 42, memory: "bad id" }, { memory: "no id" }, null, { id: "x", memory: "also ok", metadata: null }] };
    const parsed = parseResults(mem0RecordSchema, body)!;
    expect(parsed.items.map((r) => r.memory)).toEqual(["ok", "also ok"]);
    expect(parsed.skipped).toBe(3);
    expect(parseResults(mem0RecordSchema, { memories: [] })).toBeUndefined();
    expect(parseResults(mem0RecordSchema, [])).toBeUndefined();
  });

  it("maps a record: tags and type out of metadata, ISO times in UTC, score kept", () => {
    const record = mem0RecordSchema.parse({
      id: ID,
      memory: "The API uses snake_case",
      metadata: { tags: ["api", 3, " style "], type: "decision", source: "review", project: "p" },
      created_at: "2026-05-01T12:00:00.123456+02:00",
      updated_at: "2026-05-01T10:00:01",
      score: 0.42,
    });
    expect(toMemory(record, { backend: "mem0-keyed", hidden: ["project"] })).toEqual({
      id: ID,
      content: "The API uses snake_case",
      tags: ["api", "style"],
      type: "decision",
      metadata: { source: "review" },
      created_at: "2026-05-01T10:00:00.123Z",
      updated_at: "2026-05-01T10:00:01.000Z",
      score: 0.42,
      note: "Part of this record could not be read: 1 tag that is not text (left out).",
    });
    expect(isoTime("not a time")).toBeUndefined();
  });

  it("reads what it can of a malformed record and says what it left out", () => {
    const record = mem0RecordSchema.parse({ id: ID, memory: "m", user_id: 7, metadata: { tags: ["a", 2], type: 5, keep: 1 }, created_at: "yesterday", updated_at: 1e20 });
    expect(record.user_id).toBeUndefined();
    const memory = toMemory(record, RULES);
    expect(memory).toMatchObject({ id: ID, content: "m", tags: ["a"], metadata: { keep: 1 } });
    expect(memory.created_at).toBeUndefined();
    expect(memory.note).toBe(
      "Part of this record could not be read: 1 tag that is not text (left out); metadata.type is not text (left out); created_at is not a valid time (left out); updated_at is not a valid time (left out).",
    );
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { a: deep };
    expect(toMemory(mem0RecordSchema.parse({ id: ID, memory: "m", metadata: deep }), RULES).note).toContain("nested deeper than 32 levels");
    expect(toMemory(mem0RecordSchema.parse({ id: ID, memory: "m", metadata: { tags: "a,b" } }), RULES)).toMatchObject({ tags: ["a", "b"], note: expect.stringContaining("split at the commas") });
    expect(toMemory(mem0RecordSchema.parse({ id: ID, memory: "m", metadata: [1] }), RULES).note).toContain("metadata is not an object");
  });

  it("maps history rows: the time of the change, old and new text", () => {
    expect(historyEvent({ event: "UPDATE", old_memory: "a", new_memory: "b", created_at: "2026-05-01T10:00:00+00:00", updated_at: "2026-05-02T10:00:00+00:00" })).toEqual({
      event: "UPDATE",
      old_content: "a",
      new_content: "b",
      at: "2026-05-02T10:00:00.000Z",
    });
    expect(historyEvent({ event: "ADD", new_memory: "a", created_at: "2026-05-01T10:00:00+00:00", updated_at: null })).toEqual({ event: "ADD", new_content: "a", at: "2026-05-01T10:00:00.000Z" });
  });
});

describe("mem0 metadata", () => {
  it("a store carries tags (metadata.tags merged in), type and the caller's metadata", () => {
    expect(metadataForStore({ content: "x", tags: ["a"], type: "note", metadata: { tags: ["b", "a"], source: "s" } }, RULES)).toEqual({ source: "s", tags: ["a", "b"], type: "note" });
    expect(metadataForStore({ content: "x" }, RULES, { project: "p" })).toEqual({ project: "p" });
  });

  it("refuses keys mem0 keeps in the same payload, and the bridge's own", () => {
    expect(() => metadataForStore({ content: "x", metadata: { hash: "h" } }, RULES)).toThrow(UnsupportedArgumentError);
    expect(() => metadataForStore({ content: "x", metadata: { project: "p" } }, { backend: "mem0-keyed", hidden: ["project"] })).toThrow(/metadata\.project/);
  });

  it("an update sends the whole metadata: what changed, and what did not", () => {
    const record = mem0RecordSchema.parse({ id: ID, memory: "m", metadata: { tags: ["a"], type: "note", keep: 1, project: "p" } });
    expect(metadataForUpdate(record, { id: ID, tags: ["b"] }, { backend: "mem0-keyed", hidden: ["project"] }, { project: "p" })).toEqual({ keep: 1, tags: ["b"], type: "note", project: "p" });
    expect(metadataForUpdate(record, { id: ID, metadata: { fresh: true } }, RULES)).toEqual({ fresh: true, tags: ["a"], type: "note" });
    expect(metadataForUpdate(record, { id: ID, metadata: { tags: ["c"], type: "bug" } }, RULES)).toEqual({ tags: ["c"], type: "bug" });
    expect(metadataForUpdate(record, { id: ID, tags: [] }, RULES)).toEqual({ keep: 1, project: "p", type: "note" });
  });
});

describe("mem0 list pages and search hits", () => {
  const at = (minute: number) => `2026-05-01T10:${String(minute).padStart(2, "0")}:00+00:00`;
  const record = (id: string, minute: number, tags: string[] = []) => mem0RecordSchema.parse({ id, memory: id, metadata: { tags }, created_at: at(minute) });
  const parsed = { items: [record("m1", 1, ["x"]), record("m3", 3), record("m2", 2, ["x"]), record("m4", 4, ["x"])], skipped: 0 };
  const all = () => true;
  const ids = (memories: readonly Memory[]) => memories.map((m) => m.id);

  it("sorts newest first and slices pages, with the total", () => {
    expect(listPage(parsed, all, RULES, { page: 1, page_size: 3 })).toMatchObject({ has_more: true, total: 4 });
    expect(ids(listPage(parsed, all, RULES, { page: 1, page_size: 3 }).memories)).toEqual(["m4", "m3", "m2"]);
    expect(ids(listPage(parsed, all, RULES, { page: 2, page_size: 3 }).memories)).toEqual(["m1"]);
    expect(listPage(parsed, all, RULES, { page: 3, page_size: 3 })).toEqual({ memories: [], has_more: false, total: 4 });
  });

  it("keeps only what `keep` accepts and what has the tags, before paging", () => {
    expect(ids(listPage(parsed, (r) => r.id !== "m4", RULES, { page: 1, page_size: 10, tags: ["x"] }).memories)).toEqual(["m2", "m1"]);
  });

  it("gives no total when the server's cap was reached, and counts unreadable records", () => {
    const page = listPage({ ...parsed, skipped: 2 }, all, RULES, { page: 1, page_size: 2 }, 4);
    expect(page).toMatchObject({ has_more: true, cappedAt: 4, skipped: 2 });
    expect(page.total).toBeUndefined();
  });

  it("search hits keep the server's order, the limit and the unreadable count", () => {
    const hits = searchHits({ ...parsed, skipped: 1 }, all, RULES, { query: "q", limit: 2, scope: "project" });
    expect(ids(hits)).toEqual(["m1", "m3"]);
    expect(hits.skipped).toBe(1);
    expect(searchHits(parsed, all, RULES, { query: "q", limit: 10, scope: "all", tags: ["x"] }).skipped).toBeUndefined();
  });
});

describe("mem0 store results", () => {
  const FACTS = { backend: "mem0", inferred: true, endpoint: "http://127.0.0.1:8888" };
  const results = (items: unknown[]) => parseResults(addResultSchema, { results: items })!;

  it("lists every memory added or updated, with every change", () => {
    const result = storeResultOf(
      results([
        { id: "u1", memory: "new text", event: "UPDATE", previous_memory: "old text" },
        { id: "d1", memory: "gone", event: "DELETE" },
        { id: "a1", data: { memory: "platform shape" }, event: "ADD" },
      ]),
      FACTS,
    );
    expect(result).toEqual({
      id: "u1",
      deduplicated: false,
      ids: ["u1", "a1"],
      changes: [
        { id: "u1", event: "UPDATE", content: "new text", previous: "old text" },
        { id: "d1", event: "DELETE", content: "gone" },
        { id: "a1", event: "ADD", content: "platform shape" },
      ],
    });
  });

  it("nothing kept is a NothingStoredError saying why", () => {
    expect(() => storeResultOf(results([]), FACTS)).toThrow(NothingStoredError);
    expect(() => storeResultOf(results([]), FACTS)).toThrow(/language model and keeps only the facts it extracts/);
    expect(() => storeResultOf(results([{ id: "n", event: "NONE" }]), { ...FACTS, inferred: false })).toThrow(/answered the store without creating a memory/);
  });

  it("results that cannot be read are not reported as nothing stored", () => {
    expect(() => storeResultOf(results([{ id: 1, event: "ADD" }]), FACTS)).toThrow(UnexpectedResponseError);
  });
});
