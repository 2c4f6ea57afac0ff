import type { ProfileKey } from "../../config/profile.js";
import type { Settings } from "../../config/settings.js";
import { SecretRedactor } from "../../core/secrets.js";
import { runtimeTokenStores } from "../../credentials/token-stores.js";
import { createLogger, type Logger } from "../../log.js";
import { Session } from "../../session/session.js";
import type { CommandContext } from "../context.js";
import { settingsFor, type LoadedSettings } from "./settings.js";
import { invocationOf } from "./invocation-of.js";

export interface CommandSession {
  settings: Readonly<Settings>;
  profileProblems: string[];
  logger: Logger;
  /** The process's one secrets registry, shared by the logger, the HTTP client and the session. */
  secrets: SecretRedactor;
  session: Session;
}

/**
 * A stderr logger, the secrets registry, the runtime token stores and a Session over `loaded`
 * settings, on the context's machine: what serve and every command that talks to the server use.
 */
export function sessionFor(ctx: CommandContext, loaded: LoadedSettings, setupProblem?: string): CommandSession {
  const { settings, profileProblems } = loaded;
  const secrets = new SecretRedactor();
  const logger = stderrLogger(ctx, settings, secrets);
  const { platform, home, tmpdir, now } = ctx.host;
  const commandName = invocationOf(ctx).name;
  const stores = runtimeTokenStores({ platform, env: ctx.env, configDir: settings.configDir, logger, openKeychain: ctx.keychain, loginCommand: `${commandName} login` });
  const session = new Session({
    settings,
    env: ctx.env,
    cwd: ctx.cwd,
    home,
    tmpdir,
    platform,
    logger,
    secrets,
    stores,
    http: ctx.http,
    commandName,
    now,
    ...(ctx.discover && { discover: ctx.discover }),
    ...(setupProblem !== undefined && { setupProblem }),
    ...(profileProblems.length > 0 && { profileProblems }),
  });
  return { settings, profileProblems, logger, secrets, session };
}

/** A logger writing to the command's stderr at the configured level, redacting what `secrets` holds. */
export function stderrLogger(ctx: CommandContext, settings: Pick<Settings, "logLevel">, secrets: SecretRedactor = new SecretRedactor()): Logger {
  return createLogger({ level: settings.logLevel, write: (line) => ctx.stderr.write(`${line}\n`), secrets });
}

/** Settings (throws ConfigError on a bad value), then sessionFor them. */
export function openCommandSession(ctx: CommandContext, values: Record<string, unknown>, ignoreSaved: readonly ProfileKey[] = []): CommandSession {
  return sessionFor(ctx, settingsFor(ctx, values, ignoreSaved));
}

/** A deadline and signal for one command's network work, from the configured timeout, on the context's clock. */
export function commandCallContext(ctx: CommandContext, settings: Readonly<Settings>): { deadline: number; timeoutMs: number; signal: AbortSignal } {
  return { deadline: ctx.host.now() + settings.timeoutMs, timeoutMs: settings.timeoutMs, signal: new AbortController().signal };
}
