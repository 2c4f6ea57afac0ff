import { resolve } from "node:path";
import { saveProfile } from "../config/profile.js";
import { createFileStore } from "../credentials/file-store.js";
import type { TokenStore } from "../credentials/token-store.js";
import { KEYCHAIN_SERVICE } from "../credentials/token-store.js";
import { BridgeError } from "../core/errors.js";
import { AuthError } from "../http/errors.js";
import { openBackend } from "../backends/open-backend.js";
import { resolveFlavour } from "../backends/registry.js";
import type { Settings } from "../config/settings.js";
import { SecretRedactor } from "../core/secrets.js";
import { PROXY_BACKEND } from "../core/unions.js";
import { assertTransportAllowed } from "../http/url.js";
import type { Logger } from "../log.js";
import { explain } from "../mcp/error-words.js";
import { keychainWords } from "../mcp/keychain-words.js";
import { PACKAGE_NAME } from "../version.js";
import type { CommandContext } from "./context.js";
import type { CommandSpec } from "./registry.js";
import { endpointArgument } from "./shared/endpoint-argument.js";
import { commandCallContext, stderrLogger } from "./shared/open-session.js";
import { promptHidden, readAllTrimmed } from "./shared/read-secret.js";
import { checkRemoteMcpLogin } from "./shared/login-remote-mcp.js";
import { usesRemoteMcp } from "./shared/remote-mcp.js";
import { settingsFor } from "./shared/settings.js";

export const loginCommand: CommandSpec = {
  name: "login",
  help: [
    `Usage: ${PACKAGE_NAME} login [URL] [--with-token] [--insecure-storage] [options]`,
    "",
    "Asks for the memory server's token (input hidden), checks it with an authenticated call, stores it",
    "in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service on Linux) under",
    `service "${KEYCHAIN_SERVICE}" and the endpoint URL, and saves the URL as the default endpoint.`,
    "A token the server rejects is not stored. MCP clients then need no token in their config.",
    "--auth-scheme, --allow-http and --ca-file in force (flags or environment) are saved with the",
    "endpoint, since the check used them; a later login without them removes them.",
    "",
    "URL defaults to --endpoint, MEMORY_BRIDGE_ENDPOINT or the saved profile. For mcp-memory-service",
    "it includes /api, e.g. https://memory.example.com/api or http://127.0.0.1:8000/api.",
    "A URL ending in /mcp (or --backend mcp) is a remote MCP server, e.g. the Mem0 MCP server: login",
    "picks --auth-scheme x-mcp-token for it (bearer for others), checks the token with a read-only tool",
    "call, and also saves --user-id and any --header \"Name: value\" for it.",
    "",
    "Options:",
    "  --with-token        Read the token from standard input instead of asking",
    "  --insecure-storage  No keychain here: keep the token in a file only you can read (mode 0600)",
    "",
    "Examples:",
    `  ${PACKAGE_NAME} login https://memory.example.com/api`,
    `  ${PACKAGE_NAME} login https://memory.example.com/api --with-token < token.txt`,
    `  pass show memory-token | ${PACKAGE_NAME} login http://127.0.0.1:8000/api --with-token`,
  ].join("\n"),
  options: { "with-token": { type: "boolean" }, "insecure-storage": { type: "boolean" } },
  maxArguments: 1,
  async run(ctx, values, positionals) {
    // These three are re-decided by every login (from flags and environment, not from an earlier
    // login), checked with, and saved with the endpoint: nothing carries over to another server.
    const { settings } = settingsFor(ctx, values, ["authScheme", "allowHttp", "caFile", "headers"]);
    const configDir = settings.configDir;
    const secrets = new SecretRedactor();
    const logger = stderrLogger(ctx, settings, secrets);
    const platform = ctx.host.platform;
    const endpoint = endpointArgument(ctx, "login", positionals, settings.endpoint);
    if (endpoint === 2) return 2;
    assertTransportAllowed(endpoint, settings.allowHttp);

    let token: string | undefined;
    if (values["with-token"]) {
      token = await readAllTrimmed(ctx.stdin);
      if (!token) throw new BridgeError("No token on standard input: pipe it in, e.g. `login URL --with-token < token.txt`.");
    } else if (ctx.stdin.isTTY) {
      token = (await promptHidden(ctx, `Token for ${endpoint} (input hidden): `))?.trim();
      if (!token) throw new BridgeError("No token entered; nothing was stored.");
    } else {
      ctx.stderr.write(`Standard input is not a terminal, so login cannot ask for the token: pass --with-token to read it from standard input.\n`);
      return 2;
    }
    secrets.add(token);

    const remote = usesRemoteMcp({ ...settings, endpoint }) ? await checkRemoteMcpLogin({ settings, endpoint, token, logger }) : undefined;
    const flavour = remote === undefined ? resolveFlavour(settings.backend) : PROXY_BACKEND;
    const server = remote === undefined ? await verifyToken(ctx, { settings, endpoint, token, logger, secrets }) : {};

    let where: string;
    if (values["insecure-storage"]) {
      const file = createFileStore({ configDir, logger, platform });
      await file.set(endpoint, token);
      where = `the insecure token file ${file.path} (mode 0600: readable by any program running as you; prefer the keychain where there is one)`;
    } else {
      const keychain = await ctx.keychain({ platform, env: ctx.env, logger });
      if (keychain.stores.length === 0) throw new BridgeError(`${keychain.problem ? keychainWords(keychain.problem) : "No keychain is available."} Nothing was stored.`);
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
      allowHttp: settings.allowHttp ? true : undefined,
      caFile: settings.caFile === undefined ? undefined : resolve(ctx.cwd, settings.caFile),
    });

    const about = remote?.about ?? [flavour, typeof server.version === "string" ? server.version : undefined].filter(Boolean).join(" ");
    ctx.stdout.write(
      [
        `✓ Logged in to ${endpoint} (${about}).`,
        `✓ Token stored in ${where}.`,
        `✓ Saved ${endpoint} as the default endpoint (${configDir}).`,
        ctx.env.MEMORY_BRIDGE_TOKEN || ctx.env.MCP_MEMORY_API_KEY
          ? "! A token is also set in this environment (MEMORY_BRIDGE_TOKEN / MCP_MEMORY_API_KEY); where it is set, it wins over the stored one."
          : "",
        `MCP clients started with \`npx -y ${PACKAGE_NAME}\` now use this server and token; their config needs no token.`,
      ]
        .filter(Boolean)
        .join("\n") + "\n",
    );
    return 0;
  },
};

/** One authenticated call with the new token, through the backend the settings name; what the server says about itself. */
async function verifyToken(
  ctx: CommandContext,
  input: { settings: Readonly<Settings>; endpoint: string; token: string; logger: Logger; secrets: SecretRedactor },
): Promise<Record<string, unknown>> {
  const { settings, endpoint } = input;
  const opened = await openBackend({ ...input, http: ctx.http, now: ctx.host.now }).catch(notStored);
  try {
    return await opened.backend.verifyToken(commandCallContext(ctx, settings));
  } catch (error) {
    if (error instanceof AuthError) throw new BridgeError(rejectedMessage(endpoint, error));
    return notStored(error);
  } finally {
    await opened.close();
  }
}

/** A failure of the check, said as such. */
function notStored(error: unknown): never {
  if (error instanceof BridgeError) throw new BridgeError(`${explain(error).replace(/\.?$/, ".")} The token was not stored.`);
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
  const file = createFileStore({ configDir, logger, platform: ctx.host.platform });
  // A missing file, or no entry for this endpoint, deletes nothing.
  if (await file.delete(endpoint)) ctx.stdout.write(`✓ Removed the old copy of this token from ${file.path}.\n`);
}
