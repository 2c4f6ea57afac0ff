import type { CommandContext, ExitCode } from "./context.js";

export interface CommandSpec {
  name: string;
  /** Usage line and command-specific text for `<command> --help`. */
  help: string;
  /** Own options, merged with the global flags for parseArgs. */
  options?: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;
  /** How many positional arguments it takes (default 0: any is a usage error; Infinity: any number). */
  maxArguments?: number;
  run(ctx: CommandContext, values: Record<string, unknown>, positionals: string[]): Promise<ExitCode>;
}
