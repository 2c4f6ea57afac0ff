import type { Settings } from "../../config/settings.js";
import type { BackendFlavour } from "../../core/unions.js";
import { describeDetection } from "../../discovery/describe.js";
import type { Detection, FoundDetection } from "../../discovery/types.js";
import { detectorFor } from "../../session/detector.js";
import type { CommandContext, ExitCode } from "../context.js";
import { installCommand } from "../install-command.js";
import { statusCommand } from "../status-command.js";
import { startClientCommand, type ClientCommandStart } from "./client-options.js";

/** The steps `setup` runs in both its modes, each reusing the command that does it alone. */

const FLAVOURS: readonly string[] = ["mcp-memory-service", "mem0", "mem0-platform"] satisfies readonly BackendFlavour[];

/** Which memory server answers at `url` (unauthenticated probes only: the token is not sent). */
export function detectAt(url: string, settings: Readonly<Settings>): Promise<Detection> {
  return detectorFor(settings)(url);
}

/**
 * The values the later steps run with: the endpoint chosen, and the backend detected unless
 * --backend (or the environment) named one.
 */
export function valuesForEndpoint(values: Record<string, unknown>, settings: Readonly<Settings>, endpoint: string, detection: Detection | undefined): Record<string, unknown> {
  const detected = detection?.status === "found" && FLAVOURS.includes(detection.backend) ? detection.backend : undefined;
  return { ...values, endpoint, ...(settings.backend === "auto" && detected !== undefined ? { backend: detected } : {}) };
}

/** "<endpoint> is mcp-memory-service 10.1, which requires a token." for the endpoint in use. */
export function foundWords(detection: FoundDetection): string {
  const { correction: _shown, ...atEndpoint } = detection;
  return describeDetection(atEndpoint);
}

/** --client as given, or all; a usage problem (an unknown name) is reported before anything runs. */
export function clientsAskedFor(ctx: CommandContext, values: Record<string, unknown>): ClientCommandStart | 2 {
  return startClientCommand(ctx, { ...values, client: values.client ?? ["all"] }, [], "setup");
}

/** `install` for these clients, as `install --client …` runs it; with none, says so and goes on. */
export async function installFor(ctx: CommandContext, values: Record<string, unknown>, clientIds: readonly string[], command: string): Promise<ExitCode> {
  if (clientIds.length === 0) {
    ctx.stdout.write(`! No MCP client was set up (none was found or chosen here). Later: ${command} install --client NAME\n`);
    return 0;
  }
  return installCommand.run(ctx, { ...values, client: [...clientIds] }, []);
}

/** The final `status`, as `status` runs it: from the profile login saved, as a client started here would see it. */
export function statusStep(ctx: CommandContext, values: Record<string, unknown>): Promise<ExitCode> {
  const { endpoint: _saved, backend: _savedToo, ...rest } = values;
  return statusCommand.run(ctx, { ...rest, json: false }, []);
}
