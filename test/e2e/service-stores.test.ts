import { afterEach, describe, expect, it } from "vitest";
import { splitContent } from "../fixtures/memory-service/content-splitter.js";
import { contentHash, createMemoryServiceFixture, type MemoryServiceFixture, type MemoryServiceFixtureOptions } from "../fixtures/memory-service/index.js";
import { makeGitRepo } from "./git-repo.js";
import { startBridge, textOf, type BridgeProcess } from "./harness.js";

// Over stdio, against the fixture doing what mcp-memory-service does to stores and updates: every
// tool result says what happened on the server, and another project's text never shows.

// Ten words each, nine shared: 0.9 similar by the fixture's word-count cosine (threshold 0.85).
const OURS = "the release train for the mobile app leaves every second tuesday";
const SIMILAR = "the release train for the mobile app leaves every second thursday";
const THEIRS = "the release train for the mobile app leaves every second wednesday";
const LONG = Array.from({ length: 30 }, (_, i) => `Section ${i} of the design notes covers component ${i * 5} and its failure modes.`).join(" ");

const widgets = makeGitRepo("git@github.com:acme/widgets.git");
const gadgets = makeGitRepo("git@github.com:acme/gadgets.git");

const fixtures: MemoryServiceFixture[] = [];
const bridges: BridgeProcess[] = [];
afterEach(async () => {
  await Promise.all(bridges.splice(0).map((b) => b.transport.close()));
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

async function server(options: MemoryServiceFixtureOptions = {}): Promise<MemoryServiceFixture> {
  const fixture = await createMemoryServiceFixture(options);
  fixtures.push(fixture);
  return fixture;
}

async function bridgeIn(repo: string, fixture: MemoryServiceFixture): Promise<BridgeProcess> {
  const bridge = await startBridge({ env: { MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: fixture.token! }, cwd: repo });
  bridges.push(bridge);
  return bridge;
}

const call = (bridge: BridgeProcess, name: string, args: Record<string, unknown>) => bridge.client.callTool({ name, arguments: args });

/** Everything a bridge wrote: every stdout line (the protocol) and stderr (its log). */
const allOutput = (...all: BridgeProcess[]) => all.map((b) => `${b.transport.stdoutLines.join("\n")}\n${b.transport.stderr}`).join("\n");

describe("semantic duplicates", () => {
  it("a similar text is stored, in the same project and next to another project's", async () => {
    const fixture = await server();
    const other = await bridgeIn(gadgets, fixture);
    const mine = await bridgeIn(widgets, fixture);
    expect((await call(other, "store_memory", { content: THEIRS })).isError).toBeFalsy();
    const first = await call(mine, "store_memory", { content: OURS });
    const second = await call(mine, "store_memory", { content: SIMILAR });
    expect(first.structuredContent).toMatchObject({ stored: true, deduplicated: false, id: contentHash(OURS) });
    expect(second.structuredContent).toMatchObject({ stored: true, deduplicated: false, id: contentHash(SIMILAR) });
    expect(fixture.memories().map((m) => m.content).sort()).toEqual([OURS, SIMILAR, THEIRS].sort());
    expect(allOutput(mine)).not.toContain("wednesday");
  });

  it("a server too old for conversation_id: isError saying nothing was stored; only this project's similar memory is quoted", async () => {
    const fixture = await server({ quirks: { conversationId: false } });
    const other = await bridgeIn(gadgets, fixture);
    const mine = await bridgeIn(widgets, fixture);
    await call(other, "store_memory", { content: THEIRS });

    const across = await call(mine, "store_memory", { content: OURS });
    expect(across.isError).toBe(true);
    expect(textOf(across)).toMatch(/^Nothing was stored: .*too similar to a memory of another project/);
    expect(textOf(across)).not.toContain(contentHash(THEIRS));

    fixture.reset();
    await call(mine, "store_memory", { content: SIMILAR }).then((r) => expect(r.isError, textOf(r)).toBeFalsy());
    const within = await call(mine, "store_memory", { content: OURS });
    expect(within.isError).toBe(true);
    expect(textOf(within)).toContain(`memory ${contentHash(SIMILAR)}: "${SIMILAR}"`);
    expect(fixture.memories().map((m) => m.content)).toEqual([SIMILAR]);
    expect(allOutput(mine)).not.toContain("wednesday");
  });
});

describe("chunked stores", () => {
  it("lists every part, and the retry is recognised as the dedup it is", async () => {
    const fixture = await server({ settings: { chunkSize: 800 } });
    const bridge = await bridgeIn(widgets, fixture);
    const parts = splitContent(LONG, 800).map(contentHash);
    const stored = await call(bridge, "store_memory", { content: LONG, tags: ["design"] });
    expect(stored.structuredContent).toMatchObject({ id: parts[0], stored: true, deduplicated: false, ids: parts });
    expect(textOf(stored)).toContain(`as ${parts.length} parts (memories ${parts.join(", ")})`);

    const again = await call(bridge, "store_memory", { content: LONG, tags: ["design"] });
    expect(again.isError, textOf(again)).toBeFalsy();
    expect(again.structuredContent).toMatchObject({ id: parts[0], stored: true, deduplicated: true, ids: parts });
    expect(fixture.memories()).toHaveLength(parts.length);
  });
});

describe("types, refused updates and retries", () => {
  it("a type outside the server's ontology: the result carries the stored type and says it was changed", async () => {
    const fixture = await server();
    const bridge = await bridgeIn(widgets, fixture);
    const result = await call(bridge, "store_memory", { content: "ship the beta on friday", type: "todo" });
    expect(result.structuredContent).toMatchObject({ stored: true, type: "observation" });
    expect(textOf(result)).toContain('Its type is "observation", not "todo"');
  });

  it("an update the server refused is an error with its reason", async () => {
    const fixture = await server();
    const bridge = await bridgeIn(widgets, fixture);
    const { id } = (await call(bridge, "store_memory", { content: "keeps its tags", tags: ["a"] })).structuredContent as { id: string };
    fixture.inject({ method: "PUT", refused: "Error updating memory metadata: database is locked" });
    const result = await call(bridge, "update_memory", { id, tags: ["b"] });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(`Memory ${id} was not updated: the memory server at ${fixture.url} refused it (Error updating memory metadata: database is locked).`);
    expect(fixture.memories()[0]!.tags).toContain("a");
  });

  it("a store retried after a dropped connection lands as an exact duplicate of its own write", async () => {
    const fixture = await server({ quirks: { duplicateMessage: "Duplicate content detected (exact match)" } });
    const bridge = await bridgeIn(widgets, fixture);
    fixture.inject({ reset: "after-body", method: "POST", path: "/memories" });
    const result = await call(bridge, "store_memory", { content: "the answer to this store was lost" });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ id: contentHash("the answer to this store was lost"), stored: true, deduplicated: true });
    expect(fixture.requests.filter((r) => r.method === "POST")).toHaveLength(2);
    expect(fixture.memories()).toHaveLength(1);
  });
});
