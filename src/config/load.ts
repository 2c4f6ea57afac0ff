import { resolveConfigDir, profilePath } from "./config-dir.js";
import { normalizeEndpoint } from "./endpoint.js";
import { readEnvSettings, type Env } from "./env.js";
import { ConfigError } from "./errors.js";
import { FLAG_FOR_FIELD } from "./flags.js";
import { SETTING_DEFAULTS, SETTING_RULES, type Profile, type SettingKey } from "./schema.js";
import { showValue } from "./show-value.js";
import type { SettingFlags, SettingSource, Settings } from "./types.js";

export interface LoadSettingsInput {
  flags?: SettingFlags;
  env: Env;
  /** From readProfile(); validated again here, so a hand-built object cannot slip past. */
  profile?: Profile;
  /** Default user id; see currentOsUserName(). */
  osUserName?: string;
}

/** Used when neither a user id nor the OS user name is available. */
export const FALLBACK_USER_ID = "default";

/** A value before validation, with enough provenance to say where a bad one came from. */
interface RawSetting {
  value: unknown;
  source: SettingSource;
  /** "--timeout", "MEMORY_BRIDGE_TIMEOUT_MS" or "timeoutMs". */
  name: string;
}
type RawSettings = Partial<Record<SettingKey, RawSetting>>;

const SETTING_FOR_FIELD: Record<keyof SettingFlags, SettingKey> = {
  endpoint: "endpoint",
  backend: "backend",
  authScheme: "authScheme",
  userId: "userId",
  projectMode: "projectMode",
  project: "projectId",
  projectKey: "projectKey",
  discovery: "discovery",
  timeout: "timeoutMs",
  maxResponseBytes: "maxResponseBytes",
  maxConnections: "maxConnections",
  maxMessageBytes: "maxMessageBytes",
  allowHttp: "allowHttp",
  caFile: "caFile",
  logLevel: "logLevel",
};

function fromFlags(flags: SettingFlags): RawSettings {
  const raw: RawSettings = {};
  for (const [field, value] of Object.entries(flags) as [keyof SettingFlags, unknown][]) {
    // An explicit empty flag (`--timeout ""`) is kept, so it is reported rather than ignored.
    if (value === undefined || !(field in SETTING_FOR_FIELD)) continue;
    raw[SETTING_FOR_FIELD[field]] = { value, source: "flag", name: FLAG_FOR_FIELD[field] };
  }
  return raw;
}

function fromEnv(env: Env): RawSettings {
  const raw: RawSettings = {};
  for (const [key, found] of Object.entries(readEnvSettings(env)) as [SettingKey, { value: string; variable: string }][]) {
    raw[key] = { value: found.value, source: "env", name: found.variable };
  }
  return raw;
}

function fromProfile(profile: Profile): RawSettings {
  const raw: RawSettings = {};
  for (const [key, value] of Object.entries(profile)) {
    if (value === undefined || !(key in SETTING_RULES)) continue;
    raw[key as SettingKey] = { value, source: "profile", name: key };
  }
  return raw;
}

function invalid(key: SettingKey, raw: RawSetting, profileFile: string): ConfigError {
  const { allowed } = SETTING_RULES[key];
  const value = showValue(key, raw.value);
  const where =
    raw.source === "flag"
      ? `${raw.name} ${value}`
      : raw.source === "env"
        ? `environment variable ${raw.name} ${value}`
        : `${raw.name} ${value} in the saved profile (${profileFile})`;
  return new ConfigError(`Invalid ${where}: ${allowed}.`, key, raw.source);
}

/** Merges flags > env > saved profile > defaults, validates every value, and freezes the result. */
export function loadSettings(input: LoadSettingsInput): Readonly<Settings> {
  const configDir = resolveConfigDir(input.env);
  const profileFile = profilePath(configDir);
  const layers = [fromFlags(input.flags ?? {}), fromEnv(input.env), fromProfile(input.profile ?? {})];

  const pick = <K extends SettingKey>(key: K): { value: NonNullable<Settings[K]>; source: SettingSource } | undefined => {
    const raw = layers.map((layer) => layer[key]).find((found) => found !== undefined);
    if (raw === undefined) return undefined;
    const parsed = SETTING_RULES[key].schema.safeParse(raw.value);
    if (!parsed.success) throw invalid(key, raw, profileFile);
    if (key !== "endpoint") return { value: parsed.data, source: raw.source };
    try {
      return { value: normalizeEndpoint(parsed.data as string) as NonNullable<Settings[K]>, source: raw.source };
    } catch {
      throw invalid(key, raw, profileFile);
    }
  };

  const endpoint = pick("endpoint");
  const settings: Settings = {
    endpoint: endpoint?.value,
    endpointSource: endpoint?.source ?? "default",
    backend: pick("backend")?.value ?? SETTING_DEFAULTS.backend,
    authScheme: pick("authScheme")?.value,
    userId: pick("userId")?.value ?? (input.osUserName?.trim() || FALLBACK_USER_ID),
    projectMode: pick("projectMode")?.value ?? SETTING_DEFAULTS.projectMode,
    projectId: pick("projectId")?.value,
    projectKey: pick("projectKey")?.value ?? SETTING_DEFAULTS.projectKey,
    // Only consulted when endpoint is undefined: a configured endpoint is never replaced by discovery.
    discovery: pick("discovery")?.value ?? SETTING_DEFAULTS.discovery,
    timeoutMs: pick("timeoutMs")?.value ?? SETTING_DEFAULTS.timeoutMs,
    maxResponseBytes: pick("maxResponseBytes")?.value ?? SETTING_DEFAULTS.maxResponseBytes,
    maxConnections: pick("maxConnections")?.value ?? SETTING_DEFAULTS.maxConnections,
    maxMessageBytes: pick("maxMessageBytes")?.value ?? SETTING_DEFAULTS.maxMessageBytes,
    allowHttp: pick("allowHttp")?.value ?? SETTING_DEFAULTS.allowHttp,
    caFile: pick("caFile")?.value,
    logLevel: pick("logLevel")?.value ?? SETTING_DEFAULTS.logLevel,
    configDir,
  };
  return Object.freeze(settings);
}
