// The floor for any stdio → HTTP bridge written in Node: a minimal MCP relay with no SDK, no
// schemas and no validation. It answers `initialize`, and `tools/call get_memory` by making the same
// GET as the bridge (same undici Pool, same headers) and writing a result of the same shape.
// The benchmark compares the bridge with it to separate the cost of the stdio hop itself
// (unavoidable) from the cost of the bridge's own code (MCP SDK, zod, mapping, rendering).
// Plain JavaScript run by plain `node` (no tsx loader), so it carries nothing the bridge would not.
import { Pool } from "undici";

const endpoint = new URL(process.env.MEMORY_BRIDGE_ENDPOINT ?? "");
const basePath = endpoint.pathname.replace(/\/+$/, "");
const pool = new Pool(endpoint.origin, { connect: { timeout: 3000 } });
const headers = {
  accept: "application/json",
  "user-agent": "mcp-memory-bridge",
  authorization: `Bearer ${process.env.MEMORY_BRIDGE_TOKEN ?? ""}`,
};

function send(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function getMemory(id) {
  const res = await pool.request({ method: "GET", path: `${basePath}/memories/${encodeURIComponent(id)}`, headers });
  const body = await res.body.json();
  if (res.statusCode !== 200) return { content: [{ type: "text", text: `HTTP ${res.statusCode}` }], isError: true };
  const memory = {
    id: body.content_hash,
    content: body.content,
    tags: body.tags ?? [],
    ...(body.memory_type ? { type: body.memory_type } : {}),
    created_at: body.created_at_iso,
    updated_at: body.updated_at_iso,
  };
  const text = `Memory ${memory.id}\n\n${memory.content}\n\ntags: ${memory.tags.join(", ")}\ntype: ${memory.type}\ncreated: ${memory.created_at}`;
  return { content: [{ type: "text", text }], structuredContent: { memory } };
}

async function handle(message) {
  if (message.id === undefined || message.id === null) return; // a notification
  const { id, method, params } = message;
  if (method === "initialize") {
    send({
      jsonrpc: "2.0",
      id,
      result: { protocolVersion: params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "relay-floor", version: "0.0.0" } },
    });
  } else if (method === "tools/call" && params?.name === "get_memory") {
    try {
      send({ jsonrpc: "2.0", id, result: await getMemory(String(params.arguments?.id)) });
    } catch (error) {
      send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: String(error) }], isError: true } });
    }
  } else {
    send({ jsonrpc: "2.0", id, error: { code: -32601, message: `relay-floor does not implement ${method}` } });
  }
}

let buffered = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffered += chunk;
  let start = 0;
  for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n", start)) {
    const line = buffered.slice(start, nl);
    start = nl + 1;
    if (line.trim() !== "") void handle(JSON.parse(line));
  }
  buffered = buffered.slice(start);
});
process.stdin.on("end", () => {
  pool.close().finally(() => process.exit(0));
});
