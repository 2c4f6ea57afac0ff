/**
 * The benchmark's workloads: each tool call as the bridge and the relay floor receive it, and the
 * same HTTP request made directly (same undici Pool type, headers, path and JSON body, the answer
 * parsed), plus the fixture data they need.
 */
import type { Pool } from "undici";
import { BenchFailure, type ToolResult } from "./rpc.js";

export interface Fixture {
  url: string;
  origin: string;
  basePath: string;
  token: string;
}

export interface Workload {
  /** The tool's name, the row's name. */
  tool: string;
  /** What one call carries, for the table's notes. */
  detail: string;
  /** The arguments of the next call (store: a new text each time, as each store is a new memory). */
  args(): Record<string, unknown>;
  /** The HTTP request the bridge makes for these arguments, made directly. */
  direct(args: Record<string, unknown>): Promise<unknown>;
  /** Throws when a tool result is not the expected one (checked on the first call of each way). */
  check(result: ToolResult): void;
}

const SEARCH_RESULTS = 10;
const LIST_ITEMS = 20;
/** Characters in each seeded memory's text. */
export const SEED_CHARS = 500;
/** Enough memories for every search to return SEARCH_RESULTS and every list page LIST_ITEMS. */
export const SEED_COUNT = 50;
const TOPICS = ["http", "decision", "preference", "testing", "release"];

/** A text of exactly `chars` characters about `topic`, different for each `i`. */
function seedText(i: number, topic: string, chars: number): string {
  const head = `Benchmark memory ${i}: the team settled the ${topic} question on day ${i} and wrote down why, so later conversations can find it. `;
  const filler = "The reasoning covered the trade-offs, the alternatives that were rejected, and what would make the team revisit it. ";
  let text = head;
  while (text.length < chars) text += filler;
  return text.slice(0, chars - 1) + ".";
}

interface Requester {
  get(path: string): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
}

/** Requests to the fixture as the bridge makes them: its headers, its JSON, the answer parsed. */
export function requester(fixture: Fixture, pool: Pool): Requester {
  const plain = { accept: "application/json", "user-agent": "mcp-memory-bridge", authorization: `Bearer ${fixture.token}` };
  const json = { ...plain, "content-type": "application/json" };
  const check = (method: string, path: string, status: number, body: unknown) => {
    if (status !== 200) throw new BenchFailure(`direct ${method} ${path} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
    return body;
  };
  return {
    async get(path) {
      const res = await pool.request({ method: "GET", path: fixture.basePath + path, headers: plain });
      return check("GET", path, res.statusCode, await res.body.json());
    },
    async post(path, body) {
      const res = await pool.request({ method: "POST", path: fixture.basePath + path, headers: json, body: JSON.stringify(body) });
      return check("POST", path, res.statusCode, await res.body.json());
    },
  };
}

/** Stores SEED_COUNT memories of SEED_CHARS characters each; returns their ids. */
export async function seed(http: Requester): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < SEED_COUNT; i++) {
    const topic = TOPICS[i % TOPICS.length] ?? "note";
    const answer = (await http.post("/memories", {
      content: seedText(i, topic, SEED_CHARS),
      tags: ["bench", topic],
      memory_type: "note",
      // As the bridge does: these texts are near-identical, and the server's semantic dedup would turn most away.
      conversation_id: "bench-seed",
    })) as { success?: unknown; content_hash?: unknown };
    if (answer.success !== true || typeof answer.content_hash !== "string") throw new BenchFailure(`seeding failed: ${JSON.stringify(answer)}`);
    ids.push(answer.content_hash);
  }
  return ids;
}

function expectCount(result: ToolResult, key: string, count: number, chars: number): void {
  const list = result.structuredContent?.[key] as { content?: unknown }[] | undefined;
  if (!Array.isArray(list) || list.length !== count || list.some((m) => typeof m.content !== "string" || m.content.length !== chars)) {
    throw new BenchFailure(`expected ${count} ${key} of ${chars} characters, got ${JSON.stringify(result.structuredContent).slice(0, 300)}`);
  }
}

export function workloads(http: Requester, ids: string[]): Workload[] {
  let stores = 0;
  const run = Date.now().toString(36);
  let next = 0;
  const anId = () => ids[next++ % ids.length] as string;
  return [
    {
      tool: "search_memories",
      detail: `${SEARCH_RESULTS} results of ${SEED_CHARS} characters (POST /search)`,
      args: () => ({ query: "which decision did the team settle and why", limit: SEARCH_RESULTS }),
      direct: async (args) => {
        const body = (await http.post("/search", { query: args.query, n_results: args.limit })) as { results?: unknown[] };
        if (body.results?.length !== SEARCH_RESULTS) throw new BenchFailure(`direct search: ${body.results?.length} results`);
        return body;
      },
      check: (result) => expectCount(result, "results", SEARCH_RESULTS, SEED_CHARS),
    },
    {
      tool: "store_memory",
      detail: "a new text of about 200 characters each call, 2 tags (POST /memories)",
      args: () => ({
        content: `Benchmark store ${run}-${++stores}: a new decision, written down with its reason so that a later conversation can find it again by meaning.`,
        tags: ["bench", "store"],
      }),
      direct: async (args) => {
        const body = (await http.post("/memories", { content: args.content, tags: args.tags, metadata: {}, conversation_id: `bench-direct-${run}` })) as {
          success?: unknown;
        };
        if (body.success !== true) throw new BenchFailure(`direct store: ${JSON.stringify(body)}`);
        return body;
      },
      check: (result) => {
        if (result.structuredContent?.stored !== true || typeof result.structuredContent.id !== "string") {
          throw new BenchFailure(`store_memory did not store: ${JSON.stringify(result.structuredContent)}`);
        }
      },
    },
    {
      tool: "list_memories",
      detail: `page of ${LIST_ITEMS} memories of ${SEED_CHARS} characters (GET /memories)`,
      args: () => ({ page: 1, page_size: LIST_ITEMS }),
      direct: async (args) => {
        const body = (await http.get(`/memories?page=${args.page}&page_size=${args.page_size}`)) as { memories?: unknown[] };
        if (body.memories?.length !== LIST_ITEMS) throw new BenchFailure(`direct list: ${body.memories?.length} memories`);
        return body;
      },
      check: (result) => expectCount(result, "memories", LIST_ITEMS, SEED_CHARS),
    },
    {
      tool: "get_memory",
      detail: `one memory of ${SEED_CHARS} characters (GET /memories/{id})`,
      args: () => ({ id: anId() }),
      direct: async (args) => {
        const id = args.id as string;
        const body = (await http.get(`/memories/${encodeURIComponent(id)}`)) as { content_hash?: unknown };
        if (body.content_hash !== id) throw new BenchFailure(`direct get: another memory`);
        return body;
      },
      check: (result) => {
        const memory = result.structuredContent?.memory as { content?: unknown } | undefined;
        if (typeof memory?.content !== "string" || memory.content.length !== SEED_CHARS) {
          throw new BenchFailure(`get_memory answered ${JSON.stringify(result.structuredContent).slice(0, 300)}`);
        }
      },
    },
  ];
}
