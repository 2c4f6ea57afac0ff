import { canonicalEndpoint, InvalidEndpointError } from "../../core/endpoint.js";
import { explain } from "../../mcp/error-words.js";
import { PACKAGE_NAME } from "../../version.js";
import type { CommandContext } from "../context.js";

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
