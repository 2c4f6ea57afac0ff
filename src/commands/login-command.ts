import { resolve } from "node:path";
import { saveProfile } from "../config/profile.js";
import { createFileStore } from "../credentials/file-store.js";
import { openKeychain } from "../credentials/keychain.js";
import type { TokenStore } from "../credentials/token-store.js";
import { KEYCHAIN_SERVICE } from "../credentials/token-store.js";
import { BridgeError } from "../errors.js";
import { AuthError } from "../http/errors.js";
import { authHeader, createBackend, DEFAULT_AUTH_SCHEME, resolveFlavour } from "../backends/registry.js";
import { assertTransportAllowed } from "../http/url.js";
import type { Logger } from "../log.js";
import { PACKAGE_NAME } from "../version.js";
import { commandCallContext, endpointArgument, openCommandSession } from "./command-session.js";
import type { CommandSpec } from "./registry.js";
import { promptHidden, readAllTrimmed } from "./read-secret.js";

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
    const { settings, configDir, logger } = openCommandSession(ctx, values, ["authScheme", "allowHttp", "caFile"]);
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
    logger.addSecret(token);

    const flavour = resolveFlavour(settings.backend);
    const scheme = settings.authScheme ?? DEFAULT_AUTH_SCHEME[flavour];
    const { createHttpClient } = await import("../http/client.js");
    const http = createHttpClient({
      endpoint,
      auth: authHeader(scheme, token),
      allowHttp: settings.allowHttp,
      ...(settings.caFile && { caFile: settings.caFile }),
      maxResponseBytes: settings.maxResponseBytes,
      maxConnections: settings.maxConnections,
      logger,
    });
    let server: Record<string, unknown>;
    try {
      server = await createBackend(flavour, http).verifyToken(commandCallContext(settings));
    } catch (error) {
      if (error instanceof AuthError) throw new BridgeError(rejectedMessage(endpoint, error));
      if (error instanceof BridgeError) throw new BridgeError(`${error.message.replace(/\.?$/, ".")} The token was not stored.`);
      throw error;
    } finally {
      await http.close();
    }

    let where: string;
    if (values["insecure-storage"]) {
      const file = createFileStore({ configDir, logger, platform: process.platform });
      await file.set(endpoint, token);
      where = `the insecure token file ${file.path} (mode 0600: readable by any program running as you; prefer the keychain where there is one)`;
    } else {
      const keychain = await openKeychain({ platform: process.platform, env: ctx.env, logger });
      if (keychain.stores.length === 0) throw new BridgeError(`${keychain.problem?.message ?? "No keychain is available."} Nothing was stored.`);
      const storedWith = await storeInEveryModule(keychain.stores, endpoint, token);
      where = `the OS keychain (through ${storedWith.join(" and ")}), service "${KEYCHAIN_SERVICE}", account "${endpoint}"`;
      await removeFromInsecureFile(configDir, endpoint, logger, ctx);
    }

    // What made the check pass must also be what clients use: keep these with the endpoint.
    await saveProfile(configDir, {
      endpoint,
      backend: flavour,
      authScheme: settings.authScheme,
      allowHttp: settings.allowHttp ? true : undefined,
      caFile: settings.caFile === undefined ? undefined : resolve(ctx.cwd, settings.caFile),
    });

    const about = [flavour, typeof server.version === "string" ? server.version : undefined].filter(Boolean).join(" ");
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
  const reason = [error.code, error.serverReason].filter(Boolean).join(": ");
  const what = error.status === 403 ? "accepted the token but it lacks the scope needed" : "rejected the token";
  return `The server at ${endpoint} ${what} (${error.status}${reason ? ` ${reason}` : ""}); the token was not stored. Check it and try again.`;
}

/** After a keychain login, an older copy of the token in the insecure file is removed. */
async function removeFromInsecureFile(configDir: string, endpoint: string, logger: Logger, ctx: { stdout: NodeJS.WritableStream }) {
  const file = createFileStore({ configDir, logger, platform: process.platform });
  // A missing file, or no entry for this endpoint, deletes nothing.
  if (await file.delete(endpoint)) ctx.stdout.write(`✓ Removed the old copy of this token from ${file.path}.\n`);
}
