import { z } from "zod";
import { canonicalEndpoint } from "../core/endpoint.js";
import type { DetectedBackend, FoundDetection } from "./types.js";

/**
 * The discovery cache: the remembered endpoint (the last one discovery chose, never a configured
 * one: it lives here, not in the profile, so it cannot turn into one), and per endpoint the
 * detection result, its tool list and, for a remote MCP server, its last `initialize` answer (so
 * that a proxy can answer `initialize` at once while the server is slow or down). Pure functions
 * over the parsed file; the file itself is read and written by cache-file.ts.
 */

export const DETECTION_TTL_MS = 24 * 60 * 60 * 1000;
/** Whole file, on read and on write. */
export const MAX_CACHE_FILE_BYTES = 1024 * 1024;
export const MAX_CACHED_ENDPOINTS = 16;
/** A serialized tool list larger than this is not cached. */
export const MAX_TOOL_LIST_BYTES = 128 * 1024;
/** A serialized initialize answer larger than this is not cached. */
export const MAX_SERVER_INIT_BYTES = 32 * 1024;

const BACKENDS = ["mcp-memory-service", "mem0", "mem0-platform", "mcp"] as const satisfies readonly DetectedBackend[];
const Url = z.string().max(2048);
const Time = z.number().int().nonnegative();

const CachedDetectionSchema = z.object({
  backend: z.enum(BACKENDS),
  /** Where the API is (differs from the entry's key when the probed URL needed a correction). */
  endpoint: Url,
  version: z.string().max(200).optional(),
  authRequired: z.boolean().optional(),
  at: Time,
});
const ToolListSchema = z.object({ at: Time, list: z.array(z.unknown()).max(1000) });
const ServerInitSchema = z.object({
  at: Time,
  protocolVersion: z.string().max(40),
  capabilities: z.record(z.string(), z.unknown()),
  serverInfo: z.object({ name: z.string().max(200), version: z.string().max(200), title: z.string().max(200).optional() }),
  instructions: z.string().max(16 * 1024).optional(),
});
const EntrySchema = z.object({
  detection: CachedDetectionSchema.optional(),
  tools: ToolListSchema.optional(),
  server: ServerInitSchema.optional(),
});
const RememberedSchema = z.object({ endpoint: Url, at: Time });

export type CachedDetection = z.infer<typeof CachedDetectionSchema>;
export type CachedToolList = z.infer<typeof ToolListSchema>;
export type CachedServerInit = z.infer<typeof ServerInitSchema>;
export type CacheEntry = z.infer<typeof EntrySchema>;

export interface DiscoveryCache {
  version: 1;
  remembered?: { endpoint: string; at: number };
  endpoints: Record<string, CacheEntry>;
}

export function emptyCache(): DiscoveryCache {
  return { version: 1, endpoints: {} };
}

/** Keeps what is valid: a bad entry is dropped on its own. Unknown versions read as empty (a cache can be rebuilt). */
export function parseCache(data: unknown): DiscoveryCache {
  const cache = emptyCache();
  if (typeof data !== "object" || data === null || (data as { version?: unknown }).version !== 1) return cache;
  const raw = data as { remembered?: unknown; endpoints?: unknown };
  const remembered = RememberedSchema.safeParse(raw.remembered);
  if (remembered.success && isCanonical(remembered.data.endpoint)) cache.remembered = remembered.data;
  if (typeof raw.endpoints === "object" && raw.endpoints !== null) {
    for (const [key, value] of Object.entries(raw.endpoints).slice(0, MAX_CACHED_ENDPOINTS * 4)) {
      const entry = EntrySchema.safeParse(value);
      if (entry.success && isCanonical(key)) cache.endpoints[key] = entry.data;
    }
  }
  return cache;
}

/**
 * JSON of at most MAX_CACHE_FILE_BYTES: the least recently touched endpoints are dropped first,
 * beyond MAX_CACHED_ENDPOINTS or until it fits. The remembered endpoint's entry goes last.
 */
export function serializeCache(cache: DiscoveryCache): string {
  const keep = Object.entries(cache.endpoints).sort(([ka, a], [kb, b]) => rank(kb, b, cache) - rank(ka, a, cache));
  keep.length = Math.min(keep.length, MAX_CACHED_ENDPOINTS);
  for (;;) {
    const text = `${JSON.stringify({ ...cache, endpoints: Object.fromEntries(keep) })}\n`;
    if (Buffer.byteLength(text) <= MAX_CACHE_FILE_BYTES || keep.length === 0) return text;
    keep.pop();
  }
}

function rank(key: string, entry: CacheEntry, cache: DiscoveryCache): number {
  if (key === cache.remembered?.endpoint) return Number.MAX_SAFE_INTEGER;
  return Math.max(entry.detection?.at ?? 0, entry.tools?.at ?? 0, entry.server?.at ?? 0);
}

export function rememberEndpoint(cache: DiscoveryCache, endpoint: string, now: number): DiscoveryCache {
  return { ...cache, remembered: { endpoint: canonicalEndpoint(endpoint), at: now } };
}

/** Forgets the remembered endpoint, only if it is still `endpoint` (another process may have remembered a newer one). */
export function forgetRemembered(cache: DiscoveryCache, endpoint: string): DiscoveryCache {
  if (cache.remembered?.endpoint !== canonicalEndpoint(endpoint)) return cache;
  const { remembered: _dropped, ...rest } = cache;
  return rest;
}

/** Records a detection under the URL probed and, when corrected, under the endpoint it led to. */
export function recordDetection(cache: DiscoveryCache, found: FoundDetection, now: number): DiscoveryCache {
  const detection: CachedDetection = {
    backend: found.backend,
    endpoint: found.endpoint,
    ...(found.version === undefined ? {} : { version: found.version.slice(0, 200) }),
    ...(found.authRequired === undefined ? {} : { authRequired: found.authRequired }),
    at: now,
  };
  const endpoints = { ...cache.endpoints };
  for (const key of new Set([found.input, found.endpoint])) endpoints[key] = { ...endpoints[key], detection };
  return { ...cache, endpoints };
}

/** The detection recorded for `url` within `ttlMs`, else undefined. */
export function cachedDetection(cache: DiscoveryCache, url: string, now: number, ttlMs = DETECTION_TTL_MS): CachedDetection | undefined {
  const detection = entryFor(cache, url)?.detection;
  return detection !== undefined && isFresh(detection.at, now, ttlMs) ? detection : undefined;
}

/** Drops what is known about `url` (e.g. a known route answered 404: the server may have changed). */
export function forgetDetection(cache: DiscoveryCache, url: string): DiscoveryCache {
  const key = keyOf(url);
  if (key === undefined || cache.endpoints[key] === undefined) return cache;
  const { [key]: entry, ...others } = cache.endpoints;
  const { detection: _dropped, ...rest } = entry ?? {};
  return { ...cache, endpoints: { ...others, [key]: rest } };
}

/** Stores the tool list an endpoint's server offered; a list over MAX_TOOL_LIST_BYTES is not stored. */
export function setToolList(cache: DiscoveryCache, url: string, list: unknown[], now: number): DiscoveryCache {
  const key = canonicalEndpoint(url);
  if (Buffer.byteLength(JSON.stringify(list)) > MAX_TOOL_LIST_BYTES) return cache;
  return { ...cache, endpoints: { ...cache.endpoints, [key]: { ...cache.endpoints[key], tools: { at: now, list } } } };
}

export function cachedToolList(cache: DiscoveryCache, url: string, now: number, ttlMs = DETECTION_TTL_MS): CachedToolList | undefined {
  const tools = entryFor(cache, url)?.tools;
  return tools !== undefined && isFresh(tools.at, now, ttlMs) ? tools : undefined;
}

/** Stores a remote MCP server's initialize answer; one over MAX_SERVER_INIT_BYTES is not stored. */
export function setServerInit(cache: DiscoveryCache, url: string, init: Omit<CachedServerInit, "at">, now: number): DiscoveryCache {
  const parsed = ServerInitSchema.safeParse({ ...init, at: now });
  if (!parsed.success || Buffer.byteLength(JSON.stringify(parsed.data)) > MAX_SERVER_INIT_BYTES) return cache;
  const key = canonicalEndpoint(url);
  return { ...cache, endpoints: { ...cache.endpoints, [key]: { ...cache.endpoints[key], server: parsed.data } } };
}

export function cachedServerInit(cache: DiscoveryCache, url: string, now: number, ttlMs = DETECTION_TTL_MS): CachedServerInit | undefined {
  const server = entryFor(cache, url)?.server;
  return server !== undefined && isFresh(server.at, now, ttlMs) ? server : undefined;
}

function entryFor(cache: DiscoveryCache, url: string): CacheEntry | undefined {
  const key = keyOf(url);
  return key === undefined || !Object.hasOwn(cache.endpoints, key) ? undefined : cache.endpoints[key];
}

/** A clock set back makes an entry stale, not fresh for ever. */
function isFresh(at: number, now: number, ttlMs: number): boolean {
  return at <= now && now - at < ttlMs;
}

function keyOf(url: string): string | undefined {
  try {
    return canonicalEndpoint(url);
  } catch {
    return undefined;
  }
}

function isCanonical(url: string): boolean {
  return keyOf(url) === url;
}
