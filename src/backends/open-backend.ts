import type { Settings } from "../config/settings.js";
import type { SecretRedactor } from "../core/secrets.js";
import { authHeader } from "../http/auth-header.js";
import type { HttpClient, HttpClientFactory } from "../http/types.js";
import type { Logger } from "../log.js";
import { authSchemeFor, BACKENDS, resolveFlavour } from "./registry.js";
import type { MemoryBackend } from "./types.js";

export interface OpenBackendInput {
  settings: Pick<Settings, "backend" | "authScheme" | "allowHttp" | "caFile" | "maxResponseBytes" | "maxConnections">;
  /** Canonical endpoint URL. */
  endpoint: string;
  /** Sent with every request but the public ones; undefined for a server with auth off. */
  token: string | undefined;
  http: HttpClientFactory;
  logger: Logger;
  /** The process's secrets registry (the token is added to it). */
  secrets?: SecretRedactor;
  /** The clock deadlines are measured on (the caller's). */
  now?: () => number;
}

export interface OpenedBackend {
  backend: MemoryBackend;
  /** Closes the backend's connection pool. */
  close(): Promise<void>;
}

/**
 * The one way to open a backend: the flavour the settings name, over an HTTP client (with its
 * connection pool) for the endpoint that sends the token as the flavour expects.
 */
export async function openBackend(input: OpenBackendInput): Promise<OpenedBackend> {
  const { settings, endpoint, token } = input;
  const scheme = authSchemeFor(settings);
  const http: HttpClient = await input.http({
    endpoint,
    ...(token && { auth: authHeader(scheme, token) }),
    allowHttp: settings.allowHttp,
    ...(settings.caFile && { caFile: settings.caFile }),
    maxResponseBytes: settings.maxResponseBytes,
    maxConnections: settings.maxConnections,
    logger: input.logger,
    ...(input.secrets && { secrets: input.secrets }),
    ...(input.now && { now: input.now }),
  });
  try {
    return { backend: BACKENDS[resolveFlavour(settings.backend)].create(http), close: () => http.close() };
  } catch (error) {
    await http.close();
    throw error;
  }
}
