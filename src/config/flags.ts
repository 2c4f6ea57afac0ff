import type { ParseArgsConfig } from "node:util";
import { flagField, SETTING_KEYS, settingRow, type SettingFlags, type SettingKey } from "./settings.js";

type ParseOptions = NonNullable<ParseArgsConfig["options"]>;

/** The flags of these settings, ready for `parseArgs({ options: { ...settingFlagOptions(keys), …own } })`. */
export function settingFlagOptions(keys: readonly SettingKey[]): ParseOptions {
  return Object.fromEntries(
    keys.map((key) => {
      const row = settingRow(key);
      return [row.flag, { type: row.valueName === undefined ? "boolean" : "string", ...(row.multiple && { multiple: true }) }];
    }),
  );
}

/** Every setting's flag (to find the command in `--endpoint URL status`; each command parses only its own). */
export const globalFlagOptions: ParseOptions = settingFlagOptions(SETTING_KEYS);

export interface FlagHelp {
  /** "--project-mode" */
  flag: `--${string}`;
  /** "MODE"; absent for switches. */
  valueName?: string;
  description: string;
  /** Environment variables for the same setting, current name first. */
  env: readonly string[];
  /** Human text for the default, absent when there is none. */
  default?: string;
  /** The Settings key this flag sets. */
  setting: SettingKey;
}

/** One row per global flag, in --help order. */
export const globalFlagHelp: readonly FlagHelp[] = Object.freeze(
  SETTING_KEYS.map((setting) => {
    const row = settingRow(setting);
    const fixedDefault = typeof row.default === "function" || row.default === undefined ? undefined : String(row.default);
    const shownDefault = row.defaultHelp ?? fixedDefault;
    return {
      flag: `--${row.flag}` as const,
      ...(row.valueName !== undefined && { valueName: row.valueName }),
      description: row.description,
      env: row.env,
      ...(shownDefault !== undefined && { default: shownDefault }),
      setting,
    };
  }),
);

/** Flags as settings, from `parseArgs(...).values` (extra keys of the command's own options are ignored). */
export function toSettingFlags(values: Readonly<Record<string, unknown>>): SettingFlags {
  const flags: Record<string, string | string[] | boolean> = {};
  for (const key of SETTING_KEYS) {
    const row = settingRow(key);
    const value = values[row.flag];
    // An explicit empty value (`--timeout=`) is kept, so that it is reported rather than ignored.
    if (row.multiple && Array.isArray(value)) {
      flags[flagField(row.flag)] = value as string[];
    } else if (row.switchSets === undefined ? typeof value === "string" : value === true) {
      flags[flagField(row.flag)] = row.switchSets ?? (value as string);
    }
  }
  return flags as SettingFlags;
}

export interface HelpRow {
  left: string;
  description: string;
}

/** The --help rows of these settings' flags: the flag, what it does, its environment variables and default. */
export function settingHelpRows(keys: readonly SettingKey[]): HelpRow[] {
  return globalFlagHelp
    .filter((row) => keys.includes(row.setting))
    .map((row) => {
      const extras = [`env ${row.env.join(", ")}`];
      if (row.default !== undefined) extras.push(`default: ${row.default}`);
      return { left: row.valueName ? `${row.flag} ${row.valueName}` : row.flag, description: `${row.description} (${extras.join("; ")})` };
    });
}

/** Rows as an aligned block of --help. */
export function formatHelpRows(rows: readonly HelpRow[]): string {
  const width = Math.max(...rows.map((row) => row.left.length)) + 2;
  return rows.map((row) => `  ${row.left.padEnd(width)}${row.description}`).join("\n");
}

/** Every setting's flag as a --help block; `extra` rows (e.g. -h, --help) are aligned with the flags. */
export function formatGlobalFlagsHelp(extra: readonly HelpRow[] = []): string {
  return formatHelpRows([...settingHelpRows(SETTING_KEYS), ...extra]);
}
