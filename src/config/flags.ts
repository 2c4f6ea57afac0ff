import type { ParseArgsConfig } from "node:util";
import { DEFAULT_ENDPOINT } from "./endpoint.js";
import { SETTING_ENV_VARS } from "./env.js";
import { SETTING_DEFAULTS, type SettingKey } from "./schema.js";
import type { SettingFlags } from "./types.js";

/** The global flags every command accepts, ready for `parseArgs({ options: { ...globalFlagOptions, …own } })`. */
export const globalFlagOptions = {
  endpoint: { type: "string" },
  backend: { type: "string" },
  "auth-scheme": { type: "string" },
  "user-id": { type: "string" },
  "project-mode": { type: "string" },
  project: { type: "string" },
  "project-key": { type: "string" },
  // A flag of its own rather than parseArgs' allowNegative, which would apply to every boolean
  // option of the command that spreads these options in.
  "no-discovery": { type: "boolean" },
  timeout: { type: "string" },
  "max-response-bytes": { type: "string" },
  "max-connections": { type: "string" },
  "max-message-bytes": { type: "string" },
  "allow-http": { type: "boolean" },
  "ca-file": { type: "string" },
  "log-level": { type: "string" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

export type GlobalFlagName = keyof typeof globalFlagOptions;

export interface FlagHelp {
  /** "--project-mode" */
  flag: `--${GlobalFlagName}`;
  /** "MODE"; absent for boolean flags. */
  valueName?: string;
  description: string;
  /** Environment variables for the same setting, current name first. */
  env: readonly string[];
  /** Human text for the default, absent when there is none. */
  default?: string;
  /** The Settings key this flag sets. */
  setting: SettingKey;
}

const help = (setting: SettingKey, entry: Omit<FlagHelp, "flag" | "env" | "setting">) => ({
  ...entry,
  setting,
  env: SETTING_ENV_VARS[setting],
});

const HELP_BY_FLAG = {
  endpoint: help("endpoint", {
    valueName: "URL",
    description: "Memory server URL",
    default: `the saved profile, else ${DEFAULT_ENDPOINT}`,
  }),
  backend: help("backend", {
    valueName: "NAME",
    description: "Server flavour: auto or mcp-memory-service (mem0 and mem0-platform are not supported yet)",
    default: SETTING_DEFAULTS.backend,
  }),
  "auth-scheme": help("authScheme", {
    valueName: "SCHEME",
    description: "How the token is sent: bearer, x-api-key or token",
    default: "per backend",
  }),
  "user-id": help("userId", { valueName: "ID", description: "User id for mem0", default: "the OS user name" }),
  "project-mode": help("projectMode", {
    valueName: "MODE",
    description: "Project scoping: auto, manual or global",
    default: SETTING_DEFAULTS.projectMode,
  }),
  project: help("projectId", { valueName: "ID", description: "Project id (manual mode)" }),
  "project-key": help("projectKey", {
    valueName: "KEY",
    description: "What identifies a project in auto mode: remote or path",
    default: SETTING_DEFAULTS.projectKey,
  }),
  "no-discovery": help("discovery", {
    description: "Do not look for a memory server on the network (discovery is not built yet; accepted for compatibility)",
    default: "discovery on when no endpoint is set",
  }),
  timeout: help("timeoutMs", {
    valueName: "MS",
    description: "Deadline per tool call, in milliseconds",
    default: String(SETTING_DEFAULTS.timeoutMs),
  }),
  "max-response-bytes": help("maxResponseBytes", {
    valueName: "N",
    description: "Largest response read from the memory server, in bytes; a larger one fails the call",
    default: String(SETTING_DEFAULTS.maxResponseBytes),
  }),
  "max-connections": help("maxConnections", {
    valueName: "N",
    description: "Most connections open at once to the memory server; more calls wait their turn",
    default: String(SETTING_DEFAULTS.maxConnections),
  }),
  "max-message-bytes": help("maxMessageBytes", {
    valueName: "N",
    description: "Longest message (one line) accepted from the MCP client, in bytes",
    default: String(SETTING_DEFAULTS.maxMessageBytes),
  }),
  "allow-http": help("allowHttp", {
    description: "Allow plain http:// to a non-loopback host",
    default: "refused",
  }),
  "ca-file": help("caFile", {
    valueName: "PATH",
    description: "Extra CA certificates (PEM)",
    default: "system CAs",
  }),
  "log-level": help("logLevel", {
    valueName: "LEVEL",
    description: "error, warn, info or debug (logs go to stderr)",
    default: SETTING_DEFAULTS.logLevel,
  }),
} satisfies Record<GlobalFlagName, Omit<FlagHelp, "flag">>;

/** One row per global flag, in --help order. */
export const globalFlagHelp: readonly FlagHelp[] = Object.freeze(
  (Object.keys(globalFlagOptions) as GlobalFlagName[]).map((name) => ({
    flag: `--${name}` as const,
    ...HELP_BY_FLAG[name],
  })),
);

/** Flags as settings, from `parseArgs(...).values` (extra keys of the command's own options are ignored). */
export function toSettingFlags(values: Readonly<Record<string, unknown>>): SettingFlags {
  const text = (name: GlobalFlagName) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const flags: SettingFlags = {
    endpoint: text("endpoint"),
    backend: text("backend"),
    authScheme: text("auth-scheme"),
    userId: text("user-id"),
    projectMode: text("project-mode"),
    project: text("project"),
    projectKey: text("project-key"),
    discovery: values["no-discovery"] === true ? false : undefined,
    timeout: text("timeout"),
    maxResponseBytes: text("max-response-bytes"),
    maxConnections: text("max-connections"),
    maxMessageBytes: text("max-message-bytes"),
    allowHttp: values["allow-http"] === true ? true : undefined,
    caFile: text("ca-file"),
    logLevel: text("log-level"),
  };
  for (const key of Object.keys(flags) as (keyof SettingFlags)[]) {
    if (flags[key] === undefined) delete flags[key];
  }
  return flags;
}

/** Which flag fills each SettingFlags field, for error messages. */
export const FLAG_FOR_FIELD: Record<keyof SettingFlags, `--${GlobalFlagName}`> = {
  endpoint: "--endpoint",
  backend: "--backend",
  authScheme: "--auth-scheme",
  userId: "--user-id",
  projectMode: "--project-mode",
  project: "--project",
  projectKey: "--project-key",
  discovery: "--no-discovery",
  timeout: "--timeout",
  maxResponseBytes: "--max-response-bytes",
  maxConnections: "--max-connections",
  maxMessageBytes: "--max-message-bytes",
  allowHttp: "--allow-http",
  caFile: "--ca-file",
  logLevel: "--log-level",
};

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
