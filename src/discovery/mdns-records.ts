/**
 * Gathers the DNS-SD records of one service type from mDNS responses (RFC 6763): PTR type →
 * instance, SRV instance → host and port, TXT instance → key=value pairs, A host → address. Records
 * may arrive in any packet and section; goodbyes (TTL 0) remove what they name. Bounded: a noisy
 * network cannot make it hold more than a few instances and addresses. No I/O.
 */

export interface MdnsRecord {
  name: string;
  type: string;
  ttl?: number;
  data?: unknown;
}

export interface MdnsPacket {
  answers?: MdnsRecord[];
  additionals?: MdnsRecord[];
}

export interface MdnsService {
  /** The instance's full name, e.g. "MCP Memory Service._mcp-memory._tcp.local". */
  instance: string;
  /** The instance label, e.g. "MCP Memory Service". */
  name: string;
  /** SRV target, e.g. "mcp-memory-service.local". */
  host: string;
  port: number;
  /** IPv4 addresses from A records for `host`, in the order they came. */
  addresses: string[];
  /** Where the SRV record came from: the address to use when there is no A record. */
  sourceAddress: string;
  /** TXT pairs, keys lower-cased (DNS-SD keys are case-insensitive). */
  txt: Record<string, string>;
}

export const MAX_INSTANCES = 16;
const MAX_ADDRESSES = 8;
const MAX_TXT_PAIRS = 32;
const MAX_NAME_LENGTH = 255;

interface Srv {
  host: string;
  port: number;
  source: string;
}

export class MdnsRecordSet {
  private readonly type: string;
  private readonly instances = new Set<string>();
  private readonly srv = new Map<string, Srv>();
  private readonly txt = new Map<string, Record<string, string>>();
  private readonly addresses = new Map<string, string[]>();

  constructor(serviceType: string) {
    this.type = normalizeName(serviceType);
  }

  add(packet: MdnsPacket, sourceAddress: string): void {
    const records = [...(packet.answers ?? []), ...(packet.additionals ?? [])];
    for (const record of records) {
      if (typeof record.name !== "string" || record.name.length > MAX_NAME_LENGTH) continue;
      const name = normalizeName(record.name);
      const goodbye = record.ttl === 0;
      if (record.type === "PTR" && name === this.type && typeof record.data === "string") {
        const instance = normalizeName(record.data);
        if (goodbye) this.forget(instance);
        else if (this.isOwnInstance(instance) && this.hasRoom(instance)) this.instances.add(instance);
      } else if (record.type === "SRV" && this.isOwnInstance(name)) {
        const srv = srvData(record.data);
        if (goodbye) this.forget(name);
        else if (srv !== undefined && this.hasRoom(name)) {
          this.instances.add(name);
          this.srv.set(name, { ...srv, source: sourceAddress });
        }
      } else if (record.type === "TXT" && this.isOwnInstance(name) && !goodbye) {
        this.txt.set(name, txtPairs(record.data));
      } else if (record.type === "A" && typeof record.data === "string" && !goodbye) {
        const known = this.addresses.get(name) ?? [];
        if (!known.includes(record.data) && known.length < MAX_ADDRESSES && this.addresses.size < MAX_INSTANCES * 2) {
          this.addresses.set(name, [...known, record.data]);
        }
      }
    }
  }

  /** Instances seen (through PTR) whose SRV has not arrived: worth one direct query each. */
  instancesWithoutSrv(): string[] {
    return [...this.instances].filter((i) => !this.srv.has(i));
  }

  /** Every complete instance, in a fixed order (name, then port) so no arrival race decides. */
  services(): MdnsService[] {
    const out: MdnsService[] = [];
    for (const instance of this.instances) {
      const srv = this.srv.get(instance);
      if (srv === undefined) continue;
      out.push({
        instance,
        name: instance.slice(0, instance.length - this.type.length - 1),
        host: srv.host,
        port: srv.port,
        addresses: this.addresses.get(srv.host) ?? [],
        sourceAddress: srv.source,
        txt: this.txt.get(instance) ?? {},
      });
    }
    return out.sort((a, b) => compare(a.name.toLowerCase(), b.name.toLowerCase()) || a.port - b.port);
  }

  private isOwnInstance(name: string): boolean {
    return name.length > this.type.length + 1 && name.endsWith(`.${this.type}`);
  }

  private hasRoom(instance: string): boolean {
    return this.instances.has(instance) || this.instances.size < MAX_INSTANCES;
  }

  private forget(instance: string): void {
    this.instances.delete(instance);
    this.srv.delete(instance);
    this.txt.delete(instance);
  }
}

/** Lower-cased ASCII letters (DNS names compare case-insensitively), no trailing dot. */
function normalizeName(name: string): string {
  return name.replace(/\.$/, "").replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function srvData(data: unknown): { host: string; port: number } | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { target, port } = data as { target?: unknown; port?: unknown };
  if (typeof target !== "string" || target.length > MAX_NAME_LENGTH) return undefined;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: normalizeName(target), port };
}

/** dns-packet gives TXT data as Buffers (one per string), a single Buffer, or a string. */
function txtPairs(data: unknown): Record<string, string> {
  const strings = (Array.isArray(data) ? data : [data]).slice(0, MAX_TXT_PAIRS);
  const pairs = new Map<string, string>();
  for (const item of strings) {
    const text = typeof item === "string" ? item : item instanceof Uint8Array ? Buffer.from(item).toString("utf8") : undefined;
    if (text === undefined) continue;
    const eq = text.indexOf("=");
    const key = (eq < 0 ? text : text.slice(0, eq)).toLowerCase();
    // RFC 6763 §6.4: the first occurrence of a key wins.
    if (key !== "" && !pairs.has(key)) pairs.set(key, eq < 0 ? "" : text.slice(eq + 1));
  }
  // fromEntries defines own properties: a "__proto__" key stays a key.
  return Object.fromEntries(pairs);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
