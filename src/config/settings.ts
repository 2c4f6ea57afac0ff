import { z } from "zod";
import { canonicalEndpoint, DEFAULT_ENDPOINT } from "../core/endpoint.js";
import { AUTH_SCHEMES, BACKEND_CHOICES, LOG_LEVELS, PROJECT_KEYS, PROJECT_MODES, type SettingSource } from "../core/unions.js";
import { FALLBACK_USER_ID, slugUserId } from "../core/user-id.js";
import { BACKEND_ENV_VARS, ENDPOINT_ENV_VARS } from "./remote-mcp-hint.js";
import { headerList, listChoices, onOff, oneOf, switchChoices, text, wholeNumber } from "./values.js";

export { FALLBACK_USER_ID };

/**
 * Every setting of contracts/cli.md (except the token, which credentials/ owns), one row each:
 * the flag, the environment variables, whether and how the saved profile holds it, the value it
 * takes, its default, and the words for --help and for an invalid value. The parseArgs options and
 * --help (flags.ts), the environment lookup (env.ts), the profile schema (profile.ts), the merge
 * and its error names (load.ts) and the Settings type are all generated from this table: a new
 * setting is one row.
 */

interface Row<Flag extends string, T> {
  /** The flag without "--". */
  flag: Flag;
  /** The flag's value in --help ("URL"); absent for a switch, which takes no value. */
  valueName?: string;
  /** The flag may be repeated; its values arrive as a list. */
  multiple?: true;
  /** What a switch sets: --allow-http true, --no-discovery false. */
  switchSets?: boolean;
  /** Current name first, then legacy aliases. */
  env: readonly [string, ...string[]];
  /** Legacy variables whose values the bridge they come from reads differently, put into our spelling. */
  envValues?: Readonly<Record<string, (value: string) => string>>;
  /** Reads a flag or variable's text, or a profile's value, into the setting's type. */
  schema: z.ZodType<T, unknown>;
  /** How the saved profile holds it (JSON types, strictly); absent when it is never saved. */
  profile?: z.ZodType<T, unknown>;
  /** Ends an invalid value's message: what the person may write instead. */
  allowed: string;
  /** The same for an invalid profile field, when it differs. */
  profileAllowed?: string;
  /** The value when nothing sets it (or how to work it out); absent: undefined. */
  default?: T | ((context: DefaultContext) => T);
  /** --help's words for the default, when they are not String(default). */
  defaultHelp?: string;
  description: string;
  /** Its value may hold a password or key (userinfo, query): shown without them in messages. */
  url?: true;
}

export interface DefaultContext {
  /** The OS user name, when the system can tell (see currentOsUserName). */
  osUserName?: string | undefined;
}

const MAX_TIMEOUT_MS = 3_600_000;
const DEFAULT_TIMEOUT_MS = 15_000;
const KiB = 1024;
const MiB = 1024 * KiB;
const BACKENDS = BACKEND_CHOICES;

/** Checks a row and keeps its literal type (its flag name, which fields it has, its value type). */
const row = <const Flag extends string, T, const R extends Row<Flag, T>>(spec: R & Row<Flag, T>): R => spec;

const timeout = wholeNumber(1, MAX_TIMEOUT_MS);
/** A whole-number setting in [min, max] with its default: the value, the profile's JSON, the words for a bad one. */
const bounded = (min: number, max: number, fallback: number, unit: string) => {
  const { text, json } = wholeNumber(min, max);
  return { schema: text, profile: json, default: fallback, allowed: `use a whole number of ${unit} from ${min} to ${max} (default ${fallback})` };
};
const endpoint = text.transform((value, ctx) => {
  try {
    return canonicalEndpoint(value);
  } catch {
    ctx.addIssue({ code: "custom", message: "not an http(s) URL" });
    return "";
  }
});

export const SETTINGS = {
  endpoint: row({
    flag: "endpoint",
    valueName: "URL",
    env: ENDPOINT_ENV_VARS,
    schema: endpoint,
    profile: text,
    allowed: "use an http:// or https:// URL such as https://memory.example.com",
    description: "Memory server URL",
    defaultHelp: `the saved profile, else ${DEFAULT_ENDPOINT}`,
    url: true,
  }),
  backend: row({
    flag: "backend",
    valueName: "NAME",
    env: BACKEND_ENV_VARS,
    schema: oneOf(BACKENDS),
    profile: oneOf(BACKENDS),
    allowed: listChoices(BACKENDS),
    default: "auto",
    description:
      "Server flavour: auto, mcp-memory-service, mem0 (self-hosted), mem0-platform (api.mem0.ai), mem0-keyed (the API-key server), or mcp for a server that speaks MCP over HTTP",
  }),
  authScheme: row({
    flag: "auth-scheme",
    valueName: "SCHEME",
    env: ["MEMORY_BRIDGE_AUTH_SCHEME"],
    schema: oneOf(AUTH_SCHEMES),
    profile: oneOf(AUTH_SCHEMES),
    allowed: listChoices(AUTH_SCHEMES),
    defaultHelp: "per backend",
    description: "How the token is sent: bearer, x-api-key, token or x-mcp-token (with X-MCP-UserID from --user-id)",
  }),
  headers: row({
    flag: "header",
    valueName: '"NAME: VALUE"',
    multiple: true,
    env: ["MEMORY_BRIDGE_HEADERS"],
    schema: headerList,
    profile: headerList,
    allowed: 'use "Name: value" per --header, or a JSON object of names and text values in MEMORY_BRIDGE_HEADERS',
    defaultHelp: "none",
    description: "Extra non-secret header for a remote MCP server (--backend mcp); repeatable",
  }),
  userId: row({
    flag: "user-id",
    valueName: "ID",
    env: ["MEMORY_BRIDGE_USER_ID", "DEFAULT_USER_ID"],
    schema: text,
    profile: text,
    allowed: "use a non-empty user id",
    default: ({ osUserName }) => (osUserName === undefined ? FALLBACK_USER_ID : slugUserId(osUserName)),
    // mem0 refuses ids with whitespace: "Jane Doe" becomes jane-doe.
    defaultHelp: "the OS user name, lower-cased, spaces as -",
    description: "User id for mem0 (the API-key server: the key's own user) and the Mem0 MCP server (X-MCP-UserID)",
  }),
  mem0Infer: row({
    flag: "mem0-infer",
    valueName: "BOOL",
    env: ["MEMORY_BRIDGE_MEM0_INFER"],
    schema: onOff,
    profile: z.boolean(),
    allowed: switchChoices,
    profileAllowed: "use true or false",
    default: true,
    description: "mem0: let the server's language model extract facts from a store; false stores the text verbatim",
  }),
  projectMode: row({
    flag: "project-mode",
    valueName: "MODE",
    env: ["MEMORY_BRIDGE_PROJECT_MODE", "PROJECT_ID_MODE"],
    schema: oneOf(PROJECT_MODES),
    profile: oneOf(PROJECT_MODES),
    allowed: listChoices(PROJECT_MODES),
    default: "auto",
    description: "Project scoping: auto, manual or global",
  }),
  projectId: row({
    flag: "project",
    valueName: "ID",
    env: ["MEMORY_BRIDGE_PROJECT_ID"],
    schema: text,
    allowed: "use a non-empty project id",
    description: "Project id (manual mode)",
  }),
  projectKey: row({
    flag: "project-key",
    valueName: "KEY",
    env: ["MEMORY_BRIDGE_PROJECT_KEY"],
    schema: oneOf(PROJECT_KEYS),
    allowed: listChoices(PROJECT_KEYS),
    default: "remote",
    description: "What identifies a project in auto mode: remote or path",
  }),
  // Only consulted when no endpoint is set: a configured endpoint is never replaced by discovery.
  discovery: row({
    // A flag of its own rather than parseArgs' allowNegative, which would apply to every boolean
    // option of the command that spreads these options in.
    flag: "no-discovery",
    switchSets: false,
    env: ["MEMORY_BRIDGE_DISCOVERY", "MCP_MEMORY_AUTO_DISCOVER"],
    // http-mcp-bridge.js: `process.env.MCP_MEMORY_AUTO_DISCOVER === 'true'`; anything else is off.
    envValues: { MCP_MEMORY_AUTO_DISCOVER: (value) => (value === "true" ? "true" : "false") },
    schema: onOff,
    allowed: switchChoices,
    default: true,
    defaultHelp: "discovery on when no endpoint is set",
    description: "Do not look for a memory server (loopback probes, then mDNS) when no endpoint is set; use mcp-memory-service's default address instead",
  }),
  timeoutMs: row({
    flag: "timeout",
    valueName: "MS",
    env: ["MEMORY_BRIDGE_TIMEOUT_MS"],
    schema: timeout.text,
    profile: timeout.json,
    allowed: `use a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (default ${DEFAULT_TIMEOUT_MS})`,
    default: DEFAULT_TIMEOUT_MS,
    description: "Deadline per tool call, in milliseconds",
  }),
  // 256 MiB keeps a body's text under V8's longest string. A project search over-fetches 100
  // records of up to 100 000 characters: tens of MB must fit.
  maxResponseBytes: row({
    flag: "max-response-bytes",
    valueName: "N",
    env: ["MEMORY_BRIDGE_MAX_RESPONSE_BYTES"],
    ...bounded(64 * KiB, 256 * MiB, 32 * MiB, "bytes"),
    description: "Largest response read from the memory server, in bytes; a larger one fails the call",
  }),
  maxConnections: row({
    flag: "max-connections",
    valueName: "N",
    env: ["MEMORY_BRIDGE_MAX_CONNECTIONS"],
    ...bounded(1, 256, 16, "connections"),
    description: "Most connections open at once to the memory server; more calls wait their turn",
  }),
  // At least the largest store (100 000 characters, up to 6 bytes each when JSON-escaped) with room for metadata.
  maxMessageBytes: row({
    flag: "max-message-bytes",
    valueName: "N",
    env: ["MEMORY_BRIDGE_MAX_MESSAGE_BYTES"],
    ...bounded(1 * MiB, 256 * MiB, 4 * MiB, "bytes"),
    description: "Longest message (one line) accepted from the MCP client, in bytes",
  }),
  allowHttp: row({
    flag: "allow-http",
    switchSets: true,
    env: ["MEMORY_BRIDGE_ALLOW_HTTP"],
    schema: onOff,
    profile: z.boolean(),
    allowed: switchChoices,
    profileAllowed: "use true or false",
    default: false,
    defaultHelp: "refused",
    description: "Allow plain http:// to a non-loopback host",
  }),
  caFile: row({
    flag: "ca-file",
    valueName: "PATH",
    env: ["MEMORY_BRIDGE_CA_FILE"],
    schema: text,
    profile: text,
    allowed: "use the path of a PEM file",
    defaultHelp: "system CAs",
    description: "Extra CA certificates (PEM)",
  }),
  logLevel: row({
    flag: "log-level",
    valueName: "LEVEL",
    env: ["MEMORY_BRIDGE_LOG_LEVEL"],
    schema: oneOf(LOG_LEVELS),
    profile: oneOf(LOG_LEVELS),
    allowed: listChoices(LOG_LEVELS),
    default: "warn",
    description: "error, warn, info or debug (logs go to stderr)",
  }),
};

type Table = typeof SETTINGS;
export type SettingKey = keyof Table;
/** Every setting in table order (the order of --help). */
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];
/** Any row, for code that walks the table. */
export type SettingRow = Row<string, unknown>;
export const settingRow = (key: SettingKey): SettingRow => SETTINGS[key] as SettingRow;

/** A setting's value when nothing sets it. */
export function defaultOf(key: SettingKey, context: DefaultContext): unknown {
  const fallback = settingRow(key).default;
  return typeof fallback === "function" ? fallback(context) : fallback;
}

type ValueOf<K extends SettingKey> = z.output<Table[K]["schema"]>;

/** The merged settings of contracts/cli.md (loadSettings returns them frozen). */
export type Settings = {
  [K in SettingKey]: Table[K] extends { default: unknown } ? ValueOf<K> : ValueOf<K> | undefined;
} & {
  /** Where the endpoint came from: "default" when nothing configures one. */
  endpointSource: SettingSource;
  /** Where the saved profile (conf) lives: MEMORY_BRIDGE_CONFIG_DIR or the OS config dir. */
  configDir: string;
};

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
/** A flag's field in SettingFlags: --project-key → projectKey, --no-discovery → discovery. */
type FlagField<Flag extends string> = Camel<Flag extends `no-${infer Rest}` ? Rest : Flag>;

/** The flags as parsed from argv, before merging: a string per value flag, a boolean per switch. */
export type SettingFlags = {
  [K in SettingKey as FlagField<Table[K]["flag"]>]?: Table[K] extends { switchSets: boolean } ? boolean : Table[K] extends { multiple: true } ? string[] : string;
};

export function flagField(flag: string): string {
  return flag.replace(/^no-/, "").replace(/-([a-z])/g, (_dash, letter: string) => letter.toUpperCase());
}
