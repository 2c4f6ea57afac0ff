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
