import { z } from "zod";
import { FileReadError, readRegularFileSync, type FileProblem } from "../core/regular-file.js";
import { isSensitiveKey } from "../core/secrets.js";
import { MAX_PROFILE_BYTES, PROJECT_NAME, profilePath } from "./config-dir.js";
import { ConfigError } from "./errors.js";
import { SETTING_KEYS, SETTINGS, settingRow, type SettingKey } from "./settings.js";
import { showValue } from "./show-value.js";

/** The settings a profile may hold: the rows with a `profile` schema. */
type ProfileRows = { [K in SettingKey as (typeof SETTINGS)[K] extends { profile: z.ZodType } ? K : never]: (typeof SETTINGS)[K] };
export type ProfileKey = keyof ProfileRows;
type ProfileFields = { [K in ProfileKey]: ProfileRows[K]["profile"] };

/**
 * The saved profile (conf's config.json), from the settings table. JSON types are strict here
 * (timeoutMs a number, allowHttp a boolean); there is deliberately no token field.
 */
const PROFILE_FIELDS = Object.fromEntries(
  SETTING_KEYS.flatMap((key) => {
    const schema = settingRow(key).profile;
    return schema === undefined ? [] : [[key, schema]];
  }),
) as ProfileFields;
const PROFILE_KEYS = Object.keys(PROFILE_FIELDS) as ProfileKey[];
const ProfileSchema = z.object(PROFILE_FIELDS).partial();
export type Profile = z.infer<typeof ProfileSchema>;

export interface ProfileRead {
  /** The valid fields of the file; {} when it is missing, unreadable or not a JSON object. */
  profile: Profile;
  path: string;
  exists: boolean;
  /** One sentence each, for status and doctor to show; empty when the file is fine or absent. */
  problems: string[];
}

/** A change to the profile; a field set to undefined is removed. */
export type ProfilePatch = { [K in ProfileKey]?: Profile[K] | undefined };

type FileContents =
  | { kind: "missing" }
  | { kind: "unusable"; problem: string }
  | { kind: "object"; data: Record<string, unknown> };

export { MAX_PROFILE_BYTES };

const PROFILE_PROBLEMS: Record<Exclude<FileProblem, "unreadable" | "symlink" | "timeout">, string> = {
  "not-regular": "is not a regular file (a FIFO, a device or a directory)",
  "too-large": `is larger than ${MAX_PROFILE_BYTES} bytes`,
};

function readProfileFile(file: string): FileContents {
  let text: string;
  try {
    const read = readRegularFileSync(file, { maxBytes: MAX_PROFILE_BYTES });
    if (read === undefined) return { kind: "missing" };
    text = read.text;
  } catch (error) {
    if (error instanceof FileReadError && (error.problem === "not-regular" || error.problem === "too-large")) {
      return {
        kind: "unusable",
        problem: `The saved profile ${file} ${PROFILE_PROBLEMS[error.problem]}; defaults are used. Replace it with the JSON file login writes, or delete it.`,
      };
    }
    const code = error instanceof FileReadError ? (error.code ?? error.problem) : String(error);
    return {
      kind: "unusable",
      problem: `The saved profile ${file} cannot be read (${code}); defaults are used. Check the file's permissions.`,
    };
  }
  if (text.trim() === "") return { kind: "object", data: {} };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {
      kind: "unusable",
      problem: `The saved profile ${file} is not valid JSON; defaults are used. Fix it, or delete it and run login again.`,
    };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return {
      kind: "unusable",
      problem: `The saved profile ${file} does not hold a JSON object; defaults are used. Fix it, or delete it and run login again.`,
    };
  }
  return { kind: "object", data: data as Record<string, unknown> };
}

/**
 * Keeps each valid field. An invalid field is dropped on its own (a bad logLevel should not lose
 * the endpoint). Unknown keys are ignored (conf's `__internal__`, fields of a newer version).
 */
function validFields(data: Record<string, unknown>, file: string): { profile: Profile; problems: string[] } {
  const profile: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const key of PROFILE_KEYS) {
    if (data[key] === undefined) continue;
    const parsed = PROFILE_FIELDS[key].safeParse(data[key]);
    if (parsed.success) {
      profile[key] = parsed.data;
    } else {
      const row = settingRow(key);
      problems.push(`Invalid ${key} ${showValue(data[key], row.url)} in the saved profile ${file} is ignored: ${row.profileAllowed ?? row.allowed}.`);
    }
  }
  for (const key of Object.keys(data)) {
    if (isSensitiveKey(key)) {
      problems.push(
        `The saved profile ${file} holds a "${key}" entry, which is ignored: tokens belong in the keychain (run login). Remove it from the file.`,
      );
    }
  }
  return { profile: profile as Profile, problems };
}

/**
 * The saved profile. Never throws: a missing file is `{}`; an unreadable or invalid one is `{}`
 * (or its valid fields) plus a description of what is wrong. Plain fs + zod rather than conf,
 * because this is on serve's start-up path and importing conf costs ~100 ms.
 */
export function readProfile(configDir: string): ProfileRead {
  const file = profilePath(configDir);
  const contents = readProfileFile(file);
  if (contents.kind === "missing") return { profile: {}, path: file, exists: false, problems: [] };
  if (contents.kind === "unusable") return { profile: {}, path: file, exists: true, problems: [contents.problem] };
  return { ...validFields(contents.data, file), path: file, exists: true };
}

/**
 * Applies `patch` to the profile through conf (atomic write) and returns the profile now saved.
 * Refuses to store a token, and refuses to overwrite a file that is not a JSON object (the person
 * may want to fix it by hand). Entries named like secrets that a person put in the file are dropped.
 */
export async function saveProfile(configDir: string, patch: ProfilePatch): Promise<Profile> {
  const file = profilePath(configDir);
  const secretKeys = Object.keys(patch).filter(isSensitiveKey);
  if (secretKeys.length > 0) {
    throw new ConfigError(
      `Refusing to save ${secretKeys.join(", ")} in the profile: tokens are stored in the keychain, never in ${file}.`,
      "profile",
      "profile",
    );
  }
  const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  const checked = ProfileSchema.strict().safeParse(changes);
  if (!checked.success) {
    const keys = [...new Set(checked.error.issues.map((issue) => String(issue.path[0] ?? "profile")))];
    throw new ConfigError(`Cannot save ${keys.join(", ")} in the profile: invalid value.`, "profile", "profile");
  }

  const contents = readProfileFile(file);
  if (contents.kind === "unusable") throw new ConfigError(contents.problem.replace(/; defaults are used/, ""), "profile", "profile");
  const current = contents.kind === "object" ? contents.data : {};
  const next: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(current)) {
    if (!isSensitiveKey(key) && !(key in patch)) next[key] = value;
  }
  Object.assign(next, checked.data);

  const { default: Conf } = await import("conf");
  const store = new Conf<Record<string, unknown>>({ projectName: PROJECT_NAME, projectSuffix: "", cwd: configDir, configName: "config" });
  store.store = next;
  return validFields(next, file).profile;
}
