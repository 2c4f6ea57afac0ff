import { BridgeError } from "../core/errors.js";
import type { SettingSource } from "../core/unions.js";

/**
 * A setting with a value the bridge cannot use. The message names the setting, where the value
 * came from and what is allowed, e.g. `Invalid --project-mode "foo": use auto, manual or global.`
 */
export class ConfigError extends BridgeError {
  override name = "ConfigError";

  constructor(
    message: string,
    /** The setting's key in Settings (or "profile" for a profile file problem). */
    readonly setting: string,
    /** Lets the CLI tell a usage error (flag, exit 2) from a configuration error (exit 1). */
    readonly source: SettingSource,
  ) {
    super(message, { code: "invalid-setting" });
  }
}
