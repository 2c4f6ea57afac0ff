// The floor for any stdio → HTTP bridge written in Node: a minimal MCP relay with no SDK, no
// schemas and no validation. It answers `initialize`, and `tools/call` for get_memory,
// search_memories, list_memories and store_memory by making the same HTTP request as the bridge
// (same undici Pool, same headers, same path and JSON body, global mode) and writing a result of
// the same shape: a text block rendered from the records, and the same structuredContent.
// The benchmark compares the bridge with it to separate the cost of the stdio hop itself
// (unavoidable) from the cost of the bridge's own code (MCP SDK, zod, mapping, rendering).
// Plain JavaScript run by plain `node` (no tsx loader), so it carries nothing the bridge would not.
import { randomUUID } from "node:crypto";
import { Pool } from "undici";

const endpoint = new URL(process.env.MEMORY_BRIDGE_ENDPOINT ?? "");
const basePath = endpoint.pathname.replace(/\/+$/, "");
const pool = new Pool(endpoint.origin, { connect: { timeout: 3000 } });
const headers = {
  accept: "application/json",
  "user-agent": "mcp-memory-bridge",
  authorization: `Bearer ${process.env.MEMORY_BRIDGE_TOKEN ?? ""}`,
};
const jsonHeaders = { ...headers, "content-type": "application/json" };
const conversationId = `relay-floor-${randomUUID()}`;

function send(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function http(method, path, body) {
  const res = await pool.request({
    method,
    path: basePath + path,
    headers: body === undefined ? headers : jsonHeaders,
    body: body === undefined ? null : JSON.stringify(body),
  });
  const answer = await res.body.json();
  if (res.statusCode !== 200) throw new Error(`${method} ${path} answered HTTP ${res.statusCode}`);
  return answer;
}

function toMemory(record, score) {
  const memory = { id: record.content_hash, content: record.content, tags: Array.isArray(record.tags) ? record.tags : [] };
  if (record.memory_type) memory.type = record.memory_type;
  if (record.metadata && Object.keys(record.metadata).length > 0) memory.metadata = record.metadata;
  if (record.created_at_iso) memory.created_at = record.created_at_iso;
  if (record.updated_at_iso) memory.updated_at = record.updated_at_iso;
  if (typeof score === "number") memory.score = score;
  return memory;
}

// One line per memory, as the bridge renders it: whitespace runs collapsed, only when there are any.
const UNEVEN_SPACE = /[^\S ]| {2}/;
function oneLine(text) {
  const uneven = UNEVEN_SPACE.test(text) || text.startsWith(" ") || text.endsWith(" ");
  return uneven ? text.replace(/\s+/g, " ").trim() : text;
}

function line(memory, n) {
  const score = memory.score === undefined ? "" : ` (relevance ${memory.score.toFixed(2)})`;
  const content = oneLine(memory.content);
  return `${n}. ${content}${score}\n   id: ${memory.id} · tags: ${memory.tags.join(", ")} · type: ${memory.type} · created: ${memory.created_at}`;
}

const tools = {
  async get_memory(args) {
    const memory = toMemory(await http("GET", `/memories/${encodeURIComponent(String(args.id))}`));
    const text = `Memory ${memory.id}\n\n${memory.content}\n\ntags: ${memory.tags.join(", ")}\ntype: ${memory.type}\ncreated: ${memory.created_at}`;
    return { content: [{ type: "text", text }], structuredContent: { memory } };
  },
  async search_memories(args) {
    const limit = args.limit ?? 10;
    const answer = await http("POST", "/search", { query: args.query, n_results: limit });
    const results = answer.results.map((hit) => toMemory(hit.memory, hit.similarity_score));
    const head = `${results.length} memories for "${args.query}" across all projects, best first:`;
    const text = [head, ...results.map((m, i) => line(m, i + 1))].join("\n");
    return { content: [{ type: "text", text }], structuredContent: { results, project: null } };
  },
  async list_memories(args) {
    const page = args.page ?? 1;
    const pageSize = args.page_size ?? 20;
    const answer = await http("GET", `/memories?page=${page}&page_size=${pageSize}`);
    const memories = answer.memories.map((record) => toMemory(record));
    const first = (page - 1) * pageSize + 1;
    const head = `Memories ${first}-${first + memories.length - 1} of ${answer.total}, newest first (page ${page}):`;
    const text = [head, ...memories.map((m, i) => line(m, first + i))].join("\n");
    const structured = { memories, has_more: answer.has_more, total: answer.total, page, page_size: pageSize };
    return { content: [{ type: "text", text }], structuredContent: structured };
  },
  async store_memory(args) {
    const body = { content: args.content, tags: args.tags ?? [], metadata: {}, conversation_id: conversationId };
    if (args.type !== undefined) body.memory_type = args.type;
    const answer = await http("POST", "/memories", body);
    if (answer.success !== true) throw new Error(`not stored: ${answer.message}`);
    const id = answer.content_hash;
    return { content: [{ type: "text", text: `Stored memory ${id}.` }], structuredContent: { id, stored: true, deduplicated: false, project: null } };
  },
};

async function handle(message) {
  if (message.id === undefined || message.id === null) return; // a notification
  const { id, method, params } = message;
  if (method === "initialize") {
    send({
      jsonrpc: "2.0",
      id,
      result: { protocolVersion: params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "relay-floor", version: "0.0.0" } },
    });
  } else if (method === "tools/call" && Object.hasOwn(tools, params?.name)) {
    try {
      send({ jsonrpc: "2.0", id, result: await tools[params.name](params.arguments ?? {}) });
    } catch (error) {
      send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: String(error) }], isError: true } });
    }
  } else {
    send({ jsonrpc: "2.0", id, error: { code: -32601, message: `relay-floor does not implement ${method} ${params?.name ?? ""}` } });
  }
}

let buffered = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffered += chunk;
  let start = 0;
  for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n", start)) {
    const text = buffered.slice(start, nl);
    start = nl + 1;
    if (text.trim() !== "") void handle(JSON.parse(text));
  }
  buffered = buffered.slice(start);
});
process.stdin.on("end", () => {
  pool.close().finally(() => process.exit(0));
});
