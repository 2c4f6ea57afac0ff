import type { Settings } from "../config/settings.js";
import type { SecretRedactor } from "../core/secrets.js";
import { authHeader } from "../http/auth-header.js";
import type { HttpClient, HttpClientFactory } from "../http/types.js";
import type { Logger } from "../log.js";
import { authSchemeFor, BACKENDS, resolveFlavour } from "./registry.js";
import type { MemoryBackend, StoreOutcome } from "./types.js";

export interface OpenBackendInput {
  settings: Pick<Settings, "backend" | "authScheme" | "allowHttp" | "caFile" | "maxResponseBytes" | "maxConnections" | "userId" | "mem0Infer">;
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
  backend: MemoryBackend<StoreOutcome>;
  /** Closes the backend's connection pool. */
  close(): Promise<void>;
}

/**
 * The one way to open a backend: the flavour the settings name, over an HTTP client (with its
 * connection pool) for the endpoint that sends the token as the flavour expects.
 */
export async function openBackend(input: OpenBackendInput): Promise<OpenedBackend> {
  const { settings, endpoint, token } = input;
  const scheme = authSchemeFor({ ...settings, endpoint });
  const definition = BACKENDS[resolveFlavour(settings.backend, endpoint)];
  // Built before the pool opens: a token the flavour cannot send that way fails here (mem0's Bearer takes only a JWT).
  const auth = token ? (definition.authHeader ?? authHeader)(scheme, token) : undefined;
  const http: HttpClient = await input.http({
    endpoint,
    ...(auth && { auth }),
    allowHttp: settings.allowHttp,
    ...(settings.caFile && { caFile: settings.caFile }),
    maxResponseBytes: settings.maxResponseBytes,
    maxConnections: settings.maxConnections,
    logger: input.logger,
    ...(input.secrets && { secrets: input.secrets }),
    ...(input.now && { now: input.now }),
  });
  try {
    const backend = definition.create(http, { userId: settings.userId, mem0Infer: settings.mem0Infer });
    return { backend, close: () => http.close() };
  } catch (error) {
    await http.close();
    throw error;
  }
}
