import { COMMAND_NAME, pathFor, type Invocation } from "./how-started.js";

/** A path as a shell word: quoted only when it needs to be. */
export function shellWord(word: string, platform: NodeJS.Platform): string {
  if (/^[\w@%+=:,./\\-]+$/.test(word)) return word;
  return platform === "win32" ? `"${word}"` : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * How to name this command in a message, so that what is printed runs as printed:
 * `npx mcp-memory-bridge` (npx or a project's dependency), `mcp-memory-bridge` (global), or
 * `node <path>/bin/mcp-memory-bridge.js` from a checkout (relative when it is below `cwd`).
 */
export function commandName(invocation: Invocation, cwd: string, platform: NodeJS.Platform): string {
  switch (invocation.kind) {
    case "npx":
    case "local":
      return `npx ${COMMAND_NAME}`;
    case "global":
      return COMMAND_NAME;
    case "checkout": {
      const p = pathFor(platform);
      const relative = p.relative(cwd, invocation.binScript);
      const script = relative !== "" && !relative.startsWith("..") && !p.isAbsolute(relative) ? relative : invocation.binScript;
      return `node ${shellWord(script, platform)}`;
    }
  }
}
