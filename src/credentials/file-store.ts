import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { BridgeError } from "../core/errors.js";
import type { Logger } from "../log.js";
import { chmodRegularFile, FileReadError, readRegularFile, type FileProblem } from "../core/regular-file.js";
import type { TokenStore } from "./token-store.js";

/**
 * The insecure store: `{ "<endpoint>": "<token>" }` in `<configDir>/credentials.json`, mode 0600.
 * Used only when the user asks for it (`login --insecure-storage`) or, at lookup, when the file
 * already exists. A read and a write of a token each log a warning once per process (never the token). Writes
 * are atomic (temporary file in the same directory, then rename); a file that is not a JSON object
 * of strings is reported, never overwritten.
 *
 * It is read as a file (see regular-file.ts): a symbolic link is refused, never followed (its
 * target could be any file, whose mode the 0600 fix would change), and so are a FIFO, a device or
 * a file over 1 MiB; the read gives up after 2 s.
 */

export const CREDENTIALS_FILE_NAME = "credentials.json";
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const MAX_FILE_BYTES = 1024 * 1024;
const READ_TIMEOUT_MS = 2_000;

export function credentialsFilePath(configDir: string): string {
  return path.join(configDir, CREDENTIALS_FILE_NAME);
}

/**
 * The credentials file is unreadable (code token-file-unreadable), not what this store writes
 * (token-file-invalid), not a file it will read (token-file-symlink, -not-regular, -too-large, -timeout)
 * or could not be written (token-file-unwritable). The message never quotes its content.
 */
export class CredentialsFileError extends BridgeError {
  override name = "CredentialsFileError";
  constructor(
    code: `token-file-${"unreadable" | "invalid" | "unwritable" | Exclude<FileProblem, "unreadable">}`,
    message: string,
    readonly path: string,
  ) {
    super(message, { code });
  }
}

export interface FileStoreOptions {
  configDir: string;
  logger?: Logger;
  /** Modes are not enforced on Windows (no POSIX permissions). */
  platform?: NodeJS.Platform;
  /** How to name `login` so the warning's command runs as printed (e.g. "npx mcp-memory-bridge login"). */
  loginCommand?: string;
}

export interface FileTokenStore extends TokenStore {
  readonly name: "file";
  readonly path: string;
}

type Tokens = Record<string, string>;

/** Files already warned about in this process: the warning is said once, not on every lookup. */
const warned = new Set<string>();

export function createFileStore(options: FileStoreOptions): FileTokenStore {
  const { configDir, logger } = options;
  const platform = options.platform ?? process.platform;
  const file = credentialsFilePath(configDir);
  const posix = platform !== "win32";
  const login = options.loginCommand ?? "login";

  /** Once per process for reads and once for writes: a sentence, with the command that moves the token. */
  function warnOnce(use: "read" | "written", account: string): void {
    if (logger === undefined || warned.has(`${use} ${file}`)) return;
    warned.add(`${use} ${file}`);
    logger.warn(
      `The token for ${account} was ${use === "read" ? "read from" : "written to"} the insecure token file ${file}, which any program running as you can read. ` +
        `To move it into the OS keychain${use === "written" ? " once there is one" : ""}, run \`${login} ${account}\`.`,
    );
  }

  /** Only once the file is known to be a token file, and only the file itself (never a link's target). */
  async function ensureMode(mode: number): Promise<void> {
    if (!posix || mode === FILE_MODE) return;
    if (!(await chmodRegularFile(file, FILE_MODE).catch(() => false))) return;
    logger?.warn("the insecure token file was readable by others; its mode is now 0600", { path: file, was: mode.toString(8).padStart(4, "0") });
  }

  /** undefined when the file does not exist. */
  async function read(): Promise<Tokens | undefined> {
    let text: string;
    let mode: number;
    try {
      const read = await readRegularFile(file, { maxBytes: MAX_FILE_BYTES, noFollow: true, timeoutMs: READ_TIMEOUT_MS });
      if (read === undefined) return undefined;
      ({ text, mode } = read);
    } catch (error) {
      if (error instanceof FileReadError && error.problem !== "unreadable") throw new CredentialsFileError(`token-file-${error.problem}`, fileProblem(file, error.problem), file);
      const code = error instanceof FileReadError ? error.code : (error as NodeJS.ErrnoException).code;
      throw new CredentialsFileError("token-file-unreadable", `Cannot read the token file ${file} (${code ?? "error"}); fix its permissions or delete it.`, file);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // JSON.parse's message quotes the text, which may hold a token: never pass it on.
      throw new CredentialsFileError("token-file-invalid", `The token file ${file} is not valid JSON.`, file);
    }
    if (typeof data !== "object" || data === null || Array.isArray(data) || !Object.values(data).every((v) => typeof v === "string")) {
      throw new CredentialsFileError("token-file-invalid", `The token file ${file} is not a JSON object of endpoint → token strings.`, file);
    }
    await ensureMode(mode);
    return data as Tokens;
  }

  async function writeAtomically(tokens: Tokens): Promise<void> {
    await fs.mkdir(configDir, { recursive: true, mode: DIR_MODE });
    const temp = path.join(configDir, `.${CREDENTIALS_FILE_NAME}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(temp, "wx", FILE_MODE);
      if (posix) await handle.chmod(FILE_MODE); // the umask may have removed bits; make it exactly 0600
      await handle.writeFile(`${JSON.stringify(tokens, null, 2)}\n`, "utf8");
      await handle.sync();
      await handle.close();
      handle = undefined;
      await fs.rename(temp, file);
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await fs.rm(temp, { force: true }).catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code;
      throw new CredentialsFileError("token-file-unwritable", `Cannot write the token file ${file} (${code ?? (error as Error).message}).`, file);
    }
  }

  return {
    name: "file",
    path: file,

    async get(account) {
      const tokens = await read();
      const token = tokens !== undefined && Object.hasOwn(tokens, account) ? tokens[account] : undefined;
      if (token !== undefined) warnOnce("read", account);
      return token;
    },

    async set(account, token) {
      const tokens = (await read()) ?? {};
      tokens[account] = token;
      await writeAtomically(tokens);
      warnOnce("written", account);
    },

    async delete(account) {
      const tokens = await read();
      if (tokens === undefined || !Object.hasOwn(tokens, account)) return false;
      delete tokens[account];
      if (Object.keys(tokens).length === 0) {
        await fs.rm(file, { force: true });
      } else {
        await writeAtomically(tokens);
      }
      logger?.info("token removed from the insecure file", { path: file, endpoint: account });
      return true;
    },
  };
}

/** What is wrong with the file (the edge adds how to replace it). */
function fileProblem(file: string, problem: Exclude<FileProblem, "unreadable">): string {
  switch (problem) {
    case "symlink":
      return `The token file ${file} is a symbolic link, which the bridge does not follow (it could point at any file).`;
    case "not-regular":
      return `The token file ${file} is not a regular file (a FIFO, a device or a directory).`;
    case "too-large":
      return `The token file ${file} is larger than ${MAX_FILE_BYTES} bytes, far more than a token file holds.`;
    case "timeout":
      return `The token file ${file} could not be read within ${READ_TIMEOUT_MS / 1000} s.`;
  }
}
