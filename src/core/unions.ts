/**
 * The small vocabularies several layers share (settings, backends, credentials, logging). They
 * live here, below every feature folder, so none of those folders has to import another for a type.
 */

export const BACKEND_FLAVOURS = ["mcp-memory-service", "mem0", "mem0-platform"] as const;
/** A memory server's REST API that a backend in backends/ speaks. */
export type BackendFlavour = (typeof BACKEND_FLAVOURS)[number];

/**
 * The remote MCP server mode (src/proxy/): not a REST flavour, its tools are passed through as
 * the server has them.
 */
export const PROXY_BACKEND = "mcp";
/** What --backend takes. */
export const BACKEND_CHOICES = ["auto", ...BACKEND_FLAVOURS, PROXY_BACKEND] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const AUTH_SCHEMES = ["bearer", "x-api-key", "token", "x-mcp-token"] as const;
/**
 * How the token is sent: `Authorization: Bearer …`, `X-API-Key: …`, `Authorization: Token …`, or
 * (the Mem0 MCP server) `X-MCP-Token: …` with `X-MCP-UserID: <user id>`.
 */
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

export const PROJECT_MODES = ["auto", "manual", "global"] as const;
export type ProjectMode = (typeof PROJECT_MODES)[number];

export const PROJECT_KEYS = ["remote", "path"] as const;
/** What identifies a project in auto mode: its git remote, or its path. */
export type ProjectKeyMode = (typeof PROJECT_KEYS)[number];

export const LOG_LEVELS = ["error", "warn", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where a setting's value came from; "default" when nothing set it. */
export type SettingSource = "flag" | "env" | "profile" | "default";
