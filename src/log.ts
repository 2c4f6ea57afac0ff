import { isSensitiveKey, REDACTED, redactText, SecretRedactor } from "./core/secrets.js";
import type { LogLevel } from "./core/unions.js";

export interface Logger {
  readonly level: LogLevel;
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Every later line has each occurrence of `secret` replaced by a redaction marker. */
  addSecret(secret: string): void;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Receives each line without its trailing newline. Default: stderr (never stdout: it is the MCP protocol). */
  write?: (line: string) => void;
  /**
   * The process's secrets registry, shared with everything else that redacts (or a list of
   * secrets for a logger of its own). Its secrets, and later addSecret() calls, are redacted from every line.
   */
  secrets?: SecretRedactor | readonly string[];
}

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

const writeToStderr = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** JSON replacer: redacts fields named like credentials at any depth and makes odd values printable. */
function safeReplacer(secrets: SecretRedactor) {
  return function (this: unknown, key: string, value: unknown): unknown {
    if (key !== "" && isSensitiveKey(key) && value !== undefined) return REDACTED;
    if (typeof value === "string") return redactText(value, secrets);
    if (typeof value === "bigint") return value.toString();
    if (value instanceof Error) {
      const code = (value as NodeJS.ErrnoException).code;
      return { name: value.name, message: value.message, ...(code !== undefined && { code }) };
    }
    // fetch/undici Headers and Maps would otherwise print as {} (and hide nothing on purpose).
    if (value instanceof Headers || value instanceof Map) return Object.fromEntries(value.entries());
    return value;
  };
}

function encodeField(key: string, value: unknown, secrets: SecretRedactor): string {
  if (isSensitiveKey(key)) return JSON.stringify(REDACTED);
  try {
    return JSON.stringify(value, safeReplacer(secrets)) ?? String(value);
  } catch {
    return JSON.stringify("[unserializable]");
  }
}

function formatLine(level: LogLevel, message: string, fields: Record<string, unknown> | undefined, secrets: SecretRedactor): string {
  let line = `mcp-memory-bridge ${level}: ${redactText(message, secrets).replace(/\r?\n/g, "\\n")}`;
  if (fields) {
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      line += ` ${redactText(key, secrets)}=${encodeField(key, value, secrets)}`;
    }
  }
  return line;
}

/**
 * A stderr logger: one line per entry, `mcp-memory-bridge <level>: message key=value …` with
 * JSON-encoded values. Calls below `level` return before building anything. Redaction covers
 * registered secrets (see SecretRedactor for short ones), fields named like credentials at any
 * depth (including header objects), and `Authorization: …`/`Bearer …` values in text.
 */
export function createLogger(options: LoggerOptions): Logger {
  const threshold = RANK[options.level];
  const write = options.write ?? writeToStderr;
  const secrets = options.secrets instanceof SecretRedactor ? options.secrets : new SecretRedactor(options.secrets);

  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (RANK[level] > threshold) return;
    try {
      write(formatLine(level, message, fields, secrets));
    } catch {
      // Logging must never take the bridge down (e.g. EPIPE once the client closed stderr).
    }
  };

  return {
    level: options.level,
    error: (message, fields) => emit("error", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    info: (message, fields) => emit("info", message, fields),
    debug: (message, fields) => emit("debug", message, fields),
    addSecret: (secret) => secrets.add(secret),
  };
}
