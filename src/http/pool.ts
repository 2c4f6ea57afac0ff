import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { Pool } from "undici";
import { CaFileError } from "./errors.js";

export interface PoolOptions {
  connectTimeoutMs: number;
  caFile?: string;
  /** Connections at most (undici's default: no limit). */
  connections?: number;
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
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    ...(options.idleTimeoutMs === undefined ? {} : { headersTimeout: options.idleTimeoutMs, bodyTimeout: options.idleTimeoutMs }),
    connect: {
      timeout: options.connectTimeoutMs,
      // Explicit so that NODE_TLS_REJECT_UNAUTHORIZED=0 cannot switch verification off.
      rejectUnauthorized: true,
      ...(options.caFile === undefined ? {} : { ca: trustedCertificates(options.caFile) }),
    },
  });
}

/**
 * Node's default CAs plus the extra file. Passing `ca` replaces Node's trust store, so the
 * defaults (and NODE_EXTRA_CA_CERTS, which Node would otherwise add) are listed explicitly.
 */
export function trustedCertificates(caFile: string): string[] {
  const extra = readPem(caFile);
  const cas = [...rootCertificates, extra];
  const nodeExtra = process.env["NODE_EXTRA_CA_CERTS"];
  if (nodeExtra !== undefined && nodeExtra !== "") {
    try {
      cas.push(readFileSync(nodeExtra, "utf8"));
    } catch {
      // Node has already warned about an unreadable NODE_EXTRA_CA_CERTS at startup.
    }
  }
  return cas;
}

function readPem(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new CaFileError(path, typeof code === "string" ? code : "unreadable", err);
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new CaFileError(path, "no PEM certificate in it");
  }
  return text;
}
