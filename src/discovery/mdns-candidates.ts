import type { MdnsService } from "./mdns-records.js";

/**
 * The URLs to probe for one advertised service. mcp-memory-service advertises the address it would
 * route towards a public host from (IPv4 only, 127.0.0.1 as its own fallback), which is often not
 * one this machine can reach it at; so besides the advertised addresses (A records, else the
 * address the answer came from), 127.0.0.1 at the advertised port is tried when they all fail.
 * TXT `https` and `api_path` are honoured; TXT `auth_required` is not trusted (see auth-probe.ts).
 */

export interface MdnsCandidate {
  service: MdnsService;
  /** In order: the advertised addresses. */
  advertised: string[];
  /** Tried only when no advertised URL is a memory server; absent when 127.0.0.1 is advertised. */
  loopbackFallback?: string;
}

const MAX_ADVERTISED = 4;
const DEFAULT_API_PATH = "/api";

export function mdnsCandidate(service: MdnsService): MdnsCandidate {
  const scheme = (service.txt.https ?? "").toLowerCase() === "true" ? "https" : "http";
  const path = apiPath(service.txt.api_path);
  const hosts = service.addresses.length > 0 ? service.addresses : [service.sourceAddress];
  const advertised = [...new Set(hosts.map((h) => `${scheme}://${hostPart(h)}:${service.port}${path}`))].slice(0, MAX_ADVERTISED);
  const loopback = `${scheme}://127.0.0.1:${service.port}${path}`;
  return { service, advertised, ...(advertised.includes(loopback) ? {} : { loopbackFallback: loopback }) };
}

/** TXT api_path when it is a plain absolute path, else /api (the service type is mcp-memory-service's). */
function apiPath(value: string | undefined): string {
  if (value === undefined || value.length > 200 || !/^\/[A-Za-z0-9._~\-/]*$/.test(value)) return DEFAULT_API_PATH;
  return value.replace(/\/+$/, "");
}

function hostPart(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}
