import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { cachedServerInit, cachedToolList, setServerInit, setToolList } from "../discovery/cache.js";
import { readDiscoveryCache, updateDiscoveryCache } from "../discovery/cache-file.js";
import type { Logger } from "../log.js";
import type { RemoteInit } from "./remote-session.js";
import type { CachedRemote, RemoteCache } from "./types.js";

/**
 * A stale list still beats none while the server is down: the proxy's entries stay usable far
 * longer than a detection does.
 */
export const PROXY_CACHE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** The proxy's memory of one endpoint in the discovery cache file (src/discovery/cache-file.ts). */
export function fileRemoteCache(file: string, endpoint: string, logger?: Logger, now: () => number = Date.now): RemoteCache {
  // One write at a time: each reads the file, changes it and renames a new one into place, so
  // two at once would lose one change.
  let queue: Promise<void> = Promise.resolve();
  const write = (what: string, change: Parameters<typeof updateDiscoveryCache>[1]): Promise<void> => {
    queue = queue.then(async () => {
      const result = await updateDiscoveryCache(file, change);
      if (!result.ok) logger?.debug("could not write the discovery cache", { what, code: result.code });
    });
    return queue;
  };
  return {
    async load(): Promise<CachedRemote | undefined> {
      const { cache } = await readDiscoveryCache(file);
      const server = cachedServerInit(cache, endpoint, now(), PROXY_CACHE_TTL_MS);
      const tools = cachedToolList(cache, endpoint, now(), PROXY_CACHE_TTL_MS);
      if (server === undefined && tools === undefined) return undefined;
      const { at: _at, ...init } = server ?? { at: 0 };
      return {
        ...(server === undefined ? {} : { server: init as RemoteInit }),
        ...(tools === undefined ? {} : { tools: tools.list as Tool[] }),
      };
    },
    saveServer: (init) => write("server", (cache) => setServerInit(cache, endpoint, init, now())),
    saveTools: (tools) => write("tools", (cache) => setToolList(cache, endpoint, tools, now())),
  };
}
