/** Why a client's config file cannot be edited safely; commands turn this into words. */
export type ConfigEditProblem =
  /** Not valid JSON / JSONC / TOML: `line` and `column` (1-based) point at the error. */
  | "invalid-syntax"
  /** The top level is not an object (or table). */
  | "not-an-object"
  /** The servers key (`mcpServers`, `servers`, …) holds something other than an object. */
  | "servers-not-an-object"
  /** TOML: the entry is written in a form this editor does not rewrite (inline table, dotted keys, a multi-line value). */
  | "unsupported-layout";

export class ConfigEditError extends Error {
  override name = "ConfigEditError";
  constructor(
    readonly problem: ConfigEditProblem,
    readonly detail: string,
    readonly position?: { line: number; column: number },
  ) {
    super(`${problem}: ${detail}${position ? ` at line ${position.line}, column ${position.column}` : ""}`);
  }
}
