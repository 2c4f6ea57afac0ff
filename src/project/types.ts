import type { ProjectMode } from "../core/unions.js";

/** Where the project id came from (reported by memory_status, status and project). */
export type ProjectSource = "roots" | "cwd" | "manual" | "global" | "fallback";

export interface ProjectResolution {
  /** `project_<name>_<hash8>`, the slugged manual id, or null (global mode / fallback). */
  id: string | null;
  /** The mode actually in force (auto falls back to global). */
  mode: ProjectMode;
  source: ProjectSource;
  /** Human explanation: which root/remote/path gave the id, or why it fell back. */
  reason: string;
  /** auto mode: the directory the walk started from, the repository root, and the hashed key. */
  start?: string;
  root?: string;
  key?: string;
  /** manual mode without a value: the error every tool reports. */
  error?: string;
  /**
   * The client has roots but did not report them in time, so this came from the working directory
   * and may be the wrong project; the next call asks the client again.
   */
  provisional?: boolean;
}
