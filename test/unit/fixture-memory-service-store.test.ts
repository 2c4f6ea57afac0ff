/**
 * The fixture's store path does what mcp-memory-service does (contracts/backends.md §1, "What the
 * server does to a store"), and its auth, PUT and body-size answers match the server's variants.
 */
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { splitContent } from "../fixtures/memory-service/content-splitter.js";
import { createMemoryServiceFixture, type MemoryServiceFixture, type MemoryServiceFixtureOptions } from "../fixtures/memory-service/index.js";
import { normalizeTags } from "../fixtures/memory-service/tags.js";

const open: MemoryServiceFixture[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((fx) => fx.close()));
});

async function start(options?: MemoryServiceFixtureOptions): Promise<MemoryServiceFixture> {
  const fx = await createMemoryServiceFixture(options);
  open.push(fx);
  return fx;
}

async function post(fx: MemoryServiceFixture, path: string, body: unknown, auth: string | false = fx.token ?? false, method = "POST") {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth !== false) headers.authorization = `Bearer ${auth}`;
  const res = await fetch(fx.url + path, { method, headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

const sha256 = (text: string) => createHash("sha256").update(text.trim().toLowerCase(), "utf8").digest("hex");
const HOUR = 3600;

describe("tags", () => {
  it("normalises like normalize_tags: strip, commas to -, lower-case, dedupe, 100 characters, 100 tags", () => {
    expect(normalizeTags([" Ops ", "ops", "a,b", "", "  ", "X".repeat(120)])).toEqual(["ops", "a-b", "x".repeat(100)]);
    expect(normalizeTags("one, two ,three")).toEqual(["one", "two", "three"]);
    expect(normalizeTags('["A", 1, true]')).toEqual(["a", "1", "true"]);
    expect(normalizeTags(Array.from({ length: 150 }, (_, i) => `t${i}`))).toHaveLength(100);
    expect(normalizeTags(null)).toEqual([]);
  });

  it("stores normalised tags merged with metadata.tags, drops metadata.tags and metadata.type, and tags nothing as untagged", async () => {
    const fx = await start();
    const { body } = await post(fx, "/memories", { content: "tagged", tags: ["Ops", "a,b"], metadata: { tags: "Extra, ops", type: "x", keep: 1 } });
    expect(body.memory.tags).toEqual(["ops", "a-b", "extra"]);
    expect(body.memory.metadata).toEqual({ keep: 1 });
    const bare = await post(fx, "/memories", { content: "no tags at all here" });
    expect(bare.body.memory.tags).toEqual(["untagged"]);
  });
});

describe("memory types", () => {
  it("keeps ontology types and subtypes, stores anything else as observation with a warning in message", async () => {
    const fx = await start({ settings: { customMemoryTypes: { preference: [] } } });
    for (const type of ["decision", "note", "bug", "preference"]) {
      const { body } = await post(fx, "/memories", { content: `typed ${type}`, memory_type: type });
      expect(body.memory.memory_type).toBe(type);
      expect(body.message).toBe("Memory stored successfully");
    }
    const coerced = await post(fx, "/memories", { content: "typed todo", memory_type: "todo" });
    expect(coerced.body.success).toBe(true);
    expect(coerced.body.memory.memory_type).toBe("observation");
    expect(coerced.body.message).toBe(
      "Memory stored successfully Warning: requested memory_type 'todo' is not in the ontology — stored as 'observation'. " +
        `Register custom types via MCP_CUSTOM_MEMORY_TYPES, e.g. '{"todo": []}'.`,
    );
    const cased = await post(fx, "/memories", { content: "capital letters in the type", memory_type: "Decision" });
    expect(cased.body.memory.memory_type).toBe("observation");
  });

  it("PUT keeps the type as given, and reads turn an unknown one into observation", async () => {
    const fx = await start();
    const { body } = await post(fx, "/memories", { content: "to retype", memory_type: "note" });
    const put = await post(fx, `/memories/${body.content_hash}`, { memory_type: "todo" }, fx.token!, "PUT");
    expect(put.body.memory.memory_type).toBe("observation");
  });
});

describe("semantic dedup", () => {
  const first = "The staging database is restored from the nightly backup every morning at six";
  const similar = "The staging database is restored from the nightly backup every morning at seven";

  it("refuses a different but similar text stored within 24 hours, naming the similar memory; nothing is stored", async () => {
    const fx = await start();
    const a = await post(fx, "/memories", { content: first });
    const b = await post(fx, "/memories", { content: similar });
    expect(b.body).toEqual({ success: false, message: `Duplicate content detected (semantically similar to ${a.body.content_hash})`, content_hash: null, memory: null });
    expect(fx.memories()).toHaveLength(1);
  });

  it("skips it when conversation_id is given, and records the conversation in metadata; exact dedup stays", async () => {
    const fx = await start();
    await post(fx, "/memories", { content: first });
    const b = await post(fx, "/memories", { content: similar, conversation_id: "conv-1" });
    expect(b.body.success).toBe(true);
    expect(b.body.memory.metadata).toEqual({ conversation_id: "conv-1" });
    const again = await post(fx, "/memories", { content: similar, conversation_id: "conv-1" });
    expect(again.body).toMatchObject({ success: false, message: "Duplicate content detected", content_hash: null });
  });

  it("a server too old to know conversation_id ignores it", async () => {
    const fx = await start({ quirks: { conversationId: false } });
    await post(fx, "/memories", { content: first });
    const b = await post(fx, "/memories", { content: similar, conversation_id: "conv-1" });
    expect(b.body.message).toMatch(/^Duplicate content detected \(semantically similar to [0-9a-f]{64}\)$/);
  });

  it("looks only at the last 24 hours, and can be configured or turned off", async () => {
    const fx = await start();
    fx.seed({ content: first, created_at: Date.now() / 1000 - 25 * HOUR });
    expect((await post(fx, "/memories", { content: similar })).body.success).toBe(true);

    const off = await start({ settings: { semanticDedup: false } });
    await post(off, "/memories", { content: first });
    expect((await post(off, "/memories", { content: similar })).body.success).toBe(true);

    const rule = await start({ settings: { semanticDedup: { similarity: (a, b) => (a.startsWith("cat") && b.startsWith("cat") ? 1 : 0) } } });
    await post(rule, "/memories", { content: "cats sleep all day" });
    expect((await post(rule, "/memories", { content: "cats purr" })).body.success).toBe(false);
    expect((await post(rule, "/memories", { content: "dogs bark" })).body.success).toBe(true);
  });

  it("memory_type session skips it too", async () => {
    const fx = await start();
    await post(fx, "/memories", { content: first });
    expect((await post(fx, "/memories", { content: similar, memory_type: "session" })).body.success).toBe(true);
  });
});

describe("chunking", () => {
  const sentence = (i: number) => `Sentence number ${i} talks about topic ${i * 7} in some detail. `;
  const long = Array.from({ length: 40 }, (_, i) => sentence(i)).join("").trim();

  it("splits at sentence ends within the limit, with overlap, as split_content does", () => {
    const chunks = splitContent(long, 800, 50);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(800);
    expect(chunks[0]!.endsWith(".")).toBe(true);
    // The next chunk starts inside the previous one's last 50 characters.
    expect(chunks[0]!.slice(-50)).toContain(chunks[1]!.slice(0, 20));
    expect(splitContent("short", 800)).toEqual(["short"]);
    expect(splitContent("x".repeat(1700), 800, 50).map((c) => c.length)).toEqual([800, 800, 200]);
  });

  it("stores content over chunkSize as chunks: the first chunk's hash, `Memory stored as N chunks`, chunk metadata", async () => {
    const fx = await start({ settings: { chunkSize: 800 } });
    const n = splitContent(long, 800).length;
    const { body } = await post(fx, "/memories", { content: long, tags: ["doc"], conversation_id: "c" });
    expect(body.success).toBe(true);
    expect(body.message).toBe(`Memory stored as ${n} chunks`);
    expect(body.content_hash).toBe(sha256(splitContent(long, 800)[0]!));
    expect(body.memory.metadata).toEqual({ conversation_id: "c", chunk_index: 0, total_chunks: n, original_hash: sha256(long) });
    expect(fx.memories()).toHaveLength(n);
    expect(fx.memories().every((m) => m.tags.includes("doc"))).toBe(true);

    const again = await post(fx, "/memories", { content: long, tags: ["doc"], conversation_id: "c" });
    expect(again.body).toMatchObject({ success: false, message: `Failed to store all ${n} chunks: Duplicate content detected`, content_hash: null });
  });

  it("without conversation_id, chunks similar to each other are turned away while the answer still says N chunks", async () => {
    const fx = await start({ settings: { chunkSize: 800, semanticDedup: { similarity: () => 0.9 } } });
    const n = splitContent(long, 800).length;
    const { body } = await post(fx, "/memories", { content: long });
    expect(body.message).toBe(`Memory stored as ${n} chunks`);
    expect(fx.memories()).toHaveLength(1);
  });
});

describe("request limits and refusals", () => {
  it("answers 413 to a body over 1 MiB without storing it; a higher or no cap can be set", async () => {
    const fx = await start();
    const big = await post(fx, "/memories", { content: "x".repeat(1_048_576) });
    expect(big.status).toBe(413);
    expect(fx.memories()).toHaveLength(0);
    const uncapped = await start({ quirks: { maxBodyBytes: null } });
    expect((await post(uncapped, "/memories", { content: "x".repeat(1_048_576) })).status).toBe(200);
  });

  it("a refused PUT or DELETE answers 200 success:false with the storage's reason, changing nothing", async () => {
    const fx = await start();
    const { body } = await post(fx, "/memories", { content: "keep me", tags: ["a"] });
    fx.inject({ method: "PUT", refused: "Error updating memory metadata: database is locked" });
    const put = await post(fx, `/memories/${body.content_hash}`, { tags: ["b"] }, fx.token!, "PUT");
    expect(put).toEqual({ status: 200, body: { success: false, message: "Error updating memory metadata: database is locked", content_hash: body.content_hash } });
    expect(fx.memories()[0]!.tags).toEqual(["a"]);
  });
});

describe("auth variants", () => {
  it("anonymous access: no credentials is fine, a wrong Bearer is still 401 invalid_token", async () => {
    const fx = await start({ token: null });
    expect((await post(fx, "/memories", { content: "anon" }, false)).status).toBe(200);
    const wrong = await post(fx, "/memories", { content: "anon 2" }, "stale-token");
    expect(wrong.status).toBe(401);
    expect(wrong.body.detail).toEqual({ error: "invalid_token", error_description: "OAuth is disabled. Use API key authentication or enable anonymous access." });
  });

  it("no API key and anonymous access off: 401 saying how to enable it", async () => {
    const fx = await start({ token: null, settings: { anonymousAccess: false } });
    const res = await post(fx, "/memories", { content: "x" }, false);
    expect(res.status).toBe(401);
    expect(res.body.detail).toEqual({
      error: "authorization_required",
      error_description: "Authentication is required. Set MCP_ALLOW_ANONYMOUS_ACCESS=true to enable anonymous access.",
    });
  });

  it("OAuth on: its own descriptions, and a read-only token gets 403 insufficient_scope on writes", async () => {
    const fx = await start({ readOnlyToken: "reader", settings: { oauth: true } });
    const wrong = await post(fx, "/memories", { content: "x" }, "nope");
    expect(wrong.body.detail.error_description).toBe("The access token provided is expired, revoked, malformed, or invalid");
    const none = await post(fx, "/memories", { content: "x" }, false);
    expect(none.body.detail.error_description).toBe(
      "Authorization required. Provide valid OAuth Bearer token or API key (via X-API-Key header or api_key query parameter).",
    );
    const denied = await post(fx, "/memories", { content: "x" }, "reader");
    expect(denied).toEqual({ status: 403, body: { detail: { error: "insufficient_scope", error_description: "Required scope 'write' not granted" } } });
  });
});
