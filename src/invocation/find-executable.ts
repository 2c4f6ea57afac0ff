import { pathFor } from "./how-started.js";
import { pathValueOf } from "./client-launch.js";

export interface FindExecutableInput {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  /** True for a file this user may run (on Windows: any file). */
  isExecutableFile(file: string): boolean;
}

/** Looks `name` up on PATH as a shell would (with PATHEXT on Windows); undefined when absent. */
export function findExecutable(name: string, input: FindExecutableInput): string | undefined {
  const p = pathFor(input.platform);
  const windows = input.platform === "win32";
  const extensions = windows ? ["", ...(input.env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";").filter(Boolean)] : [""];
  for (const dir of pathValueOf(input.env, input.platform).split(windows ? ";" : ":")) {
    if (dir === "" || !p.isAbsolute(dir)) continue;
    for (const extension of extensions) {
      // On Windows a bare name without an extension is not runnable (npm's extensionless shims are for sh).
      if (windows && extension === "" && p.extname(name) === "") continue;
      const candidate = p.join(dir, name + extension.toLowerCase());
      if (input.isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}
