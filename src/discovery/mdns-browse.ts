import { MdnsRecordSet, type MdnsPacket, type MdnsService } from "./mdns-records.js";

/**
 * One bounded mDNS browse (RFC 6762/6763) for a service type: ask, listen for the window, close the
 * socket, return what answered. multicast-dns is loaded only when a browse runs. On a laptop a
 * multicast query may raise a Local Network / firewall prompt (macOS, Windows), which is why
 * discovery browses only when nothing nearer answered, or when asked to.
 */

export const MCP_MEMORY_SERVICE_TYPE = "_mcp-memory._tcp.local";
export const DEFAULT_BROWSE_WINDOW_MS = 1500;
/** The query is asked again once, in case the first was lost. */
const REPEAT_QUERY_FRACTION = 1 / 3;
const CLOSE_GRACE_MS = 200;

/** The part of a multicast-dns instance the browse uses. */
export interface MdnsSocket {
  on(event: "response", listener: (packet: MdnsPacket, rinfo: { address: string }) => void): unknown;
  on(event: "error" | "warning", listener: (error: Error) => void): unknown;
  query(query: { questions: { name: string; type: "PTR" | "SRV" | "TXT" }[] }): void;
  destroy(callback?: () => void): void;
}

export interface MdnsSocketOptions {
  /** IPv4 address of the one interface to use; all interfaces when absent. */
  interface?: string;
  /** Bind to all addresses: a socket bound to an interface's address misses multicast on Linux. */
  bind?: string;
}

export interface BrowseOptions {
  serviceType?: string;
  /** How long to listen. Default 1500 ms. */
  windowMs?: number;
  /** Limit the browse to the interface with this IPv4 address. */
  interfaceAddress?: string;
  signal?: AbortSignal;
  /** Injected in tests; default: multicast-dns. */
  createSocket?: (options: MdnsSocketOptions) => MdnsSocket | Promise<MdnsSocket>;
}

export interface BrowseResult {
  services: MdnsService[];
  /** The socket's error code (e.g. EADDRINUSE, EACCES) when the browse could not run or stopped early. */
  error?: string;
}

export async function browseMdns(options: BrowseOptions = {}): Promise<BrowseResult> {
  const serviceType = options.serviceType ?? MCP_MEMORY_SERVICE_TYPE;
  const windowMs = options.windowMs ?? DEFAULT_BROWSE_WINDOW_MS;
  if (options.signal?.aborted === true) return { services: [] };
  const socketOptions: MdnsSocketOptions =
    options.interfaceAddress === undefined ? {} : { interface: options.interfaceAddress, bind: "0.0.0.0" };
  let socket: MdnsSocket;
  try {
    socket = await (options.createSocket ?? createMulticastDnsSocket)(socketOptions);
  } catch (error) {
    return { services: [], error: codeOf(error) };
  }

  const records = new MdnsRecordSet(serviceType);
  const followedUp = new Set<string>();
  let error: string | undefined;

  return new Promise<BrowseResult>((resolve) => {
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = () => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener("abort", finish);
      const result = () => resolve({ services: records.services(), ...(error === undefined ? {} : { error }) });
      // The answer does not wait on a close that never calls back (resolve twice is a no-op).
      setTimeout(result, CLOSE_GRACE_MS).unref();
      try {
        socket.destroy(result);
      } catch {
        result(); // dgram throws when closing a socket that never bound
      }
    };
    const ask = () => {
      if (!done) socket.query({ questions: [{ name: serviceType, type: "PTR" }] });
    };

    socket.on("response", (packet, rinfo) => {
      if (done) return;
      records.add(packet, rinfo.address);
      // An answer that named an instance without its SRV and TXT: ask for them, once per instance.
      for (const instance of records.instancesWithoutSrv()) {
        if (followedUp.has(instance)) continue;
        followedUp.add(instance);
        socket.query({ questions: [{ name: instance, type: "SRV" }, { name: instance, type: "TXT" }] });
      }
    });
    socket.on("error", (e) => {
      error = codeOf(e);
      finish();
    });
    socket.on("warning", () => undefined); // e.g. one interface refused the multicast group: the others still work

    options.signal?.addEventListener("abort", finish, { once: true });
    if (options.signal?.aborted === true) return finish(); // aborted while the socket was made
    timers.push(setTimeout(finish, windowMs));
    timers.push(setTimeout(ask, Math.floor(windowMs * REPEAT_QUERY_FRACTION)));
    ask();
  });
}

async function createMulticastDnsSocket(options: MdnsSocketOptions): Promise<MdnsSocket> {
  const { default: multicastDns } = await import("multicast-dns");
  return multicastDns(options) as unknown as MdnsSocket;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : "EIO";
}
