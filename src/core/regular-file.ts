import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from "node:fs";
import { lstat, open, type FileHandle } from "node:fs/promises";

/**
 * Files the bridge reads (the saved profile, the token file, a CA file, git config) are read as
 * files: opened without blocking (opening a FIFO would wait for a writer, and a thread blocked in
 * open() keeps even SIGTERM from ending the process), accepted only when they are regular files
 * (not a FIFO, a device such as /dev/zero, a socket or a directory), read up to a size cap, and —
 * asynchronously — within a time bound. With `noFollow` a symbolic link is refused rather than
 * followed (O_NOFOLLOW; an lstat check where the OS has no such flag).
 */

export type FileProblem =
  /** A symbolic link, with noFollow. */
  | "symlink"
  /** A FIFO, device, socket or directory. */
  | "not-regular"
  | "too-large"
  | "timeout"
  /** Any other error from the OS; `code` says which (EACCES…). */
  | "unreadable";

/** Why a file could not be read: facts for the caller to word. Absence (ENOENT) is not an error. */
export class FileReadError extends Error {
  override name = "FileReadError";

  constructor(
    readonly path: string,
    readonly problem: FileProblem,
    readonly code?: string,
  ) {
    super(`${path}: ${problem}${code === undefined ? "" : ` (${code})`}`);
  }
}

export interface ReadFileOptions {
  maxBytes: number;
  /** Refuse a symbolic link instead of following it. */
  noFollow?: boolean;
}

export interface AsyncReadFileOptions extends ReadFileOptions {
  /** Give up after this long (the read itself may finish later, unseen). */
  timeoutMs: number;
}

export interface RegularFile {
  text: string;
  /** Permission bits of the file read (e.g. 0o600). */
  mode: number;
}

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCK = constants.O_NONBLOCK ?? 0;

function flags(noFollow: boolean | undefined): number {
  return constants.O_RDONLY | NON_BLOCK | (noFollow ? NO_FOLLOW : 0);
}

function asProblem(path: string, error: unknown, noFollow: boolean | undefined): FileReadError | undefined {
  if (error instanceof FileReadError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return undefined;
  // O_NOFOLLOW on a symbolic link fails with ELOOP (EMLINK on some BSDs).
  if (noFollow && (code === "ELOOP" || code === "EMLINK")) return new FileReadError(path, "symlink");
  if (code === "EISDIR") return new FileReadError(path, "not-regular");
  return new FileReadError(path, "unreadable", code ?? String(error));
}

const CHUNK_BYTES = 64 * 1024;

/** Reads with `read` until the end or past `maxBytes` (then FileReadError); `size` is only a hint. */
function readCapped(path: string, maxBytes: number, size: number, read: (buffer: Buffer, offset: number) => number): string {
  let buffer = Buffer.alloc(Math.min(maxBytes, Math.max(size, CHUNK_BYTES)) + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > maxBytes) throw new FileReadError(path, "too-large");
      const grown = Buffer.alloc(Math.min(maxBytes + 1, buffer.length * 2));
      buffer.copy(grown);
      buffer = grown;
    }
    const n = read(buffer, length);
    if (n === 0) break;
    length += n;
  }
  if (length > maxBytes) throw new FileReadError(path, "too-large");
  return buffer.toString("utf8", 0, length);
}

function check(path: string, stats: Stats, maxBytes: number): void {
  if (!stats.isFile()) throw new FileReadError(path, "not-regular");
  if (stats.size > maxBytes) throw new FileReadError(path, "too-large");
}

/** The file's text; undefined when it does not exist. Throws FileReadError. For start-up reads. */
export function readRegularFileSync(path: string, options: ReadFileOptions): RegularFile | undefined {
  let fd: number | undefined;
  try {
    if (options.noFollow && NO_FOLLOW === 0 && lstatSync(path).isSymbolicLink()) throw new FileReadError(path, "symlink");
    fd = openSync(path, flags(options.noFollow));
    const stats = fstatSync(fd);
    check(path, stats, options.maxBytes);
    const handle = fd;
    const text = readCapped(path, options.maxBytes, stats.size, (buffer, offset) => readSync(handle, buffer, offset, buffer.length - offset, null));
    return { text, mode: stats.mode & 0o777 };
  } catch (error) {
    const problem = asProblem(path, error, options.noFollow);
    if (problem === undefined) return undefined;
    throw problem;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The file's text; undefined when it does not exist. Throws FileReadError, at the latest after `timeoutMs`. */
export async function readRegularFile(path: string, options: AsyncReadFileOptions): Promise<RegularFile | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FileReadError(path, "timeout")), options.timeoutMs);
  });
  const reading = readAsync(path, options);
  reading.catch(() => undefined); // settles unseen after a timeout
  try {
    return await Promise.race([reading, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function readAsync(path: string, options: ReadFileOptions): Promise<RegularFile | undefined> {
  let handle: FileHandle | undefined;
  try {
    if (options.noFollow && NO_FOLLOW === 0 && (await lstat(path)).isSymbolicLink()) throw new FileReadError(path, "symlink");
    handle = await open(path, flags(options.noFollow));
    const stats = await handle.stat();
    check(path, stats, options.maxBytes);
    const opened = handle;
    const chunks: Buffer[] = [];
    let length = 0;
    // Read to the end or past the cap, not to the size stat gave: a file may grow while it is read.
    for (;;) {
      const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, options.maxBytes + 1 - length));
      const { bytesRead } = await opened.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      length += bytesRead;
      if (length > options.maxBytes) throw new FileReadError(path, "too-large");
    }
    return { text: Buffer.concat(chunks, length).toString("utf8"), mode: stats.mode & 0o777 };
  } catch (error) {
    const problem = asProblem(path, error, options.noFollow);
    if (problem === undefined) return undefined;
    throw problem;
  } finally {
    await handle?.close();
  }
}

/**
 * Sets the mode of the file at `path` itself, never of what a link there points to: it is opened
 * with O_NOFOLLOW (and without blocking) and changed through that descriptor. False when `path` is
 * not a regular file any more.
 */
export async function chmodRegularFile(path: string, mode: number): Promise<boolean> {
  if (NO_FOLLOW === 0 && (await lstat(path)).isSymbolicLink()) return false;
  const handle = await open(path, constants.O_RDONLY | NON_BLOCK | NO_FOLLOW);
  try {
    if (!(await handle.stat()).isFile()) return false;
    await handle.chmod(mode);
    return true;
  } finally {
    await handle.close();
  }
}
