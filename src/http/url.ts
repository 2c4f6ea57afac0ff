import { isLoopbackHost, parseEndpoint } from "../core/endpoint.js";
import { InsecureEndpointError } from "./errors.js";

/**
 * Refuses plain http:// to anything but loopback unless explicitly allowed: the token and the
 * memories would otherwise cross the network in clear text.
 */
export function assertTransportAllowed(url: string | URL, allowHttp: boolean): void {
  const parsed = typeof url === "string" ? parseEndpoint(url) : url;
  if (parsed.protocol === "http:" && !allowHttp && !isLoopbackHost(parsed.hostname)) {
    throw new InsecureEndpointError(`${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, "")}`);
  }
}
