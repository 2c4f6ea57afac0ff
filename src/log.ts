export type LogLevel = "error" | "warn" | "info" | "debug";

export interface Logger {
  readonly level: LogLevel;
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Every later line has each occurrence of `secret` replaced by a redaction marker. */
  addSecret(secret: string): void;
}
