import { createRequire } from "node:module";
import { Pool } from "./undici-parts.js";
import { FileReadError, readRegularFileSync } from "../core/regular-file.js";
import { CaFileError } from "./errors.js";

/** Far above any real CA bundle (Mozilla's is about 220 KB). */
const MAX_CA_FILE_BYTES = 16 * 1024 * 1024;

export interface PoolOptions {
  connectTimeoutMs: number;
  /** Requests beyond this many connections wait in the pool's queue (each still bound by its deadline). */
  connections: number;
  caFile?: string;
  /**
   * 0 turns undici's 300 s idle limits off, for streams that may stay quiet (an MCP event stream);
   * the caller's own deadline bounds them instead.
   */
  idleTimeoutMs?: number;
}

/**
 * The keep-alive connection pool for the endpoint's origin. Redirects are followed only within
 * that origin, so one pool is all a client ever needs.
 */
export function createPool(origin: string, options: PoolOptions): Pool {
  return new Pool(origin, {
    connections: options.connections,
    ...(options.idleTimeoutMs === undefined ? {} : { headersTimeout: options.idleTimeoutMs, bodyTimeout: options.idleTimeoutMs }),
    connect: connectOptions(options.connectTimeoutMs, options.caFile),
  });
}

/** The connect deadline when the caller sets none. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;

/** How every connection to a server is made: a connect deadline, and TLS verified against Node's CAs plus the user's file. */
export function connectOptions(timeoutMs: number, caFile: string | undefined) {
  return {
    timeout: timeoutMs,
    // Explicit so that NODE_TLS_REJECT_UNAUTHORIZED=0 cannot switch verification off.
    rejectUnauthorized: true,
    ...(caFile === undefined ? {} : { ca: trustedCertificates(caFile) }),
  };
}

/**
 * Node's default CAs plus the extra file. Passing `ca` replaces Node's trust store, so the
 * defaults (and NODE_EXTRA_CA_CERTS, which Node would otherwise add) are listed explicitly.
 */
export function trustedCertificates(caFile: string): string[] {
  const extra = readPem(caFile);
  // Required here, not imported: an ES import of node:tls loads it (about 3 MB and 4 ms) for every
  // endpoint, and an http:// one never needs it (undici loads it itself for https).
  const { rootCertificates } = createRequire(import.meta.url)("node:tls") as typeof import("node:tls");
  const cas = [...rootCertificates, extra];
  const nodeExtra = process.env["NODE_EXTRA_CA_CERTS"];
  if (nodeExtra !== undefined && nodeExtra !== "") {
    try {
      const read = readRegularFileSync(nodeExtra, { maxBytes: MAX_CA_FILE_BYTES });
      if (read !== undefined) cas.push(read.text);
    } catch {
      // Node has already warned about an unreadable NODE_EXTRA_CA_CERTS at startup.
    }
  }
  return cas;
}

const CA_FILE_PROBLEMS: Record<string, string> = {
  "not-regular": "not a regular file",
  "too-large": `larger than ${MAX_CA_FILE_BYTES} bytes`,
};

function readPem(path: string): string {
  let text: string;
  try {
    const read = readRegularFileSync(path, { maxBytes: MAX_CA_FILE_BYTES });
    if (read === undefined) throw new CaFileError(path, "ENOENT");
    text = read.text;
  } catch (err) {
    if (err instanceof CaFileError) throw err;
    const problem = err instanceof FileReadError ? (CA_FILE_PROBLEMS[err.problem] ?? err.code ?? err.problem) : "unreadable";
    throw new CaFileError(path, problem, err);
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new CaFileError(path, "no PEM certificate in it");
  }
  return text;
}
