import type { ParseArgsConfig } from "node:util";
import { formatHelpRows, settingFlagOptions, settingHelpRows, type HelpRow } from "../../config/flags.js";
import type { CommandContext } from "../context.js";
import type { CommandSpec } from "../registry.js";

type ParseOptions = NonNullable<ParseArgsConfig["options"]>;

const STANDARD: ParseOptions = { help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } };
const STANDARD_ROWS: HelpRow[] = [
  { left: "-h, --help", description: "Show this help" },
  { left: "-v, --version", description: "Show the version" },
];

/** What parseArgs accepts for this command: its own options, its settings' flags, --help and --version. */
export function parseOptionsOf(command: CommandSpec): ParseOptions {
  const own = Object.entries(command.options ?? {}).map(([flag, option]) => [
    flag,
    { type: option.type, ...(option.short !== undefined && { short: option.short }), ...(option.multiple && { multiple: true }) },
  ]);
  return { ...settingFlagOptions(command.settings), ...Object.fromEntries(own), ...STANDARD };
}

/** `<command> --help`, from the same declaration as the parser; `name` is how this run is named. */
export async function helpText(command: CommandSpec, ctx: CommandContext, name: string): Promise<string> {
  const own: HelpRow[] = Object.entries(command.options ?? {}).map(([flag, option]) => ({
    left: `--${flag}${option.valueName === undefined ? "" : ` ${option.valueName}`}`,
    description: option.description,
  }));
  const settings = settingHelpRows(command.settings);
  const notes = (await command.availability?.(ctx)) ?? [];
  const examples = command.examples?.(name) ?? [];
  return [
    ...command.usage.map((tail, index) => `${index === 0 ? "Usage: " : "       "}${name} ${tail}`),
    "",
    ...command.about,
    ...(notes.length > 0 ? ["", ...notes] : []),
    "",
    "Options:",
    formatHelpRows([...own, ...STANDARD_ROWS]),
    ...(settings.length > 0 ? ["", "Settings it reads (flag > environment variable > saved profile > default):", formatHelpRows(settings)] : []),
    ...(examples.length > 0 ? ["", "Examples:", ...examples.map((line) => `  ${line}`)] : []),
  ].join("\n");
}
