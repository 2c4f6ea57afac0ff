import type { BackendFlavour } from "../backends/types.js";
import type { LogLevel } from "../log.js";
import type { ProjectMode } from "../project/types.js";

export type AuthScheme = "bearer" | "x-api-key" | "token";
export type SettingSource = "flag" | "env" | "profile" | "default";

/** Every setting of contracts/cli.md except the token (credentials/ owns that). Frozen. */
export interface Settings {
  /** Canonical endpoint URL, or undefined when none is configured (discovery may find one). */
  endpoint: string | undefined;
  endpointSource: SettingSource;
  backend: "auto" | BackendFlavour;
  authScheme: AuthScheme | undefined;
  userId: string;
  projectMode: ProjectMode;
  projectId: string | undefined;
  projectKey: "remote" | "path";
  discovery: boolean;
  timeoutMs: number;
  /** Largest response body read from the memory server, in bytes. */
  maxResponseBytes: number;
  /** Most connections open at once to the server's origin. */
  maxConnections: number;
  /** Longest JSON-RPC message (one stdin line) accepted from the MCP client, in bytes. */
  maxMessageBytes: number;
  allowHttp: boolean;
  caFile: string | undefined;
  logLevel: LogLevel;
  /** Where the saved profile (conf) lives: MEMORY_BRIDGE_CONFIG_DIR or the OS config dir. */
  configDir: string;
}

/** Flags as parsed from argv, before merging. */
export interface SettingFlags {
  endpoint?: string;
  backend?: string;
  authScheme?: string;
  userId?: string;
  projectMode?: string;
  project?: string;
  projectKey?: string;
  discovery?: boolean;
  timeout?: string;
  maxResponseBytes?: string;
  maxConnections?: string;
  maxMessageBytes?: string;
  allowHttp?: boolean;
  caFile?: string;
  logLevel?: string;
}
