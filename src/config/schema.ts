import { z } from "zod";
import { AUTH_SCHEMES, BACKEND_FLAVOURS, LOG_LEVELS, PROJECT_KEYS, PROJECT_MODES } from "../core/unions.js";
import type { Settings } from "./types.js";

const BACKENDS = ["auto", ...BACKEND_FLAVOURS] as const;

export const MAX_TIMEOUT_MS = 3_600_000;
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
  allowHttp: z.boolean(),
  caFile: text,
  logLevel: oneOf(LOG_LEVELS),
} as const;

export const ProfileSchema = z.object(PROFILE_FIELDS).partial();
export type Profile = z.infer<typeof ProfileSchema>;
export type ProfileKey = keyof typeof PROFILE_FIELDS;
export const PROFILE_KEYS = Object.keys(PROFILE_FIELDS) as ProfileKey[];
