import { z } from "zod";
import type { BackendFlavour } from "../backends/types.js";
import type { LogLevel } from "../log.js";
import type { ProjectMode } from "../project/types.js";
import type { AuthScheme, Settings } from "./types.js";

/** Compile-time check that a list names every member of a union, so it cannot drift from types.ts. */
const everyOf =
  <T extends string>() =>
  <const L extends readonly [T, ...T[]]>(list: L & ([T] extends [L[number]] ? unknown : never)): L =>
    list;

export const BACKENDS = everyOf<"auto" | BackendFlavour>()(["auto", "mcp-memory-service", "mem0", "mem0-platform"]);
export const AUTH_SCHEMES = everyOf<AuthScheme>()(["bearer", "x-api-key", "token"]);
export const PROJECT_MODES = everyOf<ProjectMode>()(["auto", "manual", "global"]);
export const PROJECT_KEYS = everyOf<Settings["projectKey"]>()(["remote", "path"]);
export const LOG_LEVELS = everyOf<LogLevel>()(["error", "warn", "info", "debug"]);

export const MAX_TIMEOUT_MS = 3_600_000;
const KiB = 1024;
const MiB = 1024 * KiB;
/** Bounds of the size settings. 256 MiB keeps a body's text under V8's longest string. */
export const SIZE_LIMITS = {
  maxResponseBytes: { min: 64 * KiB, max: 256 * MiB },
  maxConnections: { min: 1, max: 256 },
  // Above the largest store (100 000 characters, up to 6 bytes each when JSON-escaped) with room for metadata.
  maxMessageBytes: { min: 1 * MiB, max: 256 * MiB },
} as const;
const SWITCH_ON = ["1", "true", "yes", "on"] as const;
const SWITCH_OFF = ["0", "false", "no", "off"] as const;

/** The keys of Settings that come from flags, env or profile (configDir and endpointSource do not). */
export type SettingKey = Exclude<keyof Settings, "configDir" | "endpointSource">;

/** Defaults of contracts/cli.md. userId's default (the OS user name) is supplied by the caller. */
export const SETTING_DEFAULTS = Object.freeze({
  backend: "auto",
  projectMode: "auto",
  projectKey: "remote",
  discovery: true,
  timeoutMs: 15_000,
  // A project search over-fetches 100 records of up to 100 000 characters: tens of MB must fit.
  maxResponseBytes: 32 * MiB,
  maxConnections: 16,
  maxMessageBytes: 4 * MiB,
  allowHttp: false,
  logLevel: "warn",
} as const satisfies Partial<Settings>);

/** "use a, b or c" */
export function listChoices(values: readonly string[]): string {
  const quoted = [...values];
  const last = quoted.pop();
  return quoted.length === 0 ? `use ${last}` : `use ${quoted.join(", ")} or ${last}`;
}

const text = z.string().trim().min(1);
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.string().trim().toLowerCase().pipe(z.enum(values));
const milliseconds = z.number().int().min(1).max(MAX_TIMEOUT_MS);
const millisecondsText = z.union([milliseconds, z.string().trim().regex(/^\d+$/).transform(Number)]).pipe(milliseconds);
const onOff = z.union([
  z.boolean(),
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum([...SWITCH_ON, ...SWITCH_OFF]))
    .transform((word) => (SWITCH_ON as readonly string[]).includes(word)),
]);

const wholeNumber = (min: number, max: number) => {
  const number = z.number().int().min(min).max(max);
  return z.union([number, z.string().trim().regex(/^\d+$/).transform(Number)]).pipe(number);
};
const wholeNumberChoices = (key: keyof typeof SIZE_LIMITS, unit: string) =>
  `use a whole number of ${unit} from ${SIZE_LIMITS[key].min} to ${SIZE_LIMITS[key].max} (default ${SETTING_DEFAULTS[key]})`;

const switchChoices = `use ${SWITCH_ON.join(", ")} (on) or ${SWITCH_OFF.join(", ")} (off)`;
const timeoutChoices = `use a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (default ${SETTING_DEFAULTS.timeoutMs})`;

interface SettingRule<T> {
  /** Accepts a flag/env string or a profile value and yields the setting's type. */
  schema: z.ZodType<T, unknown>;
  /** Ends the ConfigError message: what the person may write instead. */
  allowed: string;
}

/** Endpoint is only checked for presence here; load.ts validates it through normalizeEndpoint(). */
export const SETTING_RULES: { [K in SettingKey]: SettingRule<NonNullable<Settings[K]>> } = {
  endpoint: { schema: text, allowed: "use an http:// or https:// URL such as https://memory.example.com" },
  backend: { schema: oneOf(BACKENDS), allowed: listChoices(BACKENDS) },
  authScheme: { schema: oneOf(AUTH_SCHEMES), allowed: listChoices(AUTH_SCHEMES) },
  userId: { schema: text, allowed: "use a non-empty user id" },
  projectMode: { schema: oneOf(PROJECT_MODES), allowed: listChoices(PROJECT_MODES) },
  projectId: { schema: text, allowed: "use a non-empty project id" },
  projectKey: { schema: oneOf(PROJECT_KEYS), allowed: listChoices(PROJECT_KEYS) },
  discovery: { schema: onOff, allowed: switchChoices },
  timeoutMs: { schema: millisecondsText, allowed: timeoutChoices },
  maxResponseBytes: { schema: wholeNumber(SIZE_LIMITS.maxResponseBytes.min, SIZE_LIMITS.maxResponseBytes.max), allowed: wholeNumberChoices("maxResponseBytes", "bytes") },
  maxConnections: { schema: wholeNumber(SIZE_LIMITS.maxConnections.min, SIZE_LIMITS.maxConnections.max), allowed: wholeNumberChoices("maxConnections", "connections") },
  maxMessageBytes: { schema: wholeNumber(SIZE_LIMITS.maxMessageBytes.min, SIZE_LIMITS.maxMessageBytes.max), allowed: wholeNumberChoices("maxMessageBytes", "bytes") },
  allowHttp: { schema: onOff, allowed: switchChoices },
  caFile: { schema: text, allowed: "use the path of a PEM file" },
  logLevel: { schema: oneOf(LOG_LEVELS), allowed: listChoices(LOG_LEVELS) },
};

/**
 * The saved profile (conf's config.json). JSON types are strict here (timeoutMs a number,
 * allowHttp a boolean); there is deliberately no token field.
 */
export const PROFILE_FIELDS = {
  endpoint: text,
  backend: oneOf(BACKENDS),
  authScheme: oneOf(AUTH_SCHEMES),
  userId: text,
  projectMode: oneOf(PROJECT_MODES),
  timeoutMs: milliseconds,
  maxResponseBytes: z.number().int().min(SIZE_LIMITS.maxResponseBytes.min).max(SIZE_LIMITS.maxResponseBytes.max),
  maxConnections: z.number().int().min(SIZE_LIMITS.maxConnections.min).max(SIZE_LIMITS.maxConnections.max),
  maxMessageBytes: z.number().int().min(SIZE_LIMITS.maxMessageBytes.min).max(SIZE_LIMITS.maxMessageBytes.max),
  allowHttp: z.boolean(),
  caFile: text,
  logLevel: oneOf(LOG_LEVELS),
} as const;

export const ProfileSchema = z.object(PROFILE_FIELDS).partial();
export type Profile = z.infer<typeof ProfileSchema>;
export type ProfileKey = keyof typeof PROFILE_FIELDS;
export const PROFILE_KEYS = Object.keys(PROFILE_FIELDS) as ProfileKey[];
