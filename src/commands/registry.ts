import type { SettingKey } from "../config/settings.js";
import type { CommandContext, ExitCode } from "./context.js";

/** One option of a command's own (the settings' flags come from the settings table). */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** The value in --help ("MS"); absent for a switch. */
  valueName?: string;
  description: string;
}

/**
 * A command, declared once: its --help and its parser are both generated from this, so help
 * never lists an option the parser refuses, nor hides one it takes.
 */
export interface CommandSpec {
  name: string;
  /** What follows the command's name on each usage line, e.g. "login [URL] [options]". */
  usage: readonly string[];
  /** What it does, for --help. */
  about: readonly string[];
  /** Its own options. */
  options?: Record<string, OptionSpec>;
  /** The settings it reads: their flags are the only other ones it takes, and the only ones its help lists. */
  settings: readonly SettingKey[];
  /** Example command lines, each starting with `name` (how this run is named, so they run as printed). */
  examples?: (name: string) => readonly string[];
  /** Lines on what is and is not available on this machine (e.g. keychain modules), worked out when help is shown. */
  availability?: (ctx: CommandContext) => Promise<readonly string[]>;
  /** How many positional arguments it takes (default 0: any is a usage error; Infinity: any number). */
  maxArguments?: number;
  run(ctx: CommandContext, values: Record<string, unknown>, positionals: string[]): Promise<ExitCode>;
}
