/** An injected environment (process.env in production, a plain object in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Claude Desktop passes an optional extension field left blank as the literal text `${user_config.x}`. */
const UNEXPANDED_PLACEHOLDER = /^\$\{[^}]*\}$/;

/**
 * A variable's trimmed value; empty, blank or an unexpanded `${…}` placeholder counts as unset
 * (client configs often write `VAR=`, and a blank token must not outrank the keychain).
 */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value && !UNEXPANDED_PLACEHOLDER.test(value) ? value : undefined;
}

/** The first of `names` that is set (by envValue's rule), with its value: current names come before legacy aliases. */
export function firstEnvValue(env: Env, names: readonly string[]): { variable: string; value: string } | undefined {
  for (const variable of names) {
    const value = envValue(env, variable);
    if (value !== undefined) return { variable, value };
  }
  return undefined;
}
