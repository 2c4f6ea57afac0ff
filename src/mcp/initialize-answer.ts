import { PACKAGE_NAME, VERSION } from "../version.js";

/**
 * What this server answers to `initialize`, without the MCP SDK: the bin answers it from here
 * before the SDK and zod have loaded (src/serve-start.ts), and server.ts gives the SDK's server the
 * same instructions and capabilities. A test holds both answers equal for every protocol version
 * the SDK supports.
 */

/** The SDK's SUPPORTED_PROTOCOL_VERSIONS, newest first (its LATEST_PROTOCOL_VERSION is the first). */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"];

export const SERVER_CAPABILITIES = { tools: { listChanged: true } } as const;

export const INSTRUCTIONS =
  "Long-term memory shared across conversations. Search it (search_memories) before answering questions about earlier " +
  "decisions, conventions or preferences, and store durable facts worth keeping (store_memory). Memories are scoped to the " +
  "current project unless the bridge runs in global mode. If a memory tool fails, memory_status explains the setup.";

export type RequestId = string | number;

export interface EarlyAnswer {
  id: RequestId;
  /** The reply exactly as the SDK's server would write it, newline included. */
  line: string;
}

/**
 * The answer to a first stdin line that is a plain `initialize` request, or undefined for anything
 * else (other messages, unusual members, shapes the SDK might refuse): those are left to the SDK.
 * Strict on purpose: answering something the SDK would have refused cannot be taken back.
 */
export function earlyInitializeAnswer(text: string): EarlyAnswer | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(message) || !onlyKeys(message, ["jsonrpc", "id", "method", "params"])) return undefined;
  const { jsonrpc, id, method, params } = message;
  if (jsonrpc !== "2.0" || method !== "initialize" || !isRequestId(id)) return undefined;
  if (!isPlainObject(params) || !onlyKeys(params, ["protocolVersion", "capabilities", "clientInfo"])) return undefined;
  const { protocolVersion, capabilities, clientInfo } = params;
  if (typeof protocolVersion !== "string" || !plainClientInfo(clientInfo) || !plainCapabilities(capabilities)) return undefined;
  const result = {
    protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(protocolVersion) ? protocolVersion : SUPPORTED_PROTOCOL_VERSIONS[0],
    capabilities: SERVER_CAPABILITIES,
    serverInfo: { name: PACKAGE_NAME, version: VERSION },
    instructions: INSTRUCTIONS,
  };
  return { id, line: `${JSON.stringify({ result, jsonrpc: "2.0", id })}\n` };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(value).every((key) => allowed.includes(key));
}

function isRequestId(value: unknown): value is RequestId {
  return typeof value === "string" || (typeof value === "number" && Number.isSafeInteger(value));
}

function plainClientInfo(value: unknown): boolean {
  if (!isPlainObject(value) || !onlyKeys(value, ["name", "version", "title"])) return false;
  return typeof value.name === "string" && typeof value.version === "string" && (value.title === undefined || typeof value.title === "string");
}

/**
 * Capabilities made only of objects (`{"roots":{"listChanged":true},"sampling":{}}`), which every
 * capability the SDK knows accepts; roots' listChanged and elicitation's form.applyDefaults are the
 * booleans it allows.
 */
function plainCapabilities(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  return Object.entries(value).every(([key, capability]) => {
    if (!isPlainObject(capability)) return false;
    if (key === "roots") return Object.entries(capability).every(([field, v]) => (field === "listChanged" ? typeof v === "boolean" : objectTree(v)));
    if (key === "elicitation") {
      return Object.entries(capability).every(([field, v]) =>
        field === "form" && isPlainObject(v)
          ? Object.entries(v).every(([option, w]) => (option === "applyDefaults" ? typeof w === "boolean" : objectTree(w)))
          : objectTree(v),
      );
    }
    return objectTree(capability);
  });
}

/** An object whose members are all objects of the same kind, down to empty ones; bounded in depth. */
function objectTree(value: unknown, depth = 0): boolean {
  return depth < 8 && isPlainObject(value) && Object.values(value).every((member) => objectTree(member, depth + 1));
}
