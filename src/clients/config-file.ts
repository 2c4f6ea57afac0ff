import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";

/** Client configs are small; ~/.claude.json grows with history but stays far below this. */
export const MAX_CONFIG_BYTES = 32 * 1024 * 1024;

export interface ConfigText {
  /** Where the bytes really are (a symlinked config, as dotfile managers make, is edited at its target). */
  path: string;
  exists: boolean;
  /** The content without a UTF-8 byte-order mark. */
  text: string;
  /** The exact bytes read, for the .bak and to detect a concurrent change. */
  raw: Buffer;
  bom: boolean;
  mode: number | undefined;
}

export class ConfigFileTooLargeError extends Error {
  override name = "ConfigFileTooLargeError";
  constructor(readonly file: string, readonly bytes: number) {
    super(`${file} is ${bytes} bytes, more than ${MAX_CONFIG_BYTES}`);
  }
}

export function readConfigText(file: string): ConfigText {
  let real = file;
  try {
    real = realpathSync(file);
  } catch {
    // missing: written where asked
  }
  let raw: Buffer;
  let mode: number | undefined;
  try {
    const stat = statSync(real);
    if (stat.size > MAX_CONFIG_BYTES) throw new ConfigFileTooLargeError(real, stat.size);
    mode = stat.mode & 0o777;
    raw = readFileSync(real);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return { path: real, exists: false, text: "", raw: Buffer.alloc(0), bom: false, mode: undefined };
  }
  const decoded = raw.toString("utf8");
  const bom = decoded.startsWith("\uFEFF");
  return { path: real, exists: true, text: bom ? decoded.slice(1) : decoded, raw, bom, mode };
}

function writeAtomic(file: string, data: Buffer | string, mode: number | undefined): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temp, "wx", mode ?? 0o600);
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
}

export interface WriteOutcome {
  /** Where the previous content was kept, when there was a file before. */
  backup?: string;
  /** False when the file changed on disk after it was read (nothing was written then). */
  written: boolean;
}

/**
 * Replaces the config with `text` — temp file + rename, so a reader never sees half a file — after
 * keeping the previous bytes in `<file>.bak`. Writes nothing when the file no longer holds what
 * `before` read (a client rewrote it meanwhile): the caller edits the new content instead.
 */
export function writeConfigText(before: ConfigText, text: string): WriteOutcome {
  const now = readConfigText(before.path);
  if (now.exists !== before.exists || !now.raw.equals(before.raw)) return { written: false };
  mkdirSync(path.dirname(before.path), { recursive: true });
  let backup: string | undefined;
  if (before.exists) {
    backup = `${before.path}.bak`;
    writeAtomic(backup, before.raw, before.mode);
  }
  writeAtomic(before.path, before.bom ? `\uFEFF${text}` : text, before.mode);
  return { written: true, ...(backup !== undefined && { backup }) };
}
