import * as fsp from "node:fs/promises";
import { resolve as resolvePath } from "node:path";
import { readRegularFile } from "../core/regular-file.js";

/** git config and `.git` files are small; a bigger one, or one that will not be read in time, is ignored. */
const MAX_GIT_FILE_BYTES = 1024 * 1024;
const GIT_FILE_TIMEOUT_MS = 2_000;

/** The filesystem calls project resolution makes; tests may pass their own. */
export interface ProjectFs {
  readFile(path: string, encoding: "utf8"): Promise<string>;
  stat(path: string): Promise<{ isDirectory(): boolean; isFile(): boolean }>;
  realpath(path: string): Promise<string>;
}

export const nodeProjectFs: ProjectFs = {
  async readFile(path) {
    const read = await readRegularFile(path, { maxBytes: MAX_GIT_FILE_BYTES, timeoutMs: GIT_FILE_TIMEOUT_MS });
    if (read === undefined) throw Object.assign(new Error(`${path} does not exist`), { code: "ENOENT" });
    return read.text;
  },
  stat: (path) => fsp.stat(path),
  realpath: (path) => fsp.realpath(path),
};

/** The file's text, or undefined when it is missing or unreadable. */
export async function readOrUndefined(path: string, fs: ProjectFs): Promise<string | undefined> {
  try {
    return await fs.readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

/** The real path, or the resolved path as given when it cannot be resolved (e.g. it does not exist). */
export async function realpathOrResolved(path: string, fs: ProjectFs): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch {
    return resolvePath(path);
  }
}
