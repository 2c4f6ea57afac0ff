import { canonicalEndpoint, InvalidEndpointError } from "../../core/endpoint.js";
import { explain } from "../../mcp/error-words.js";
import { invocationOf } from "./invocation-of.js";
import type { CommandContext } from "../context.js";

/**
 * The endpoint a login/logout acts on: the URL argument, else the configured endpoint, canonical.
 * A usage problem (no URL anywhere, or not a usable URL) is written to stderr and returns 2.
 */
export function endpointArgument(ctx: CommandContext, command: string, positionals: string[], configured: string | undefined): string | 2 {
  const raw = positionals[0] ?? configured;
  if (!raw) {
    ctx.stderr.write(`No endpoint is configured: give ${command} the memory server's URL, e.g. ${invocationOf(ctx).name} ${command} https://memory.example.com/api\n`);
    return 2;
  }
  try {
    return canonicalEndpoint(raw);
  } catch (error) {
    if (!(error instanceof InvalidEndpointError)) throw error;
    ctx.stderr.write(`${explain(error, { command: invocationOf(ctx).name })}\n`);
    return 2;
  }
}
