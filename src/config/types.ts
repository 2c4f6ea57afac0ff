import type { AuthScheme, BackendFlavour, LogLevel, ProjectKeyMode, ProjectMode, SettingSource } from "../core/unions.js";

/** Every setting of contracts/cli.md except the token (credentials/ owns that). Frozen. */
export interface Settings {
  /** Canonical endpoint URL, or undefined when none is configured (discovery may find one). */
  endpoint: string | undefined;
  endpointSource: SettingSource;
  backend: "auto" | BackendFlavour;
  authScheme: AuthScheme | undefined;
  userId: string;
  projectMode: ProjectMode;
  projectId: string | undefined;
  projectKey: ProjectKeyMode;
  discovery: boolean;
  timeoutMs: number;
  allowHttp: boolean;
  caFile: string | undefined;
  logLevel: LogLevel;
  /** Where the saved profile (conf) lives: MEMORY_BRIDGE_CONFIG_DIR or the OS config dir. */
  configDir: string;
}

/** Flags as parsed from argv, before merging. */
export interface SettingFlags {
  endpoint?: string;
  backend?: string;
  authScheme?: string;
  userId?: string;
  projectMode?: string;
  project?: string;
  projectKey?: string;
  discovery?: boolean;
  timeout?: string;
  allowHttp?: boolean;
  caFile?: string;
  logLevel?: string;
}
