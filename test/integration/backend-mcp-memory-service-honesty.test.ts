/**
 * The mcp-memory-service backend against the fixture doing what the real server does to a store
 * (semantic dedup, chunking, tag normalisation, type coercion) and to updates (success:false):
 * every result says what happened, and nothing else.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  DuplicateElsewhereError,
  RefusedChangeError,
  RequestTooLargeError,
  SimilarMemoryError,
  UnconfirmedDuplicateError,
  UnsupportedArgumentError,
} from "../../src/backends/errors.js";
import { createMcpMemoryServiceBackend } from "../../src/backends/mcp-memory-service.js";
import type { MemoryBackend } from "../../src/backends/types.js";
import { createHttpClient } from "../../src/http/client.js";
import type { HttpClient } from "../../src/http/types.js";
import { splitContent } from "../fixtures/memory-service/content-splitter.js";
import { contentHash, createMemoryServiceFixture, type MemoryServiceFixture, type MemoryServiceFixtureOptions, type RecordedRequest } from "../fixtures/memory-service/index.js";
import { rejection } from "./http-test-helpers.js";
import { ctx, GLOBAL, OTHER, OTHER_TAG, PROJECT, TAG } from "./memory-service-projects.js";


// Ten words each, nine shared: 0.9 similar by the fixture's word-count cosine, over the 0.85 threshold.
const FIRST = "the nightly job restores the staging database from backups at six";
const SIMILAR = "the nightly job restores the staging database from backups at seven";

const SENTENCE = (i: number) => `Part ${i} of the runbook explains step ${i * 3} for the on-call engineer in detail. `;
const LONG = Array.from({ length: 30 }, (_, i) => SENTENCE(i)).join("").trim();

interface Setup {
  fixture: MemoryServiceFixture;
  backend: MemoryBackend;
}

const open: { fixture: MemoryServiceFixture; http: HttpClient }[] = [];
afterEach(async () => {
  for (const { fixture, http } of open.splice(0)) {
    await http.close().catch(() => undefined);
    await fixture.close();
  }
});

async function setup(options: MemoryServiceFixtureOptions = {}, conversationId?: string): Promise<Setup> {
  const fixture = await createMemoryServiceFixture(options);
  const http = createHttpClient({ endpoint: fixture.url, auth: { header: "authorization", value: `Bearer ${fixture.token}` } });
  open.push({ fixture, http });
  return { fixture, backend: createMcpMemoryServiceBackend({ http, ...(conversationId && { conversationId }) }) };
}


function posts(fixture: MemoryServiceFixture): Record<string, unknown>[] {
  return fixture.requests.filter((r) => r.method === "POST" && r.path === "/api/memories").map((r) => r.body as Record<string, unknown>);
}

function requests(fixture: MemoryServiceFixture, method: string): RecordedRequest[] {
  return fixture.requests.filter((r) => r.method === method);
}

describe("what a store sends", () => {
  it("one conversation_id per process on every store, tags as the server keeps them, metadata.tags merged into tags", async () => {
    const { fixture, backend } = await setup();
    await backend.store({ content: "first note", tags: [" Ops ", "a,b", "ops"], metadata: { tags: "Extra, more", source: "chat" } }, ctx());
    await backend.store({ content: "second note" }, ctx());
    const [first, second] = posts(fixture);
    expect(first!.tags).toEqual(["ops", "a-b", "extra", "more", TAG]);
    expect(first!.metadata).toEqual({ source: "chat" });
    expect(first!.conversation_id).toMatch(/^mcp-memory-bridge-[0-9a-f-]{36}$/);
    expect(second!.conversation_id).toBe(first!.conversation_id);
    expect(fixture.memories().find((m) => m.content === "first note")!.tags).toEqual(["ops", "a-b", "extra", "more", TAG]);
  });

  it("the bridge's conversation id is not shown back; a conversation_id of the user's own is sent and kept", async () => {
    const { fixture, backend } = await setup();
    const mine = await backend.store({ content: "plain note", metadata: { source: "chat" } }, ctx());
    expect((await backend.get(mine.id, ctx())).metadata).toEqual({ source: "chat" });
    expect(fixture.memories()[0]!.metadata.conversation_id).toMatch(/^mcp-memory-bridge-/);

    const theirs = await backend.store({ content: "a note from a chat", metadata: { conversation_id: "chat-42" } }, ctx());
    expect(posts(fixture).at(-1)!.conversation_id).toBe("chat-42");
    expect((await backend.get(theirs.id, ctx())).metadata).toEqual({ conversation_id: "chat-42" });
  });

  it("list and search filter by tags normalised the same way", async () => {
    const { fixture, backend } = await setup();
    await backend.store({ content: "tagged note about releases", tags: ["Release,Notes"] }, ctx());
    fixture.clearRequests();
    const listed = await backend.list({ page: 1, page_size: 10, tags: [" RELEASE,notes "] }, ctx());
    expect(requests(fixture, "GET")[0]!.query.tag).toBe(`${TAG},release-notes`);
    expect(listed.memories.map((m) => m.content)).toEqual(["tagged note about releases"]);
    const found = await backend.search({ query: "releases", limit: 5, scope: "project", tags: ["Release,NOTES"] }, ctx());
    expect(found.map((m) => m.content)).toEqual(["tagged note about releases"]);
  });
});

describe("semantic duplicates", () => {
  it("a similar but different text in the same project is stored too (conversation_id skips semantic dedup)", async () => {
    const { fixture, backend } = await setup();
    const a = await backend.store({ content: FIRST }, ctx());
    const b = await backend.store({ content: SIMILAR }, ctx());
    expect(b).toEqual({ id: contentHash(SIMILAR), deduplicated: false });
    expect(a.id).not.toBe(b.id);
    expect(fixture.memories().map((m) => m.content).sort()).toEqual([FIRST, SIMILAR].sort());
  });

  it("a server too old for conversation_id: an error saying nothing was stored, naming this project's similar memory", async () => {
    const { fixture, backend } = await setup({ quirks: { conversationId: false } });
    const a = await backend.store({ content: FIRST }, ctx());
    const error = await rejection(backend.store({ content: SIMILAR }, ctx()));
    expect(error).toBeInstanceOf(SimilarMemoryError);
    expect(error.message).toMatch(/^Nothing was stored: /);
    expect(error.message).toContain(`memory ${a.id}: "${FIRST}"`);
    expect(fixture.memories().map((m) => m.content)).toEqual([FIRST]);
  });

  it("similar to another project's memory: neither its id nor its text is shown", async () => {
    const { fixture, backend } = await setup({ quirks: { conversationId: false } });
    const theirs = await backend.store({ content: FIRST }, ctx(OTHER));
    const error = await rejection(backend.store({ content: SIMILAR }, ctx(PROJECT)));
    expect(error).toBeInstanceOf(SimilarMemoryError);
    expect(error.message).toContain("a memory of another project");
    expect(error.message).not.toContain(theirs.id);
    expect(error.message).not.toContain("six");
    expect(fixture.memories()).toHaveLength(1);
  });

  it("global mode shows an unscoped similar memory but not a project's", async () => {
    const { fixture, backend } = await setup({ quirks: { conversationId: false } });
    fixture.seed({ content: FIRST, tags: ["team"] });
    expect((await rejection(backend.store({ content: SIMILAR }, ctx(GLOBAL)))).message).toContain(`"${FIRST}"`);
    fixture.reset();
    fixture.seed({ content: FIRST, tags: [OTHER_TAG] });
    expect((await rejection(backend.store({ content: SIMILAR }, ctx(GLOBAL)))).message).not.toContain(FIRST);
  });
});

describe("exact duplicates are confirmed before they are reported", () => {
  it("the record the server means cannot be found: an error, not a dedup with an id that does not exist", async () => {
    const { fixture, backend } = await setup();
    fixture.inject({ method: "POST", path: "/memories", refused: "Duplicate content detected (exact match)" });
    const error = await rejection(backend.store({ content: "never stored" }, ctx(GLOBAL)));
    expect(error).toBeInstanceOf(UnconfirmedDuplicateError);
    expect(error.message).toContain(`memory ${contentHash("never stored")} does not exist`);
    expect(requests(fixture, "GET").map((r) => r.path)).toEqual([`/api/memories/${contentHash("never stored")}`]);
  });

  it("a retry after a dropped connection finds its own write: deduplicated, one record", async () => {
    const { fixture, backend } = await setup({ quirks: { duplicateMessage: "Duplicate content detected (exact match)" } });
    fixture.inject({ reset: "after-body", method: "POST", path: "/memories" });
    const result = await backend.store({ content: "written, then the answer was lost" }, ctx());
    expect(result).toEqual({ id: contentHash("written, then the answer was lost"), deduplicated: true });
    expect(fixture.memories()).toHaveLength(1);
  });
});

describe("chunked stores (hybrid and Cloudflare storage)", () => {
  const CHUNKED = { settings: { chunkSize: 800 } };

  it("lists every part in order, and says how many there are", async () => {
    const { fixture, backend } = await setup(CHUNKED);
    const parts = splitContent(LONG, 800).map(contentHash);
    expect(parts.length).toBeGreaterThan(2);
    const result = await backend.store({ content: LONG, tags: ["runbook"] }, ctx());
    expect(result).toEqual({ id: parts[0], deduplicated: false, chunks: parts.length, ids: parts });
    expect(fixture.memories()).toHaveLength(parts.length);
  });

  it("a repeat is the dedup it is, with the parts' ids; a retry after a dropped connection too", async () => {
    const { fixture, backend } = await setup(CHUNKED);
    const parts = splitContent(LONG, 800).map(contentHash);
    await backend.store({ content: LONG }, ctx());
    const again = await backend.store({ content: LONG, tags: ["runbook"] }, ctx());
    expect(again).toEqual({ id: parts[0], deduplicated: true, chunks: parts.length, ids: parts });
    // The new tag is added to every part of this project's own text.
    expect(fixture.memories().every((m) => m.tags.includes("runbook"))).toBe(true);

    fixture.reset();
    fixture.inject({ reset: "after-body", method: "POST", path: "/memories" });
    const retried = await backend.store({ content: LONG }, ctx());
    expect(retried).toMatchObject({ deduplicated: true, ids: parts });
    expect(fixture.memories()).toHaveLength(parts.length);
  });

  it("the same long text of another project is not pulled into this one", async () => {
    const { fixture, backend } = await setup(CHUNKED);
    await backend.store({ content: LONG }, ctx(OTHER));
    await expect(backend.store({ content: LONG }, ctx(PROJECT))).rejects.toBeInstanceOf(DuplicateElsewhereError);
    expect(fixture.memories().every((m) => !m.tags.includes(TAG))).toBe(true);
  });

  it("an old server that turned some parts away as similar: only the parts that exist are listed", async () => {
    const { backend } = await setup({ ...CHUNKED, quirks: { conversationId: false }, settings: { chunkSize: 800, semanticDedup: { similarity: () => 0.9 } } });
    const parts = splitContent(LONG, 800).map(contentHash);
    const result = await backend.store({ content: LONG }, ctx());
    expect(result).toEqual({ id: parts[0], deduplicated: false, chunks: parts.length, ids: [parts[0]] });
  });
});

describe("memory types", () => {
  it("a type outside the server's ontology: the result carries the type stored and the one asked for", async () => {
    const { backend } = await setup();
    expect(await backend.store({ content: "a todo item", type: "todo" }, ctx())).toEqual({
      id: contentHash("a todo item"),
      deduplicated: false,
      type: "observation",
      requestedType: "todo",
    });
    expect(await backend.store({ content: "a decision", type: "decision" }, ctx())).toEqual({ id: contentHash("a decision"), deduplicated: false });
    // The repeat reports the type the stored record has.
    expect(await backend.store({ content: "a todo item", type: "todo" }, ctx())).toMatchObject({ deduplicated: true, type: "observation" });
  });

  it("an update to an unknown type comes back as the type the server keeps", async () => {
    const { backend } = await setup();
    const { id } = await backend.store({ content: "retyped", type: "note" }, ctx());
    expect((await backend.update({ id, type: "todo" }, ctx())).type).toBe("observation");
  });
});

describe("refused updates and deletes", () => {
  it("PUT 200 {success:false} is an error with the server's reason; nothing changed", async () => {
    const { fixture, backend } = await setup();
    const { id } = await backend.store({ content: "keep my tags", tags: ["a"] }, ctx());
    fixture.inject({ method: "PUT", refused: "Error updating memory metadata: database is locked" });
    const error = await rejection(backend.update({ id, tags: ["b"] }, ctx()));
    expect(error).toBeInstanceOf(RefusedChangeError);
    expect(error.message).toBe(`Memory ${id} was not updated: the memory server at ${fixture.url} refused it (Error updating memory metadata: database is locked).`);
    expect(fixture.memories()[0]!.tags).toEqual(["a", TAG]);
  });

  it("a dedup whose new tags the server refused to add says so, rather than claiming them", async () => {
    const { fixture, backend } = await setup();
    const { id } = await backend.store({ content: "already here", tags: ["a"] }, ctx());
    fixture.inject({ method: "PUT", refused: "Error updating memory metadata: database is locked" });
    const error = await rejection(backend.store({ content: "already here", tags: ["b"] }, ctx()));
    expect(error).toBeInstanceOf(RefusedChangeError);
    expect(error.message).toMatch(new RegExp(`^Memory ${id} already holds this text, but its new tags were not added: .*database is locked`));
    expect(fixture.memories()[0]!.tags).toEqual(["a", TAG]);
  });

  it("DELETE 200 {success:false} for a reason other than not found is a refusal, not 'not found'", async () => {
    const { fixture, backend } = await setup();
    const { id } = await backend.store({ content: "stays" }, ctx());
    fixture.inject({ method: "DELETE", refused: "Failed to delete memory: disk I/O error" });
    const error = await rejection(backend.delete(id, ctx()));
    expect(error).toBeInstanceOf(RefusedChangeError);
    expect(error.message).toContain("disk I/O error");
    expect(fixture.memories()).toHaveLength(1);
  });
});

describe("arguments the server would change or refuse", () => {
  it("reserved proj: tags are refused in tags and in metadata.tags (list or string), on store and update", async () => {
    const { fixture, backend } = await setup();
    const { id } = await backend.store({ content: "mine" }, ctx());
    fixture.clearRequests();
    for (const metadata of [{ tags: [OTHER_TAG] }, { tags: `ok, ${OTHER_TAG.toUpperCase()}` }, { tags: `["${OTHER_TAG}"]` }]) {
      const error = await rejection(backend.store({ content: "sneaky", metadata }, ctx()));
      expect(error).toBeInstanceOf(UnsupportedArgumentError);
      expect(error.message).toMatch(/`metadata\.tags`.*reserved for project scoping/);
      await expect(backend.update({ id, metadata }, ctx())).rejects.toThrow(/`metadata\.tags`.*reserved/);
    }
    await expect(backend.store({ content: "sneaky", tags: [` ${OTHER_TAG} `] }, ctx())).rejects.toThrow(/`tags`.*reserved/);
    expect(fixture.requests).toHaveLength(0);
    expect(fixture.memories().map((m) => m.content)).toEqual(["mine"]);
  });

  it("more than 100 tags in all is refused rather than silently cut", async () => {
    const { fixture, backend } = await setup();
    const many = Array.from({ length: 100 }, (_, i) => `t${i}`);
    await expect(backend.store({ content: "tag heavy", metadata: { tags: many } }, ctx())).rejects.toThrow(/at most 100 tags/);
    expect(fixture.requests).toHaveLength(0);
  });

  it("update tags are normalised as a store's would be, so a later filter matches", async () => {
    const { fixture, backend } = await setup();
    const { id } = await backend.store({ content: "retag me" }, ctx());
    const memory = await backend.update({ id, tags: ["Release", "a,b"] }, ctx());
    expect((requests(fixture, "PUT")[0]!.body as { tags: string[] }).tags).toEqual(["release", "a-b", TAG]);
    expect(memory.tags).toEqual(["release", "a-b"]);
  });

  it("a body over 1 MiB is refused before sending, naming the limit; a server with a lower cap's 413 says so", async () => {
    const { fixture, backend } = await setup();
    const error = await rejection(backend.store({ content: "big metadata", metadata: { blob: "x".repeat(1_100_000) } }, ctx()));
    expect(error).toBeInstanceOf(RequestTooLargeError);
    expect(error.message).toMatch(/^Nothing was sent: the request would be 1\.0 MiB \(\d+ bytes\), over mcp-memory-service's limit of 1 MiB \(1048576 bytes\)/);
    expect(fixture.requests).toHaveLength(0);

    const small = await setup({ quirks: { maxBodyBytes: 1000 } });
    const refused = await rejection(small.backend.store({ content: "y".repeat(2000) }, ctx()));
    expect(refused).toBeInstanceOf(RequestTooLargeError);
    expect(refused.message).toMatch(/refused the request as too large \(413\)/);
    expect(small.fixture.memories()).toHaveLength(0);
  });
});
