import { randomBytes } from "node:crypto";
import { constants, promises as fs } from "node:fs";
import path from "node:path";
import { emptyCache, MAX_CACHE_FILE_BYTES, parseCache, serializeCache, type DiscoveryCache } from "./cache.js";
import { parseJson } from "./json.js";

/**
 * The discovery cache's own file in the config dir (not the profile). Many `serve` processes share
 * it: every write is a whole new file renamed into place, so a reader sees the old or the new
 * content, never a mix; concurrent updates may lose one another's change, which a cache can afford.
 * Reads never follow a symlink, never open anything but a regular file (a FIFO would hang a plain
 * read) and stop at MAX_CACHE_FILE_BYTES.
 */

export const DISCOVERY_CACHE_FILE_NAME = "discovery-cache.json";

export function discoveryCachePath(configDir: string): string {
  return path.join(configDir, DISCOVERY_CACHE_FILE_NAME);
}

/** Why the file was not used; the cache then reads as empty and the next write replaces the file. */
export type CacheProblem = "symlink" | "not-a-file" | "too-large" | "unreadable" | "invalid-json";

export interface CacheRead {
  cache: DiscoveryCache;
  problem?: CacheProblem;
  /** The errno code behind "unreadable". */
  code?: string;
}

/** A relative path would name another file in each working directory: never read or written. */
const NOT_ABSOLUTE = "ENOTABSOLUTE";

export async function readDiscoveryCache(file: string): Promise<CacheRead> {
  if (!path.isAbsolute(file)) return { cache: emptyCache(), problem: "unreadable", code: NOT_ABSOLUTE };
  let stat;
  try {
    stat = await fs.lstat(file);
  } catch (error) {
    const code = errnoCode(error);
    return code === "ENOENT" ? { cache: emptyCache() } : { cache: emptyCache(), problem: "unreadable", code };
  }
  if (stat.isSymbolicLink()) return { cache: emptyCache(), problem: "symlink" };
  if (!stat.isFile()) return { cache: emptyCache(), problem: "not-a-file" };
  if (stat.size > MAX_CACHE_FILE_BYTES) return { cache: emptyCache(), problem: "too-large" };

  let text: string | undefined;
  try {
    text = await readRegularFile(file, MAX_CACHE_FILE_BYTES);
  } catch (error) {
    const code = errnoCode(error);
    // The path was swapped for a symlink or a FIFO after lstat: O_NOFOLLOW / fstat caught it.
    if (code === "ELOOP") return { cache: emptyCache(), problem: "symlink" };
    if (code === "ENOTFILE") return { cache: emptyCache(), problem: "not-a-file" };
    return code === "ENOENT" ? { cache: emptyCache() } : { cache: emptyCache(), problem: "unreadable", code };
  }
  if (text === undefined) return { cache: emptyCache(), problem: "too-large" };
  const data = parseJson(text);
  return data === undefined ? { cache: emptyCache(), problem: "invalid-json" } : { cache: parseCache(data) };
}

/** The text of a regular file, or undefined when it holds more than `cap` bytes. */
async function readRegularFile(file: string, cap: number): Promise<string | undefined> {
  // O_NONBLOCK: opening a FIFO must not wait for a writer. Both flags are absent on Windows.
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  const handle = await fs.open(file, flags);
  try {
    if (!(await handle.stat()).isFile()) throw Object.assign(new Error("not a regular file"), { code: "ENOTFILE" });
    const buffer = Buffer.alloc(cap + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled > cap ? undefined : buffer.toString("utf8", 0, filled);
  } finally {
    await handle.close();
  }
}

export type CacheUpdate = { ok: true; cache: DiscoveryCache } | { ok: false; code: string; cache: DiscoveryCache };

/**
 * Reads the latest content, applies `change`, and writes the result atomically. A failure to write
 * is returned, never thrown: nothing depends on the cache being saved.
 */
export async function updateDiscoveryCache(file: string, change: (cache: DiscoveryCache) => DiscoveryCache): Promise<CacheUpdate> {
  const next = change((await readDiscoveryCache(file)).cache);
  if (!path.isAbsolute(file)) return { ok: false, code: NOT_ABSOLUTE, cache: next };
  try {
    await writeAtomically(file, serializeCache(next));
    return { ok: true, cache: next };
  } catch (error) {
    return { ok: false, code: errnoCode(error), cache: next };
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    // "wx": never write through a file (or symlink) someone else put at the temporary name.
    await fs.writeFile(temp, text, { flag: "wx", mode: 0o600 });
    // rename replaces a symlink at `file` itself, never the file it points to.
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

function errnoCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? code : "EIO";
}
