import { KEYCHAIN_SERVICE } from "../credentials/token-store.js";
import { BridgeError } from "../core/errors.js";
import { assertTransportAllowed } from "../http/url.js";
import type { CommandSpec } from "./registry.js";
import { endpointArgument } from "./shared/endpoint-argument.js";
import { loginSettings, saveLogin, verifyToken } from "./shared/login-flow.js";
import { promptHidden, readAllTrimmed } from "./shared/read-secret.js";
import { usesRemoteMcp } from "./shared/remote-mcp.js";
import { describeDetection } from "../discovery/describe.js";
import { invocationOf } from "./shared/invocation-of.js";
import { keychainWords } from "../mcp/keychain-words.js";
import { shellWord } from "../invocation/command-name.js";
import type { CommandContext } from "./context.js";
import { detectAt, valuesForEndpoint } from "./shared/setup-steps.js";
import { LOGIN_OPTIONS } from "./shared/login-flow.js";
import { LOGIN_SETTINGS } from "./shared/command-settings.js";
import { keychainAvailability } from "./shared/keychain-availability.js";

export const loginCommand: CommandSpec = {
  name: "login",
  usage: ["login [URL] [--with-token] [--insecure-storage] [options]"],
  about: [
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
  ],
  options: LOGIN_OPTIONS,
  settings: LOGIN_SETTINGS,
  availability: () => keychainAvailability(),
  examples: (name) => [
    `${name} login https://memory.example.com/api`,
    `${name} login https://memory.example.com/api --with-token < token.txt`,
    `pass show memory-token | ${name} login http://127.0.0.1:8000/api --with-token`,
  ],
  maxArguments: 1,
  async run(ctx, values, positionals) {
    let login = loginSettings(ctx, values);
    const endpoint = endpointArgument(ctx, "login", positionals, login.settings.endpoint);
    if (endpoint === 2) return 2;
    assertTransportAllowed(endpoint, login.settings.allowHttp);
    const insecureStorage = values["insecure-storage"] === true;
    // Where the token can go is known before anything is asked or sent: a headless machine learns
    // at once that it has no keychain, with the command that works instead.
    const keychain = insecureStorage ? undefined : await ctx.keychain({ platform: ctx.host.platform, env: ctx.env, logger: login.logger });
    if (keychain !== undefined && keychain.stores.length === 0) {
      const words = keychain.problem
        ? keychainWords(keychain.problem, { command: invocationOf(ctx).name, loginArgs: rerunArguments(ctx, endpoint, positionals) })
        : "No keychain is available.";
      ctx.stderr.write(`${words} Nothing was stored.\n`);
      return 1;
    }
    // --backend auto for a REST server: its kind is asked once, here (no token sent), and saved with the endpoint.
    if (login.settings.backend === "auto" && !usesRemoteMcp({ ...login.settings, endpoint })) {
      const detection = await detectAt(endpoint, login.settings);
      // A token is bound to the exact endpoint: storing it under a URL the server does not answer at
      // would only fail later. Offer the URL it does answer at, before the token is asked for.
      if (detection.status === "found" && detection.correction !== undefined) {
        ctx.stderr.write(`${describeDetection(detection)} Nothing was stored. Run: ${invocationOf(ctx).name} login ${detection.correction.to}\n`);
        return 1;
      }
      login = loginSettings(ctx, valuesForEndpoint(values, login.settings, endpoint, detection));
    }

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

    const server = await verifyToken(ctx, login, endpoint, token);
    await saveLogin(ctx, login, { endpoint, token, server, insecureStorage, keychain });
    return 0;
  },
};

/** This login's own arguments with the URL spelled out (it may have come from the profile), so the suggestion runs as printed. */
function rerunArguments(ctx: CommandContext, endpoint: string, positionals: string[]): string[] {
  const rest = [...ctx.argv];
  rest.splice(rest.indexOf("login"), 1);
  if (positionals[0] !== undefined) rest.splice(rest.indexOf(positionals[0]), 1);
  return [endpoint, ...rest].map((word) => shellWord(word, ctx.host.platform));
}
