import type { ParseArgsConfig } from "node:util";
import { flagField, SETTING_KEYS, settingRow, type SettingFlags, type SettingKey } from "./settings.js";

/** The global flags every command accepts, ready for `parseArgs({ options: { ...globalFlagOptions, …own } })`. */
export const globalFlagOptions: NonNullable<ParseArgsConfig["options"]> = Object.fromEntries(
  SETTING_KEYS.map((key) => {
    const row = settingRow(key);
    return [row.flag, { type: row.valueName === undefined ? "boolean" : "string", ...(row.multiple && { multiple: true }) }];
  }),
);

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

/** The "Global options" block of --help; `extra` rows (e.g. -h, --help) are aligned with the flags. */
export function formatGlobalFlagsHelp(extra: readonly { left: string; description: string }[] = []): string {
  const rows = globalFlagHelp.map((row) => {
    const extras = [`env ${row.env.join(", ")}`];
    if (row.default !== undefined) extras.push(`default: ${row.default}`);
    return { left: row.valueName ? `${row.flag} ${row.valueName}` : row.flag, description: `${row.description} (${extras.join("; ")})` };
  });
  const all = [...rows, ...extra];
  const width = Math.max(...all.map((row) => row.left.length)) + 2;
  return all.map((row) => `  ${row.left.padEnd(width)}${row.description}`).join("\n");
}
