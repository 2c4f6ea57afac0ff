import type { ProfileKey } from "../config/profile.js";
import type { Settings } from "../config/settings.js";
import { runtimeTokenStores } from "../credentials/token-stores.js";
import { canonicalEndpoint, InvalidEndpointError } from "../core/endpoint.js";
import { createLogger, type Logger } from "../log.js";
import { Session } from "../session.js";
import { PACKAGE_NAME } from "../version.js";
import { explain } from "../mcp/error-words.js";
import type { CommandContext } from "./context.js";
import { settingsFor } from "./load-settings.js";

export interface CommandSession {
  settings: Readonly<Settings>;
  profileProblems: string[];
  configDir: string;
  logger: Logger;
  session: Session;
}

/** Settings, a stderr logger, the runtime token stores and a Session, as serve builds them. */
export function openCommandSession(ctx: CommandContext, values: Record<string, unknown>, ignoreSaved: readonly ProfileKey[] = []): CommandSession {
  const { settings, profileProblems } = settingsFor(ctx, values, ignoreSaved);
  const logger = createLogger({ level: settings.logLevel, write: (line) => ctx.stderr.write(`${line}\n`) });
  const configDir = settings.configDir;
  const stores = runtimeTokenStores({ platform: process.platform, env: ctx.env, configDir, logger });
  const session = new Session({ settings, env: ctx.env, cwd: ctx.cwd, logger, stores });
  return { settings, profileProblems, configDir, logger, session };
}

/** A deadline and signal for one command's network work, from the configured timeout. */
export function commandCallContext(settings: Readonly<Settings>): { deadline: number; timeoutMs: number; signal: AbortSignal } {
  return { deadline: Date.now() + settings.timeoutMs, timeoutMs: settings.timeoutMs, signal: new AbortController().signal };
}

/**
 * The endpoint a login/logout acts on: the URL argument, else the configured endpoint, canonical.
 * A usage problem (no URL anywhere, or not a usable URL) is written to stderr and returns 2.
 */
export function endpointArgument(ctx: CommandContext, command: string, positionals: string[], configured: string | undefined): string | 2 {
  const raw = positionals[0] ?? configured;
  if (!raw) {
    ctx.stderr.write(`No endpoint is configured: give ${command} the memory server's URL, e.g. ${PACKAGE_NAME} ${command} https://memory.example.com/api\n`);
    return 2;
  }
  try {
    return canonicalEndpoint(raw);
  } catch (error) {
    if (!(error instanceof InvalidEndpointError)) throw error;
    ctx.stderr.write(`${explain(error)}\n`);
    return 2;
  }
}
