import type { Readable, Writable } from "node:stream";
import * as prompts from "@clack/prompts";
import { CLIENTS } from "../../clients/registry.js";
import { BridgeError } from "../../core/errors.js";
import { isFound } from "../../discovery/choose.js";
import { discoveryCachePath } from "../../discovery/cache-file.js";
import { describeDetection } from "../../discovery/describe.js";
import { discoverAndRemember } from "../../discovery/remembering-discovery.js";
import type { FoundDetection } from "../../discovery/types.js";
import { detectorFor } from "../../session/detector.js";
import type { CommandContext, ExitCode } from "../context.js";
import { isInstalled } from "./client-targets.js";
import { loginSettings, saveLogin, TokenRejectedError, verifyToken, type LoginSettings } from "./login-flow.js";
import { clientsAskedFor, detectAt, foundWords, installFor, statusStep, valuesForEndpoint } from "./setup-steps.js";

/** How many URLs, and how many tokens, setup takes before it stops with the fix. */
const MAX_URL_TRIES = 5;
const MAX_TOKEN_TRIES = 3;
const TYPE_URL = "\u0000type-url";

class Cancelled extends Error {}

/** `setup` on a terminal: server → backend → token → login → clients → install → status. */
export async function runSetupWizard(ctx: CommandContext, values: Record<string, unknown>): Promise<ExitCode> {
  const io = { input: ctx.stdin as unknown as Readable, output: ctx.stdout as unknown as Writable };
  const start = clientsAskedFor(ctx, values);
  if (start === 2) return 2;
  prompts.intro("mcp-memory-bridge setup", io);
  try {
    const login = loginSettings(ctx, values);
    const detection = await chooseServer(ctx, login, io);
    const stepValues = valuesForEndpoint(values, login.settings, detection.endpoint, detection);
    const checked = loginSettings(ctx, stepValues);

    const { token, server } = await askToken(ctx, checked, detection.endpoint, io);
    await saveLogin(ctx, checked, { endpoint: detection.endpoint, token, server, insecureStorage: values["insecure-storage"] === true });

    const clients = values.client === undefined ? await chooseClients(ctx, io) : start.clients.map((client) => client.id);
    const installed = await installFor(ctx, stepValues, clients, start.command);
    if (installed !== 0) return installed;
    const status = await statusStep(ctx, stepValues);
    prompts.outro(status === 0 ? "Done: restart the clients you set up, and they have memory." : "Set up, but status found a problem (above).", io);
    return status;
  } catch (error) {
    if (!(error instanceof Cancelled)) throw error;
    prompts.cancel("Setup stopped. What was done above stays done; nothing is half-written.", io);
    return 1;
  }
}

type Io = { input: Readable; output: Writable };

function answered<T>(value: T | symbol): Exclude<T, symbol> {
  if (prompts.isCancel(value)) throw new Cancelled();
  return value as Exclude<T, symbol>;
}

/** A server discovery found, or a URL typed and detected (offering the server's own correction). */
async function chooseServer(ctx: CommandContext, login: LoginSettings, io: Io): Promise<FoundDetection> {
  const { settings } = login;
  const found: FoundDetection[] = [];
  if (settings.discovery !== false) {
    prompts.log.step("Looking for memory servers on this machine and the local network…", io);
    const report = await discoverAndRemember({
      cacheFile: discoveryCachePath(settings.configDir),
      mdns: "always",
      ...(settings.endpoint === undefined ? {} : { configured: settings.endpoint }),
      detect: detectorFor(settings),
      now: ctx.host.now,
    });
    for (const attempt of report.attempts.filter(isFound)) {
      if (!found.some((d) => d.endpoint === attempt.detection.endpoint)) found.push(attempt.detection);
    }
    prompts.log.info(found.length === 0 ? "No memory server found by looking; type its URL." : `Found ${found.length} memory server${found.length === 1 ? "" : "s"}.`, io);
  }
  if (found.length > 0) {
    const picked = answered(
      await prompts.select({
        ...io,
        message: "Which memory server?",
        options: [...found.map((d) => ({ value: d.endpoint, label: d.endpoint, hint: foundWords(d) })), { value: TYPE_URL, label: "Another one: type its URL" }],
      }),
    );
    const detection = found.find((d) => d.endpoint === picked);
    if (detection !== undefined) return detection;
  }
  for (let tries = 0; tries < MAX_URL_TRIES; tries++) {
    const url = answered(
      await prompts.text({
        ...io,
        message: "The memory server's URL",
        placeholder: "https://memory.example.com/api",
        validate: (value) => (value?.trim() ? undefined : "Type the URL (for mcp-memory-service it ends in /api)."),
      }),
    ).trim();
    const detection = await detectAt(url, settings);
    if (detection.status !== "found") {
      prompts.log.error(`${describeDetection(detection)} Type the URL again (Ctrl-C stops).`, io);
      continue;
    }
    if (detection.correction === undefined) {
      prompts.log.success(foundWords(detection), io);
      return detection;
    }
    prompts.log.warn(describeDetection(detection), io);
    const take = answered(await prompts.confirm({ ...io, message: `Use ${detection.correction.to}?` }));
    if (take) return detection;
  }
  throw new BridgeError(`No memory server answered at the ${MAX_URL_TRIES} URLs given. Check the URL (for mcp-memory-service it ends in /api) and run setup again.`);
}

/** Asks for the token (hidden) until the server accepts one; a refused token is never stored. */
async function askToken(ctx: CommandContext, login: LoginSettings, endpoint: string, io: Io): Promise<{ token: string; server: Record<string, unknown> }> {
  for (let tries = 0; tries < MAX_TOKEN_TRIES; tries++) {
    const token = answered(
      await prompts.password({
        ...io,
        message: `Token for ${endpoint} (input hidden)`,
        validate: (value) => (value?.trim() ? undefined : "Paste the token the server's administrator gave you."),
      }),
    ).trim();
    try {
      const server = await verifyToken(ctx, login, endpoint, token);
      prompts.log.success("The server accepted the token.", io);
      return { token, server };
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      prompts.log.error(error.message, io);
    }
  }
  throw new BridgeError(`The server refused ${MAX_TOKEN_TRIES} tokens; none was stored. Check the token with the server's administrator, then run setup again.`);
}

/** Every known client, those found on this machine pre-selected. */
async function chooseClients(ctx: CommandContext, io: Io): Promise<string[]> {
  const host = { platform: ctx.host.platform, home: ctx.host.home, env: ctx.env };
  const installed = CLIENTS.filter((client) => isInstalled(client, host)).map((client) => client.id);
  return answered(
    await prompts.multiselect({
      ...io,
      message: "Add the bridge to which MCP clients?",
      options: CLIENTS.map((client) => ({ value: client.id, label: client.displayName, ...(installed.includes(client.id) ? { hint: "found here" } : {}) })),
      initialValues: installed,
      required: false,
    }),
  );
}
