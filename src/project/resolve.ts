import * as path from "node:path";
import { fallbackReason } from "./fallback.js";
import { nodeProjectFs, readOrUndefined, realpathOrResolved, type ProjectFs } from "./fs.js";
import { parseOriginUrl } from "./git-config.js";
import { findGitRoot } from "./git-root.js";
import { normalizeRemote, remoteName } from "./normalize-remote.js";
import { makeProjectId } from "./project-id.js";
import { slugProjectName } from "./slug.js";
import { directoryFromRoots } from "./start-dir.js";
import type { ProjectKeyMode, ProjectMode } from "../core/unions.js";
import type { ProjectResolution } from "./types.js";

export interface ResolveProjectInput {
  mode: ProjectMode;
  /** `--project` / `MEMORY_BRIDGE_PROJECT_ID` (manual mode). */
  manualId?: string;
  /** `--project-key path` forces the path key even when there is a remote. */
  keyMode: ProjectKeyMode;
  /** Root URIs reported by the MCP client (`roots/list`); undefined when it does not support roots. */
  roots?: readonly string[];
  cwd: string;
  home: string;
  tmpdir: string;
  /** Whose rules paths follow (Windows compares them ignoring case); default this process's. */
  platform?: NodeJS.Platform;
  fs?: ProjectFs;
}

export const MANUAL_ID_MISSING =
  "Project mode is manual but no project id is set: set --project or MEMORY_BRIDGE_PROJECT_ID, or use --project-mode auto or global.";

/** The project id for this process (contracts/project.md). Never throws for a missing or odd directory. */
export async function resolveProject(input: ResolveProjectInput): Promise<ProjectResolution> {
  switch (input.mode) {
    case "global":
      return { id: null, mode: "global", source: "global", reason: "global mode: no project scoping" };
    case "manual":
      return resolveManual(input.manualId);
    case "auto":
      return resolveAuto(input, input.fs ?? nodeProjectFs);
  }
}

function resolveManual(manualId: string | undefined): ProjectResolution {
  if (manualId === undefined || manualId.trim() === "") {
    return { id: null, mode: "manual", source: "manual", reason: "manual mode without a project id", error: MANUAL_ID_MISSING };
  }
  return { id: slugProjectName(manualId), mode: "manual", source: "manual", reason: "manual id from settings" };
}

async function resolveAuto(input: ResolveProjectInput, fs: ProjectFs): Promise<ProjectResolution> {
  const fromRoots = directoryFromRoots(input.roots);
  const source = fromRoots === undefined ? "cwd" : "roots";
  // Real paths throughout: git walks the physical tree, and on macOS the temp dir is a symlink.
  const [start, home, tmpdir] = await Promise.all(
    [fromRoots ?? input.cwd, input.home, input.tmpdir].map((p) => realpathOrResolved(p, fs)),
  ) as [string, string, string];

  const notAProject = fallbackReason({ start, home, tmpdir }, input.platform);
  if (notAProject !== undefined) {
    return { id: null, mode: "global", source: "fallback", reason: notAProject, start };
  }

  const gitRoot = await findGitRoot(start, fs);
  const root = gitRoot?.root ?? start;
  const remote = input.keyMode === "remote" ? await originRemote(gitRoot?.configPath, fs) : undefined;
  const key = remote ?? root;
  const name = remote === undefined ? path.basename(root) : remoteName(remote);
  return { id: makeProjectId(name, key), mode: "auto", source, reason: autoReason(), start, root, key };

  function autoReason(): string {
    if (remote !== undefined) return `git remote ${remote} at ${root}`;
    if (gitRoot === undefined) return `path ${root} (not a git repository)`;
    if (input.keyMode === "path") return `path ${root} (project key set to path)`;
    return `path ${root} (no git remote)`;
  }
}

/** The normalized `remote "origin"` url, or undefined when there is no readable one. */
async function originRemote(configPath: string | undefined, fs: ProjectFs): Promise<string | undefined> {
  if (configPath === undefined) return undefined;
  const text = await readOrUndefined(configPath, fs);
  const url = text === undefined ? undefined : parseOriginUrl(text);
  const remote = url === undefined ? undefined : normalizeRemote(url);
  return remote === "" ? undefined : remote;
}
