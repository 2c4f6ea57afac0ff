import path from "node:path";

/** How this copy of the bridge was installed, which decides how to start it again and how to name it. */
export type InstallKind =
  /** `npx mcp-memory-bridge` (npm exec's cache, `…/_npx/<hash>/node_modules/…`). */
  | "npx"
  /** `npm install -g` (also `npm install -g .` from a clone, which links it): a command on PATH. */
  | "global"
  /** A project's node_modules (run through `npx` from that project). */
  | "local"
  /** A source checkout (`npm ci && npm run build`), run as `node bin/mcp-memory-bridge.js`. */
  | "checkout";

export interface Invocation {
  kind: InstallKind;
  /** The package directory: package.json, bin/, dist/. */
  packageRoot: string;
  /** Absolute path of bin/mcp-memory-bridge.js in that directory. */
  binScript: string;
  /** kind "global": the command npm linked onto PATH (`<prefix>/bin/mcp-memory-bridge`, `<prefix>\mcp-memory-bridge.cmd`). */
  globalCommand?: string;
}

export const COMMAND_NAME = "mcp-memory-bridge";

export interface HowStartedInput {
  /** The script as node was given it (process.argv[1]): a bin link on PATH, node_modules/.bin, or the file. */
  invokedPath: string;
  /** The same with symlinks resolved: `<root>/bin/mcp-memory-bridge.js`. */
  realPath: string;
  platform: NodeJS.Platform;
  exists(file: string): boolean;
}

export function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}

/** npm's global layout: `<prefix>/lib/node_modules/<pkg>` + `<prefix>/bin/<cmd>`, or `<prefix>\node_modules\<pkg>` + `<prefix>\<cmd>.cmd`. */
function globalCommandFor(packageRoot: string, input: HowStartedInput): string | undefined {
  const p = pathFor(input.platform);
  const nodeModules = p.dirname(packageRoot);
  if (p.basename(nodeModules) !== "node_modules") return undefined;
  const command =
    input.platform === "win32"
      ? p.join(p.dirname(nodeModules), `${COMMAND_NAME}.cmd`)
      : p.basename(p.dirname(nodeModules)) === "lib"
        ? p.join(p.dirname(p.dirname(nodeModules)), "bin", COMMAND_NAME)
        : undefined;
  return command !== undefined && input.exists(command) ? command : undefined;
}

/**
 * Reads the install kind from where the script lives, as invoked and as resolved: `npm install -g .`
 * links the global package to a clone, so only the invoked path shows it is global.
 */
export function howStarted(input: HowStartedInput): Invocation {
  const p = pathFor(input.platform);
  const binScript = p.resolve(input.realPath);
  const packageRoot = p.dirname(p.dirname(binScript));
  const base = { packageRoot, binScript };
  const invoked = p.resolve(input.invokedPath);
  if ([...invoked.split(/[\\/]+/), ...binScript.split(/[\\/]+/)].includes("_npx")) return { kind: "npx", ...base };

  // POSIX: the command npm put on PATH, e.g. /usr/local/bin/mcp-memory-bridge (not node_modules/.bin).
  if (input.platform !== "win32" && p.basename(invoked) === COMMAND_NAME && p.basename(p.dirname(invoked)) === "bin") {
    return { kind: "global", ...base, globalCommand: invoked };
  }
  const globalCommand = globalCommandFor(p.dirname(p.dirname(invoked)), input) ?? globalCommandFor(packageRoot, input);
  if (globalCommand !== undefined) return { kind: "global", ...base, globalCommand };
  if (p.basename(p.dirname(packageRoot)) === "node_modules") return { kind: "local", ...base };
  return { kind: "checkout", ...base };
}
