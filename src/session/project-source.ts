import type { ProjectKeyMode, ProjectMode } from "../core/unions.js";
import type { Logger } from "../log.js";
import { resolveProject } from "../project/resolve.js";
import type { ProjectResolution } from "../project/types.js";

/** After this many failed roots/list requests in a row, the working directory is final. */
const MAX_ROOTS_FAILURES = 3;

export interface ProjectSourceDeps {
  mode: ProjectMode;
  manualId: string | undefined;
  keyMode: ProjectKeyMode;
  cwd: string;
  home: string;
  tmpdir: string;
  platform: NodeJS.Platform;
  logger: Logger;
}

/**
 * The project in force, resolved on first use and kept: from the client's roots when it reports
 * them (auto mode), else from the working directory. A failed roots/list is not the final answer:
 * the project is provisional and the next call asks the client again, a few times.
 */
export class ProjectSource {
  private current?: Promise<ProjectResolution>;
  private rootsProvider?: () => Promise<string[] | undefined>;
  private rootsFailures = 0;

  constructor(private readonly deps: ProjectSourceDeps) {}

  /** Where the start directory comes from when the client reports roots. */
  useRoots(provider: () => Promise<string[] | undefined>): void {
    this.rootsProvider = provider;
    this.current = undefined;
  }

  /** The client's roots changed: resolve again on the next call. */
  invalidate(): void {
    this.current = undefined;
  }

  resolve(): Promise<ProjectResolution> {
    if (!this.current) {
      const resolving = this.resolveNow();
      const current = resolving.then(({ resolution }) => resolution);
      this.current = current;
      const forget = () => {
        if (this.current === current) this.current = undefined;
      };
      resolving.then(({ retryRoots }) => retryRoots && forget(), forget);
    }
    return this.current;
  }

  private async resolveNow(): Promise<{ resolution: ProjectResolution; retryRoots: boolean }> {
    const { mode, manualId, keyMode, cwd, home, tmpdir, platform, logger } = this.deps;
    let roots: string[] | undefined;
    let rootsProblem: string | undefined;
    if (mode === "auto" && this.rootsProvider) {
      try {
        roots = await this.rootsProvider();
        this.rootsFailures = 0;
      } catch (error) {
        this.rootsFailures++;
        rootsProblem = error instanceof Error ? error.message : String(error);
        logger.warn("the client did not report its roots; using the working directory", { error: rootsProblem });
      }
    }
    const resolution = await resolveProject({ mode, manualId, keyMode, roots, cwd, home, tmpdir, platform });
    const retryRoots = rootsProblem !== undefined && this.rootsFailures < MAX_ROOTS_FAILURES;
    if (rootsProblem) resolution.reason += `; the client's roots were unavailable (${rootsProblem})`;
    if (retryRoots) resolution.provisional = true;
    return { resolution, retryRoots };
  }
}
