import { KEYRING_MODULE, loadKeyring } from "../../credentials/keyring-store.js";
import { KEYTAR_MODULE, loadKeytar } from "../../credentials/keytar-store.js";
import { defaultImporter, type ModuleImporter } from "../../credentials/optional-module.js";

/**
 * For --help of the commands that store a token: which keychain modules this install can load. Both
 * are optional dependencies, so either may be missing; with neither, the keychain is not offered.
 */
export async function keychainAvailability(importer: ModuleImporter = defaultImporter): Promise<string[]> {
  const modules = [
    { name: KEYTAR_MODULE, loaded: await loadKeytar(importer) },
    { name: KEYRING_MODULE, loaded: await loadKeyring(importer) },
  ];
  const usable = modules.filter((m) => m.loaded.ok).map((m) => m.name);
  const unusable = modules.flatMap(({ name, loaded }) => (loaded.ok ? [] : [{ name, detail: loaded.detail }]));
  if (usable.length === 0) {
    return [
      `No keychain module can be loaded here (${unusable.map((m) => `${m.name}: ${m.detail}`).join("; ")}), so the token cannot go to the OS keychain.`,
      "Use --insecure-storage (a file only you can read), or set MEMORY_BRIDGE_TOKEN where the bridge runs;",
      "or reinstall with optional dependencies (npm install without --omit=optional) to get the keychain.",
    ];
  }
  return [`Keychain modules here: ${usable.join(", ")}.${unusable.length > 0 ? ` Not usable here: ${unusable.map((m) => `${m.name} (${m.detail})`).join("; ")}.` : ""}`];
}
