import type { KeychainOpener } from "./keychain.js";

/** openKeychain, loaded on first use: the probe, the D-Bus client and the store adapters stay out of start-up. */
export const loadKeychain: KeychainOpener = async (options) => (await import("./keychain.js")).openKeychain(options);
