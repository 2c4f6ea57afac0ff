import path from "node:path";

/** How this copy of the bridge was installed, which decides how to start it again and how to name it. */
export type InstallKind =
  /** `npx mcp-memory-bridge` (npm exec's cache, `…/_npx/<hash>/node_modules/…`). */
  | "npx"
  /** `npm install -g`: a command on PATH. */
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
  /** The real path (symlinks resolved) of the script node runs: `<root>/bin/mcp-memory-bridge.js`. */
  scriptPath: string;
  platform: NodeJS.Platform;
  exists(file: string): boolean;
}

export function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}

/** Reads the install kind from where the bin script lives. */
export function howStarted(input: HowStartedInput): Invocation {
  const p = pathFor(input.platform);
  const binScript = p.resolve(input.scriptPath);
  const packageRoot = p.dirname(p.dirname(binScript));
  const base = { packageRoot, binScript };
  const segments = packageRoot.split(/[\\/]+/);
  if (segments.includes("_npx")) return { kind: "npx", ...base };

  const parent = p.dirname(packageRoot);
  if (p.basename(parent) !== "node_modules") return { kind: "checkout", ...base };

  // npm's global layout: <prefix>/lib/node_modules/<pkg> with <prefix>/bin/<command> on POSIX,
  // <prefix>\node_modules\<pkg> with <prefix>\<command>.cmd on Windows.
  const globalCommand =
    input.platform === "win32"
      ? p.join(p.dirname(parent), `${COMMAND_NAME}.cmd`)
      : p.basename(p.dirname(parent)) === "lib"
        ? p.join(p.dirname(p.dirname(parent)), "bin", COMMAND_NAME)
        : undefined;
  if (globalCommand !== undefined && input.exists(globalCommand)) return { kind: "global", ...base, globalCommand };
  return { kind: "local", ...base };
}
