import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

type GcFunction = (options: { type: "minor"; execution: "sync" }) => void;

let gc: GcFunction | null | undefined;

/**
 * Runs V8's young-generation collection now; false where V8 will not hand it out. The `gc`
 * function exists only in contexts made after `--expose-gc` is set, so a new context fetches it
 * (once, on the first call): the main context, and so every other module, never sees a `gc` global.
 */
export function runMinorGc(): boolean {
  gc ??= loadGc();
  if (gc === null) return false;
  gc({ type: "minor", execution: "sync" });
  return true;
}

function loadGc(): GcFunction | null {
  try {
    setFlagsFromString("--expose-gc");
    const found: unknown = runInNewContext("typeof gc === 'function' ? gc : undefined");
    return typeof found === "function" ? (found as GcFunction) : null;
  } catch {
    return null;
  }
}
