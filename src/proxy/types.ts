import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { ProxyFact } from "./errors.js";
import type { RemoteInit, TransportKind } from "./remote-session.js";

/** The credential and extra headers for the remote; read again on each new session. */
export interface ProxyCredentials {
  /** Carry the token: sent only to the endpoint's origin, redacted from every log line. */
  secret: Record<string, string>;
  /** Not secret: X-MCP-UserID and the user's --header ones. */
  plain: Record<string, string>;
}

/** What the last sessions with this endpoint taught, kept between processes. */
export interface CachedRemote {
  server?: RemoteInit;
  /** The remote's last complete tool list (without memory_status). */
  tools?: Tool[];
}

/** The proxy's memory of the remote (src/proxy/file-cache.ts keeps it in the discovery cache file). */
export interface RemoteCache {
  load(): Promise<CachedRemote | undefined>;
  saveServer(init: RemoteInit): Promise<void>;
  saveTools(tools: Tool[]): Promise<void>;
}

/** What memory_status reports in proxy mode. Never the token or any part of it. */
export interface ProxyStatus {
  endpoint: string;
  backend: "mcp";
  /** "mem0-mcp" once the server is known to be the Mem0 MCP server, "mcp" for another one, null while unknown. */
  server_kind: "mem0-mcp" | "mcp" | null;
  transport: TransportKind | null;
  /** The server answered (even if only to refuse the token). */
  reachable: boolean;
  /** An MCP session is established. */
  session: boolean;
  latency_ms?: number;
  /** The remote's own tools (memory_status not counted). */
  tools?: number;
  /** Checked with the cheapest authenticated call (Mem0 MCP server), or false after a refusal. */
  token_accepted?: boolean;
  server?: { name: string; version: string };
  problem?: ProxyFact;
  version: string;
  [extra: string]: unknown;
}

/** The sentences a person or a model reads; written at the edge (src/mcp/proxy-messages.ts). */
export interface ProxyWords {
  /** The text of a failed tool call's result (and of a JSON-RPC error for other requests). */
  failure(fact: ProxyFact): string;
  /** memory_status's text. */
  status(status: ProxyStatus): string;
}
