import { resolve } from "node:path";
import { openBackend } from "../../backends/open-backend.js";
import { resolveFlavour } from "../../backends/registry.js";
import { saveProfile } from "../../config/profile.js";
import type { Settings } from "../../config/settings.js";
import { createFileStore } from "../../credentials/file-store.js";
import type { TokenStore } from "../../credentials/token-store.js";
import type { Keychain } from "../../credentials/keychain.js";
import { KEYCHAIN_SERVICE } from "../../credentials/token-store.js";
import { KeyUserMismatchError } from "../../backends/errors.js";
import type { WriteAccess } from "../../backends/types.js";
import { BridgeError } from "../../core/errors.js";
import { SecretRedactor } from "../../core/secrets.js";
import { PROXY_BACKEND } from "../../core/unions.js";
import { AuthError } from "../../http/errors.js";
import type { Logger } from "../../log.js";
import { explain } from "../../mcp/error-words.js";
import { keychainWords } from "../../mcp/keychain-words.js";
import { invocationOf } from "./invocation-of.js";
import type { CommandContext } from "../context.js";
import type { OptionSpec } from "../registry.js";
import { checkRemoteMcpLogin, type RemoteMcpLogin } from "./login-remote-mcp.js";
import { stderrLogger, commandCallContext } from "./open-session.js";
import { usesRemoteMcp } from "./remote-mcp.js";
import { settingsFor } from "./settings.js";

/**
 * What `login` does once it has the endpoint and the token, shared with `setup`: check the token
 * with one authenticated call, then store it (keychain or insecure file) and save the endpoint
 * with the settings the check used.
 */

export interface LoginSettings {
  settings: Readonly<Settings>;
  logger: Logger;
  secrets: SecretRedactor;
}

/** The options login and setup share. */
export const LOGIN_OPTIONS = {
  "with-token": { type: "boolean", description: "Read the token from standard input instead of asking" },
  "insecure-storage": { type: "boolean", description: "No keychain here: keep the token in a file only you can read (mode 0600)" },
} as const satisfies Record<string, OptionSpec>;

/** The token the server refused (401/403): not stored; `setup` asks again. */
export class TokenRejectedError extends BridgeError {}

/**
 * The settings a login uses. --auth-scheme, --allow-http, --ca-file and --header are re-decided by every
 * login (from flags and environment, not from an earlier login), checked with, and saved with the
 * endpoint: nothing carries over to another server.
 */
export function loginSettings(ctx: CommandContext, values: Record<string, unknown>): LoginSettings {
  const { settings } = settingsFor(ctx, values, ["authScheme", "allowHttp", "caFile", "headers"]);
  const secrets = new SecretRedactor();
  return { settings, secrets, logger: stderrLogger(ctx, settings, secrets) };
}

/**
 * What the server says about itself; for a remote MCP server, also what login found out about it;
 * `keyUser`: the user the key belongs to, when the configured one is not it (the mem0 API-key server).
 */
export type VerifiedServer = Record<string, unknown> & { remoteMcp?: RemoteMcpLogin; keyUser?: string; access?: WriteAccess };

/**
 * One authenticated call with the new token, through the backend the settings name (for a remote
 * MCP server, the cheapest one it offers); what the server says about itself. A key that may act
 * only as another user (the mem0 API-key server) is checked again as that user, whom saveLogin saves.
 */
export async function verifyToken(ctx: CommandContext, login: LoginSettings, endpoint: string, token: string): Promise<VerifiedServer> {
  try {
    return await verifyAs(ctx, login, endpoint, token);
  } catch (error) {
    if (!(error instanceof KeyUserMismatchError)) throw error;
    const asKeyUser = { ...login, settings: { ...login.settings, userId: error.keyUser } };
    return { ...(await verifyAs(ctx, asKeyUser, endpoint, token)), keyUser: error.keyUser };
  }
}

async function verifyAs(ctx: CommandContext, login: LoginSettings, endpoint: string, token: string): Promise<VerifiedServer> {
  login.secrets.add(token);
  if (usesRemoteMcp({ ...login.settings, endpoint })) {
    const remoteMcp = await checkRemoteMcpLogin({ settings: login.settings, endpoint, token, logger: login.logger, command: invocationOf(ctx).name });
    if ("rejected" in remoteMcp) throw new TokenRejectedError(remoteMcp.rejected);
    return { remoteMcp };
  }
  const opened = await openBackend({ ...login, endpoint, token, http: ctx.http, now: ctx.host.now }).catch((error: unknown) => notStored(error, invocationOf(ctx).name));
  try {
    const call = commandCallContext(ctx, login.settings);
    const server = await opened.backend.verifyToken(call);
    const access = await opened.backend.checkWriteAccess?.(call, server);
    return access === undefined ? server : { ...server, access };
  } catch (error) {
    if (error instanceof AuthError) throw new TokenRejectedError(rejectedMessage(endpoint, error));
    if (error instanceof KeyUserMismatchError) throw error;
    return notStored(error, invocationOf(ctx).name);
  } finally {
    await opened.close();
  }
}

/** Stores a checked token and saves the endpoint as the default; prints what it did. */
export async function saveLogin(
  ctx: CommandContext,
  login: LoginSettings,
  input: { endpoint: string; token: string; server: VerifiedServer; insecureStorage: boolean; keychain?: Keychain | undefined },
): Promise<void> {
  const { settings, logger } = login;
  const { endpoint, token, server } = input;
  const configDir = settings.configDir;
  const platform = ctx.host.platform;
  const remote = server.remoteMcp;
  const flavour = remote === undefined ? resolveFlavour(settings.backend, endpoint) : PROXY_BACKEND;
  const keyUser = server.keyUser;

  let where: string;
  if (input.insecureStorage) {
    const file = createFileStore({ configDir, logger, platform, loginCommand: `${invocationOf(ctx).name} login` });
    await file.set(endpoint, token);
    where = `the insecure token file ${file.path} (mode 0600: readable by any program running as you; prefer the keychain where there is one)`;
  } else {
    const keychain = input.keychain ?? (await ctx.keychain({ platform, env: ctx.env, logger }));
    if (keychain.stores.length === 0) throw new BridgeError(`${keychain.problem ? keychainWords(keychain.problem, { command: invocationOf(ctx).name }) : "No keychain is available."} Nothing was stored.`);
    const storedWith = await storeInEveryModule(keychain.stores, endpoint, token);
    where = `the OS keychain (through ${storedWith.join(" and ")}), service "${KEYCHAIN_SERVICE}", account "${endpoint}"`;
    await removeFromInsecureFile(ctx, configDir, endpoint, logger);
  }

  // What made the check pass must also be what clients use: keep these with the endpoint.
  await saveProfile(configDir, {
    endpoint,
    backend: flavour,
    authScheme: remote?.scheme ?? settings.authScheme,
    ...(remote !== undefined && {
      headers: Object.keys(remote.headers).length > 0 ? remote.headers : undefined,
      userId: remote.scheme === "x-mcp-token" ? settings.userId : undefined,
    }),
    ...(keyUser !== undefined && { userId: keyUser }),
    allowHttp: settings.allowHttp ? true : undefined,
    caFile: settings.caFile === undefined ? undefined : resolve(ctx.cwd, settings.caFile),
  });

  const about = remote?.about ?? [flavour, typeof server.version === "string" ? server.version : undefined].filter(Boolean).join(" ");
  ctx.stdout.write(
    [
      `✓ Logged in to ${endpoint} (${about}).`,
      `✓ Token stored in ${where}.`,
      `✓ Saved ${endpoint} as the default endpoint (${configDir}).`,
      accessLine(server.access, invocationOf(ctx).name, endpoint),
      keyUser === undefined ? "" : `✓ This key belongs to the user "${keyUser}" (not "${settings.userId}"): saved "${keyUser}" as the user id.`,
      ctx.env.MEMORY_BRIDGE_TOKEN || ctx.env.MCP_MEMORY_API_KEY
        ? "! A token is also set in this environment (MEMORY_BRIDGE_TOKEN / MCP_MEMORY_API_KEY); where it is set, it wins over the stored one."
        : "",
      `MCP clients that start the bridge (\`${invocationOf(ctx).name}\`) now use this server and token; their config needs no token.`,
      `Next: add the bridge to your MCP client with \`${invocationOf(ctx).name} install --client claude-desktop\` (or cursor, vscode, claude-code, …; \`--client all\` for every one found), then restart the client.`,
    ]
      .filter(Boolean)
      .join("\n") + "\n",
  );
}

/**
 * What the token may do, as far as the server could be asked without writing: the check above was a
 * read; whether it may write is asked only where a server has a harmless way to tell.
 */
function accessLine(access: WriteAccess | undefined, command: string, endpoint: string): string {
  if (access === undefined) return "Access: can read ✓; write: not checked — this server has no way to ask without writing, and login never writes to check.";
  switch (access.result) {
    case "granted":
      return `✓ Access: can read ✓, can write ✓ (${access.how}).`;
    case "denied":
      return (
        `! Access: can read ✓, can write ✗ — this token has read-only scope (${access.how}): search, list and get work, but store, update and delete will be refused. ` +
        `To write, log in with a token that has the write scope (the server's API key, or an OAuth token with scope "read write"): \`${command} login ${endpoint}\`.`
      );
    case "unchecked":
      return access.reason === "old-server"
        ? `Access: can read ✓; write: not checked — this server (${access.detail ?? "version unknown"}) has no way to ask without writing (mcp-memory-service 10.21.0 added one), and login never writes to check.`
        : `Access: can read ✓; write: not checked — ${access.detail ?? "the server could not be asked"}.`;
  }
}

/** A failure of the check, said as such. */
function notStored(error: unknown, command: string): never {
  if (error instanceof BridgeError) throw new BridgeError(`${explain(error, { command }).replace(/\.?$/, ".")} The token was not stored.`);
  throw error;
}

/**
 * Stores the token through every keychain module that loaded. On Linux keytar and
 * @napi-rs/keyring file the same secret under different attributes (account vs username), so
 * each only finds its own items; storing through both means a later run that can load only one
 * of them (an npx install whose keytar build was skipped, say) still finds the token.
 */
async function storeInEveryModule(stores: TokenStore[], endpoint: string, token: string): Promise<string[]> {
  const stored: string[] = [];
  let firstError: unknown;
  for (const store of stores) {
    try {
      await store.set(endpoint, token);
      stored.push(store.name);
    } catch (error) {
      firstError ??= error;
    }
  }
  if (stored.length === 0) {
    const reason = firstError instanceof Error ? firstError.message : String(firstError);
    throw new BridgeError(`The keychain refused to store the token (${reason}). Nothing was stored.`);
  }
  return stored;
}

/** The server's own reason, without the "run login" hint the serve-time message carries. */
function rejectedMessage(endpoint: string, error: AuthError): string {
  const reason = [error.serverCode, error.serverReason].filter(Boolean).join(": ");
  const what = error.status === 403 ? "accepted the token but it lacks the scope needed" : "rejected the token";
  return `The server at ${endpoint} ${what} (${error.status}${reason ? ` ${reason}` : ""}); the token was not stored. Check it and try again.`;
}

/** After a keychain login, an older copy of the token in the insecure file is removed. */
async function removeFromInsecureFile(ctx: CommandContext, configDir: string, endpoint: string, logger: Logger) {
  const file = createFileStore({ configDir, logger, platform: ctx.host.platform, loginCommand: `${invocationOf(ctx).name} login` });
  // A missing file, or no entry for this endpoint, deletes nothing.
  if (await file.delete(endpoint)) ctx.stdout.write(`✓ Removed the old copy of this token from ${file.path}.\n`);
}
