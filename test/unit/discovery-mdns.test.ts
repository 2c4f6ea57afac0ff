import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { browseMdns, type MdnsSocket } from "../../src/discovery/mdns-browse.js";
import { mdnsCandidate } from "../../src/discovery/mdns-candidates.js";
import { MAX_INSTANCES, MdnsRecordSet, type MdnsPacket, type MdnsService } from "../../src/discovery/mdns-records.js";

const TYPE = "_mcp-memory._tcp.local";
const txt = (...pairs: string[]) => pairs.map((p) => Buffer.from(p));

/** What mcp-memory-service's zeroconf ServiceInfo answers to a PTR query (discovery/mdns_service.py). */
function advertisement(name: string, port: number, address?: string, host = `${name.replace(/ /g, "-").toLowerCase()}.local`): MdnsPacket {
  const instance = `${name}.${TYPE}`;
  return {
    answers: [{ name: TYPE, type: "PTR", ttl: 4500, data: instance }],
    additionals: [
      { name: instance, type: "SRV", ttl: 120, data: { priority: 0, weight: 0, port, target: host } },
      { name: instance, type: "TXT", ttl: 4500, data: txt("api_version=10.59.0", "https=False", "auth_required=False", "api_path=/api", "sse_path=/api/events") },
      ...(address === undefined ? [] : [{ name: host, type: "A", ttl: 120, data: address }]),
    ],
  };
}

function service(partial: Partial<MdnsService>): MdnsService {
  return { instance: `x.${TYPE}`, name: "x", host: "x.local", port: 8000, addresses: [], sourceAddress: "127.0.0.1", txt: {}, ...partial };
}

describe("MdnsRecordSet", () => {
  it("assembles SRV, TXT and A records into a service", () => {
    const set = new MdnsRecordSet(TYPE);
    set.add(advertisement("MCP Memory Service", 8000, "192.0.2.7"), "127.0.0.1");
    expect(set.services()).toEqual([
      {
        instance: `mcp memory service.${TYPE}`,
        name: "mcp memory service",
        host: "mcp-memory-service.local",
        port: 8000,
        addresses: ["192.0.2.7"],
        sourceAddress: "127.0.0.1",
        txt: { api_version: "10.59.0", https: "False", auth_required: "False", api_path: "/api", sse_path: "/api/events" },
      },
    ]);
  });

  it("joins records from separate packets, and waits for the SRV before listing an instance", () => {
    const set = new MdnsRecordSet(`${TYPE}.`);
    const ad = advertisement("A", 8001);
    set.add({ answers: ad.answers }, "127.0.0.1");
    expect(set.services()).toEqual([]);
    expect(set.instancesWithoutSrv()).toEqual([`a.${TYPE}`]);
    set.add({ answers: ad.additionals }, "127.0.0.9");
    expect(set.services()).toMatchObject([{ port: 8001, sourceAddress: "127.0.0.9", addresses: [] }]);
    expect(set.instancesWithoutSrv()).toEqual([]);
  });

  it("orders services by name, not by arrival", () => {
    const set = new MdnsRecordSet(TYPE);
    set.add(advertisement("Zeta", 2), "127.0.0.1");
    set.add(advertisement("alpha", 1), "127.0.0.1");
    expect(set.services().map((s) => s.name)).toEqual(["alpha", "zeta"]);
  });

  it("forgets an instance on its goodbye (TTL 0)", () => {
    const set = new MdnsRecordSet(TYPE);
    set.add(advertisement("A", 1), "127.0.0.1");
    set.add({ answers: [{ name: TYPE, type: "PTR", ttl: 0, data: `A.${TYPE}` }] }, "127.0.0.1");
    expect(set.services()).toEqual([]);
  });

  it("ignores other service types and malformed records", () => {
    const set = new MdnsRecordSet(TYPE);
    set.add({ answers: [{ name: "_http._tcp.local", type: "PTR", ttl: 10, data: "web._http._tcp.local" }] }, "127.0.0.1");
    set.add({ answers: [{ name: `b.${TYPE}`, type: "SRV", ttl: 10, data: { port: 70000, target: "b.local" } }] }, "127.0.0.1");
    set.add({ answers: [{ name: `c.${TYPE}`, type: "SRV", ttl: 10, data: "nonsense" }] }, "127.0.0.1");
    expect(set.services()).toEqual([]);
  });

  it("holds at most a bounded number of instances", () => {
    const set = new MdnsRecordSet(TYPE);
    for (let i = 0; i < MAX_INSTANCES + 10; i++) set.add(advertisement(`s${String(i).padStart(3, "0")}`, 1000 + i), "127.0.0.1");
    expect(set.services()).toHaveLength(MAX_INSTANCES);
  });

  it("keeps the first of a repeated TXT key and a __proto__ key as a plain key", () => {
    const set = new MdnsRecordSet(TYPE);
    const ad = advertisement("A", 1);
    set.add(ad, "127.0.0.1");
    set.add({ answers: [{ name: `A.${TYPE}`, type: "TXT", ttl: 10, data: txt("https=True", "HTTPS=False", "__proto__=x", "flag") }] }, "127.0.0.1");
    const t = set.services()[0]!.txt;
    expect(t).toEqual({ https: "True", ["__proto__"]: "x", flag: "" });
    expect(Object.getPrototypeOf(t)).toBe(Object.prototype);
  });
});

describe("mdnsCandidate", () => {
  it("uses the A records, then 127.0.0.1 at the advertised port as the fallback", () => {
    expect(mdnsCandidate(service({ addresses: ["192.0.2.7"], txt: { api_path: "/api" } }))).toMatchObject({
      advertised: ["http://192.0.2.7:8000/api"],
      loopbackFallback: "http://127.0.0.1:8000/api",
    });
  });

  it("uses the answer's source address when there is no A record", () => {
    expect(mdnsCandidate(service({ sourceAddress: "127.0.0.5", port: 9000 })).advertised).toEqual(["http://127.0.0.5:9000/api"]);
  });

  it("needs no fallback when 127.0.0.1 is what was advertised", () => {
    expect(mdnsCandidate(service({ addresses: ["127.0.0.1"] })).loopbackFallback).toBeUndefined();
  });

  it("honours https=True and a custom api_path, and ignores an odd one", () => {
    expect(mdnsCandidate(service({ txt: { https: "True", api_path: "/memory/api/" } })).advertised).toEqual(["https://127.0.0.1:8000/memory/api"]);
    expect(mdnsCandidate(service({ txt: { api_path: "api?x=1" } })).advertised).toEqual(["http://127.0.0.1:8000/api"]);
  });

  it("brackets an IPv6 address", () => {
    expect(mdnsCandidate(service({ sourceAddress: "::1" })).advertised).toEqual(["http://[::1]:8000/api"]);
  });
});

/** A stand-in for a multicast-dns socket: records queries, answers through `reply`. */
class FakeSocket extends EventEmitter implements MdnsSocket {
  queries: string[][] = [];
  destroyed = false;
  constructor(private readonly reply: (socket: FakeSocket, names: string[]) => void = () => undefined) {
    super();
  }
  query(q: { questions: { name: string; type: string }[] }): void {
    const names = q.questions.map((x) => `${x.type} ${x.name}`);
    this.queries.push(names);
    queueMicrotask(() => this.reply(this, names));
  }
  destroy(callback?: () => void): void {
    this.destroyed = true;
    queueMicrotask(() => callback?.());
  }
}

describe("browseMdns", () => {
  it("asks for the service type, collects answers for the window, then closes the socket", async () => {
    const socket = new FakeSocket((s, names) => {
      if (names[0] === `PTR ${TYPE}`) s.emit("response", advertisement("MCP Memory Service", 8000), { address: "127.0.0.1" });
    });
    const result = await browseMdns({ windowMs: 60, createSocket: () => socket });
    expect(result.services.map((s) => s.port)).toEqual([8000]);
    expect(result.error).toBeUndefined();
    expect(socket.queries[0]).toEqual([`PTR ${TYPE}`]);
    expect(socket.queries.length).toBeLessThanOrEqual(2);
    expect(socket.destroyed).toBe(true);
  });

  it("asks an instance named without its SRV for it, once", async () => {
    const ad = advertisement("A", 8123);
    const socket = new FakeSocket((s, names) => {
      if (names[0] === `PTR ${TYPE}`) s.emit("response", { answers: ad.answers }, { address: "127.0.0.1" });
      if (names[0] === `SRV a.${TYPE}`) s.emit("response", { answers: ad.additionals }, { address: "127.0.0.1" });
    });
    const result = await browseMdns({ windowMs: 60, createSocket: () => socket });
    expect(result.services.map((s) => s.port)).toEqual([8123]);
    expect(socket.queries.filter((q) => q[0]?.startsWith("SRV"))).toEqual([[`SRV a.${TYPE}`, `TXT a.${TYPE}`]]);
  });

  it("stops at once when aborted", async () => {
    const socket = new FakeSocket();
    const controller = new AbortController();
    const pending = browseMdns({ windowMs: 60_000, createSocket: () => socket, signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({ services: [] });
    expect(socket.destroyed).toBe(true);
  });

  it("reports a socket error such as EADDRINUSE", async () => {
    const socket = new FakeSocket((s) => s.emit("error", Object.assign(new Error("in use"), { code: "EADDRINUSE" })));
    expect(await browseMdns({ windowMs: 60_000, createSocket: () => socket })).toEqual({ services: [], error: "EADDRINUSE" });
  });

  it("passes the interface to use and binds to all addresses", async () => {
    const seen: unknown[] = [];
    await browseMdns({ windowMs: 10, interfaceAddress: "127.0.0.1", createSocket: (o) => (seen.push(o), new FakeSocket()) });
    expect(seen).toEqual([{ interface: "127.0.0.1", bind: "0.0.0.0" }]);
  });
});
