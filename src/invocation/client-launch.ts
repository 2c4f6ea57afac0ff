import { COMMAND_NAME, pathFor, type Invocation } from "./how-started.js";

/** What a client config entry runs: command, arguments, and the PATH to give it (when it needs one). */
export interface ClientLaunch {
  command: string;
  args: string[];
  /** Only PATH, and only when the command is a script that looks `node` up on PATH. */
  env: Record<string, string>;
}

/** The bridge's own facts, so a test can run any platform. */
export interface LaunchInput {
  invocation: Invocation;
  platform: NodeJS.Platform;
  /** The node that runs `install`: its directory holds npx, and goes first on the entry's PATH. */
  execPath: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The package's major version, pinned in `npx -y mcp-memory-bridge@<major>`. */
  major: string;
  /** `--global`: the globally installed command, even when this run is npx or a checkout. */
  global: boolean;
  exists(file: string): boolean;
  findExecutable(name: string): string | undefined;
}

export class LaunchError extends Error {
  override name = "LaunchError";
  constructor(readonly code: "no-global-install") {
    super(code);
  }
}

/**
 * The command an MCP client should run. GUI clients start servers without the shell's PATH, so a
 * bare `npx` fails with `spawn npx ENOENT` for nvm, volta and mise users: every form names absolute
 * paths, and a form that is a `#!/usr/bin/env node` script gets PATH with node's directory first.
 * On Windows npx and npm's command shims are .cmd files, which only `cmd /c` runs.
 */
export function clientLaunch(input: LaunchInput): ClientLaunch {
  const p = pathFor(input.platform);
  const nodeDir = p.dirname(input.execPath);
  const windows = input.platform === "win32";
  const form = input.global ? "global" : input.invocation.kind === "npx" ? "npx" : input.invocation.kind === "global" ? "global" : "script";

  if (form === "script") return { command: input.execPath, args: [input.invocation.binScript], env: {} };

  if (form === "npx") {
    const spec = `${COMMAND_NAME}@${input.major}`;
    const pathValue = prependPath([nodeDir], pathValueOf(input.env, input.platform), input.platform);
    if (windows) return { command: "cmd", args: ["/c", "npx", "-y", spec], env: { PATH: pathValue } };
    const besideNode = p.join(nodeDir, "npx");
    const npx = input.exists(besideNode) ? besideNode : (input.findExecutable("npx") ?? "npx");
    return { command: npx, args: ["-y", spec], env: { PATH: pathValue } };
  }

  const installed = globalCommand(input);
  if (installed === undefined) throw new LaunchError("no-global-install");
  const dirs = [...new Set([p.dirname(installed), nodeDir])];
  const pathValue = prependPath(dirs, pathValueOf(input.env, input.platform), input.platform);
  if (windows) return { command: "cmd", args: ["/c", COMMAND_NAME], env: { PATH: pathValue } };
  return { command: installed, args: [], env: { PATH: pathValue } };
}

/** This run's own global command, else the one on PATH, else the one in npm's global prefix. */
function globalCommand(input: LaunchInput): string | undefined {
  if (input.invocation.globalCommand !== undefined) return input.invocation.globalCommand;
  const onPath = input.findExecutable(COMMAND_NAME);
  if (onPath !== undefined) return onPath;
  const prefix = input.env.npm_config_global_prefix ?? input.env.npm_config_prefix;
  if (!prefix) return undefined;
  const p = pathFor(input.platform);
  const candidate = input.platform === "win32" ? p.join(prefix, `${COMMAND_NAME}.cmd`) : p.join(prefix, "bin", COMMAND_NAME);
  return input.exists(candidate) ? candidate : undefined;
}

/** The PATH variable's value (Windows spells it Path, and environment names are case-insensitive there). */
export function pathValueOf(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): string {
  if (platform !== "win32") return env.PATH ?? "";
  const key = Object.keys(env).find((name) => name.toUpperCase() === "PATH");
  return key === undefined ? "" : (env[key] ?? "");
}

/** `dirs` first, then the rest of `current` without them (and without empty entries). */
export function prependPath(dirs: readonly string[], current: string, platform: NodeJS.Platform): string {
  const windows = platform === "win32";
  const delimiter = windows ? ";" : ":";
  const norm = (dir: string) => {
    const trimmed = dir.length > 1 ? dir.replace(/[\\/]+$/, "") : dir;
    return windows ? trimmed.toLowerCase() : trimmed;
  };
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dir of [...dirs, ...current.split(delimiter)]) {
    if (dir === "" || seen.has(norm(dir))) continue;
    seen.add(norm(dir));
    out.push(dir);
  }
  return out.join(delimiter);
}
