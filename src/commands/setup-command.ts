import { BridgeError } from "../core/errors.js";
import { describeDetection } from "../discovery/describe.js";
import { assertTransportAllowed } from "../http/url.js";
import { invocationOf } from "./shared/invocation-of.js";
import type { CommandContext, ExitCode } from "./context.js";
import type { CommandSpec } from "./registry.js";
import { CLIENT_OPTIONS, clientHelpLines } from "./shared/client-options.js";
import { endpointArgument } from "./shared/endpoint-argument.js";
import { LOGIN_OPTIONS, loginSettings, saveLogin, verifyToken } from "./shared/login-flow.js";
import { ALL_SETTINGS } from "./shared/command-settings.js";
import { keychainAvailability } from "./shared/keychain-availability.js";
import { globalAvailability } from "./install-command.js";
import { readAllTrimmed } from "./shared/read-secret.js";
import { clientsAskedFor, detectAt, foundWords, installFor, statusStep, valuesForEndpoint } from "./shared/setup-steps.js";

export const setupCommand: CommandSpec = {
  name: "setup",
  usage: ["setup                                     (on a terminal: asks)", "setup --endpoint URL --with-token [--client NAME…] < token.txt"],
  about: [
    "From nothing to a working memory in one command: finds the memory server (this machine and the",
    "local network) or asks for its URL, detects the backend, asks for the token (input hidden) and",
    "logs in (the token goes to the OS keychain), adds the bridge to the MCP clients you pick (those",
    "found on this machine are pre-selected), then shows `status`. Each step says what it did; a step",
    "that fails stops setup with the fix. Interrupting it (Ctrl-C) leaves no half-written file.",
    "",
    "Without a terminal (scripts, dotfiles) everything comes from the command line: the token from",
    "standard input (--with-token), the server from --endpoint, the clients from --client (default:",
    "all = every client whose config folder exists here).",
    "",
    ...clientHelpLines("install"),
  ],
  options: {
    ...LOGIN_OPTIONS,
    ...CLIENT_OPTIONS,
    global: { type: "boolean", description: "Clients run the globally installed command instead of npx (see install --help)" },
  },
  settings: ALL_SETTINGS,
  availability: async (ctx) => [...(await keychainAvailability()), ...(await globalAvailability(ctx))],
  examples: (name) => [
    `${name} setup`,
    `${name} setup --endpoint https://memory.example.com/api --with-token --client claude-desktop,cursor < token.txt`,
    `pass show memory-token | ${name} setup --endpoint http://127.0.0.1:8000/api --with-token`,
  ],
  async run(ctx, values) {
    if (ctx.stdin.isTTY && values["with-token"] !== true) {
      const { runSetupWizard } = await import("./shared/setup-wizard.js");
      return runSetupWizard(ctx, values);
    }
    return runUnattended(ctx, values);
  },
};

/** `setup --endpoint URL --with-token --client …`: every input given, no question asked. */
async function runUnattended(ctx: CommandContext, values: Record<string, unknown>): Promise<ExitCode> {
  const login = loginSettings(ctx, values);
  const missing = [login.settings.endpoint === undefined ? "--endpoint URL" : "", values["with-token"] === true ? "" : "--with-token (the token on standard input)"].filter(Boolean);
  if (missing.length > 0) {
    ctx.stderr.write(
      `Standard input is not a terminal, so setup cannot ask: pass ${missing.join(" and ")}, e.g. ${invocationOf(ctx).name} setup --endpoint https://memory.example.com/api --with-token --client all < token.txt\n`,
    );
    return 2;
  }
  const start = clientsAskedFor(ctx, values);
  if (start === 2) return 2;
  const given = endpointArgument(ctx, "setup", [], login.settings.endpoint);
  if (given === 2) return 2;
  assertTransportAllowed(given, login.settings.allowHttp);

  // 1. Which server answers there; its own correction (the missing /api) is taken, and said.
  const detection = await detectAt(given, login.settings);
  if (detection.status !== "found") {
    throw new BridgeError(`${describeDetection(detection)} Check the URL (for mcp-memory-service it ends in /api), then run setup again.`);
  }
  if (detection.correction !== undefined) ctx.stdout.write(`! ${describeDetection(detection)} Using ${detection.endpoint}.\n`);
  const endpoint = detection.endpoint;
  ctx.stdout.write(`✓ ${foundWords(detection)}\n`);
  const stepValues = valuesForEndpoint(values, login.settings, endpoint, detection);

  // 2. login, with the backend detected.
  const token = await readAllTrimmed(ctx.stdin);
  if (!token) throw new BridgeError("No token on standard input: pipe it in, e.g. `setup --endpoint URL --with-token < token.txt`. Nothing was changed.");
  const checked = loginSettings(ctx, stepValues);
  const server = await verifyToken(ctx, checked, endpoint, token);
  await saveLogin(ctx, checked, { endpoint, token, server, insecureStorage: values["insecure-storage"] === true });

  // 3. install, 4. status.
  const installed = await installFor(ctx, stepValues, start.clients.map((client) => client.id), start.command);
  if (installed !== 0) return installed;
  return statusStep(ctx, stepValues);
}
