/** The pure rules the mcp-memory-service backend applies: its store answers, tags, ids and body cap. */
import { describe, expect, it } from "vitest";
import { InvalidMemoryIdError, RequestTooLargeError } from "../../src/backends/errors.js";
import { assertBodyFits, memoryPath } from "../../src/backends/service-limits.js";
import { classifyStoreAnswer } from "../../src/backends/service-store-answer.js";
import { metadataTags, normalizeServiceTag, normalizeServiceTags } from "../../src/backends/service-tags.js";

const H = "a".repeat(64);
const S = "b".repeat(64);

describe("classifyStoreAnswer", () => {
  it("stored, with the number of chunks when the text was split", () => {
    expect(classifyStoreAnswer(true, "Memory stored successfully", H)).toEqual({ kind: "stored", id: H });
    expect(classifyStoreAnswer(true, "Memory stored as 4 chunks", H)).toEqual({ kind: "stored", id: H, chunks: 4 });
    expect(classifyStoreAnswer(true, "Memory stored as 2 chunks Warning: requested memory_type 'x' is not in the ontology", H)).toEqual({
      kind: "stored",
      id: H,
      chunks: 2,
    });
  });

  it("exact duplicates, in every server version's words, and for every chunk", () => {
    for (const message of ["Duplicate content detected", "Duplicate content detected (exact match)", "Duplicate content detected (race condition)"]) {
      expect(classifyStoreAnswer(false, message, undefined)).toEqual({ kind: "exact-duplicate" });
    }
    expect(classifyStoreAnswer(false, "Failed to store all 3 chunks: Duplicate content detected (exact match)", undefined)).toEqual({ kind: "exact-duplicate", chunks: 3 });
    expect(
      classifyStoreAnswer(false, "Failed to store all 3 chunks: Duplicate content detected (exact match), Duplicate content detected (race condition)", undefined),
    ).toEqual({ kind: "exact-duplicate", chunks: 3 });
  });

  it("a semantic duplicate names the similar memory, even among other chunks' reasons", () => {
    expect(classifyStoreAnswer(false, `Duplicate content detected (semantically similar to ${S})`, undefined)).toEqual({ kind: "semantic-duplicate", similarTo: S });
    expect(
      classifyStoreAnswer(false, `Failed to store all 2 chunks: Duplicate content detected (exact match), Duplicate content detected (semantically similar to ${S})`, undefined),
    ).toEqual({ kind: "semantic-duplicate", similarTo: S, chunks: 2 });
  });

  it("anything else is a refusal with the server's words", () => {
    expect(classifyStoreAnswer(false, "Failed to generate embedding: model not loaded", undefined)).toEqual({ kind: "refused", reason: "Failed to generate embedding: model not loaded" });
    expect(classifyStoreAnswer(false, "Failed to store all 2 chunks: Duplicate content detected, Storage connection failed: gone", undefined).kind).toBe("refused");
    expect(classifyStoreAnswer(false, undefined, undefined)).toEqual({ kind: "refused", reason: "no reason given" });
  });
});

describe("service tags", () => {
  it("normalises one tag as the server's normalize_tags does", () => {
    expect(normalizeServiceTag("  Release,Notes \n")).toBe("release-notes");
    expect(normalizeServiceTag("X".repeat(120))).toBe("x".repeat(100));
    // 100 code points, not UTF-16 units: an emoji counts once.
    expect(Array.from(normalizeServiceTag("😀".repeat(120)))).toHaveLength(100);
  });

  it("drops empty tags and repeats, keeping the first-seen order", () => {
    expect(normalizeServiceTags(["B", "a", " b ", "", " ", "A,"])).toEqual(["b", "a", "a-"]);
  });

  it("reads metadata.tags as the server does: a list, a JSON list in a string, or a comma list", () => {
    expect(metadataTags(["x", 1, "y"])).toEqual(["x", "y"]);
    expect(metadataTags('["x", 2]')).toEqual(["x", "2"]);
    expect(metadataTags("x, y")).toEqual(["x", " y"]);
    expect(metadataTags("[not json")).toEqual(["[not json"]);
    expect(metadataTags(undefined)).toEqual([]);
    expect(metadataTags({ a: 1 })).toEqual([]);
  });
});

describe("ids and body size", () => {
  it("a memory path takes only 64 hex characters, lower-cased", () => {
    expect(memoryPath(H.toUpperCase())).toBe(`/memories/${H}`);
    for (const id of ["", ".", "..", "../health", `${H}/x`, H.slice(1), `${H}?q`, "g".repeat(64)]) {
      expect(() => memoryPath(id), id).toThrow(InvalidMemoryIdError);
    }
  });

  it("a body over 1 MiB of JSON (UTF-8 bytes, escapes included) is refused", () => {
    expect(() => assertBodyFits({ content: "x".repeat(1_048_000) })).not.toThrow();
    expect(() => assertBodyFits({ content: "é".repeat(600_000) })).toThrow(RequestTooLargeError);
    expect(() => assertBodyFits({ content: "\u0001".repeat(200_000) })).toThrow(/over mcp-memory-service's limit of 1 MiB/);
  });
});
