/**
 * Lazy loading of the optional native keychain modules. Either may be absent (installed with
 * `--omit=optional`, no prebuilt binary for the platform, an install script that was blocked) or
 * present but unloadable (e.g. keytar without libsecret-1.so.0): both are reasons to report,
 * never a crash.
 */

/** `import()` in production; tests inject a fake to simulate a missing module. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

export const defaultImporter: ModuleImporter = (specifier) => import(specifier);

export type OptionalModule<T> =
  | { ok: true; module: T }
  /** missing: not installed (or its native binary is); otherwise it is there but failed to load. */
  | { ok: false; missing: boolean; detail: string };

const NOT_FOUND_CODES = new Set(["ERR_MODULE_NOT_FOUND", "MODULE_NOT_FOUND"]);

/** True for "the module (or the native binary it needs) is not installed". */
export function isModuleNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && NOT_FOUND_CODES.has(code)) return true;
  // napi-rs loaders throw a plain Error when no platform package matches.
  return /cannot find native binding|cannot find module/i.test(error.message);
}

/** The first line of an error message, without a stack, bounded in length. */
export function briefError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = text.split("\n", 1)[0] ?? "";
  return firstLine.length > 300 ? `${firstLine.slice(0, 297)}...` : firstLine;
}

/**
 * Imports `specifier` and picks the API from its namespace. CommonJS modules (both keychain
 * modules are) expose their exports on `default`; `pick` receives that object when there is one.
 */
export async function loadOptionalModule<T>(
  specifier: string,
  importer: ModuleImporter,
  pick: (exports: Record<string, unknown>) => T | undefined,
): Promise<OptionalModule<T>> {
  let namespace: unknown;
  try {
    namespace = await importer(specifier);
  } catch (error) {
    const missing = isModuleNotFound(error);
    return { ok: false, missing, detail: missing ? "not installed" : `failed to load: ${briefError(error)}` };
  }
  const record = (namespace ?? {}) as Record<string, unknown>;
  const exports = typeof record.default === "object" && record.default !== null ? (record.default as Record<string, unknown>) : record;
  const api = pick(exports) ?? pick(record);
  if (api === undefined) return { ok: false, missing: false, detail: "loaded, but its API is not the expected one" };
  return { ok: true, module: api };
}
