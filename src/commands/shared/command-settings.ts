import { SETTING_KEYS, type SettingKey } from "../../config/settings.js";

/** Which settings each command reads (its flags and its --help come from these). */

const except = (...left: SettingKey[]): readonly SettingKey[] => SETTING_KEYS.filter((key) => !left.includes(key));

/** serve and setup: everything. */
export const ALL_SETTINGS: readonly SettingKey[] = SETTING_KEYS;
/** status and doctor open the session serve would, but store nothing and read no MCP messages. */
export const SESSION_SETTINGS = except("mem0Infer", "maxMessageBytes");
/** install pins every setting in force in the entry; discovery never runs once the endpoint is pinned. */
export const INSTALL_SETTINGS = except("discovery");
/** login checks the token with one call to one server: no project, no discovery, no MCP messages. */
export const LOGIN_SETTINGS: readonly SettingKey[] = [
  "endpoint",
  "backend",
  "authScheme",
  "headers",
  "userId",
  "timeoutMs",
  "maxResponseBytes",
  "maxConnections",
  "allowHttp",
  "caFile",
  "logLevel",
];
export const PROJECT_SETTINGS: readonly SettingKey[] = ["projectMode", "projectId", "projectKey"];
