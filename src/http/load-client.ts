import type { HttpClientFactory } from "./types.js";

/**
 * The HTTP client, loaded on first use: undici is a large module, and `initialize` must not wait
 * for it. What main() gives every command as its HTTP factory.
 */
export const loadHttpClient: HttpClientFactory = async (options) => (await import("./client.js")).createHttpClient(options);
