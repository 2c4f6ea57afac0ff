import type { Settings } from "../../config/settings.js";

/** Flags that only some project mode reads: given in another mode they would be silently ignored. */
const MODE_FLAGS: readonly { flag: string; readIn: Settings["projectMode"]; why: string }[] = [
  { flag: "project", readIn: "manual", why: "the project comes from the working directory" },
  { flag: "project-key", readIn: "auto", why: "it chooses how auto mode names the working directory's project" },
];

/** Whether any flag in `values` is one that a mode may ignore (so settings need loading to tell). */
export function mayBeIdle(values: Readonly<Record<string, unknown>>): boolean {
  return MODE_FLAGS.some(({ flag }) => values[flag] !== undefined);
}

/** One line per flag given on the command line that does nothing in the mode in force, with how to make it count. */
export function idleFlagNotes(values: Readonly<Record<string, unknown>>, settings: Pick<Settings, "projectMode">): string[] {
  return MODE_FLAGS.filter(({ flag, readIn }) => values[flag] !== undefined && settings.projectMode !== readIn).map(
    ({ flag, readIn, why }) =>
      `! --${flag} does nothing in ${settings.projectMode} project mode (${readIn === "manual" ? why : `only auto mode reads it: ${why}`}): add --project-mode ${readIn} to use it.`,
  );
}
