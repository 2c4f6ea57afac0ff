/**
 * Detection's probes through the bridge's own probe fetch (bundled undici) against real servers
 * on 127.0.0.1: TLS verified with the user's CA file and never switched off, no redirect followed
 * across origins, the body cap and the early stop against a server that streams forever, and
 * the caller's abort and the probe's timeout.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { get } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { detectBackend } from "../../src/discovery/detect.js";
import { probe, type ProbeIo } from "../../src/discovery/probe-request.js";
import type { Detection } from "../../src/discovery/types.js";
import { createProbeFetch, type ProbeFetchOptions } from "../../src/http/probe-fetch.js";
import { createHostileServer, type HostileServer } from "../fixtures/hostile/server.js";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { makePrivateCa } from "../fixtures/private-ca.js";
import { sendJson, startStub, type StubServer } from "../fixtures/stub-servers.js";
import { startTlsFront, type TlsFront } from "../fixtures/tls-front.js";
import { isPresent, needs } from "../prerequisites/prerequisites.js";

const MB = 1024 * 1024;
const UNTRUSTED = "UNABLE_TO_VERIFY_LEAF_SIGNATURE";

let dir = "";
let caFile = "";
let service: MemoryServiceFixture;
let front: TlsFront | undefined;
const stubs: StubServer[] = [];

beforeAll(async () => {
  service = await createMemoryServiceFixture();
  if (!isPresent("openssl")) return;
  dir = mkdtempSync(join(tmpdir(), "probe-fetch-"));
  const ca = makePrivateCa(dir);
  caFile = ca.caFile;
  front = await startTlsFront(service.origin, ca);
});

afterAll(async () => {
  await Promise.all([service.close(), front?.close(), ...stubs.map((s) => s.close())]);
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

function detect(url: string, fetchOptions: ProbeFetchOptions = {}, signal?: AbortSignal): Promise<Detection> {
  return detectBackend(url, { fetch: createProbeFetch(fetchOptions), ...(signal === undefined ? {} : { signal }) });
}

async function stub(...args: Parameters<typeof startStub>): Promise<StubServer> {
  const s = await startStub(...args);
  stubs.push(s);
  return s;
}

/** Polls (bounded) until `check` holds. */
async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A plain GET from Node's https module, which obeys NODE_TLS_REJECT_UNAUTHORIZED: the control. */
function nodeHttpsStatus(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
}

describe("probes over TLS to a server whose certificate a private CA signed", () => {
  beforeEach((ctx) => needs(ctx, "openssl"));

  it("detect it with the user's CA file", async () => {
    const d = await detect(`${front!.origin}/api`, { caFile });
    expect(d).toMatchObject({ status: "found", backend: "mcp-memory-service", evidence: "health", endpoint: `${front!.origin}/api`, authRequired: true });
  });

  it("fail verification without it", async () => {
    expect(await detect(`${front!.origin}/api`)).toMatchObject({ status: "unreachable", error: UNTRUSTED });
  });

  it("keep verifying when NODE_TLS_REJECT_UNAUTHORIZED=0, which Node's own https obeys", async () => {
    const before = process.env["NODE_TLS_REJECT_UNAUTHORIZED"];
    process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
    try {
      expect(await nodeHttpsStatus(`${front!.origin}/api/health`)).toBe(200);
      expect(await detect(`${front!.origin}/api`)).toMatchObject({ status: "unreachable", error: UNTRUSTED });
    } finally {
      if (before === undefined) delete process.env["NODE_TLS_REJECT_UNAUTHORIZED"];
      else process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = before;
    }
  });

  it("still check the host name with the CA file", async () => {
    expect(await detect(`https://localhost:${front!.port}/api`, { caFile })).toMatchObject({ status: "unreachable", error: "ERR_TLS_CERT_ALTNAME_INVALID" });
  });

  it("report a CA file that cannot be read as the probes' error, without a request", async () => {
    service.clearRequests();
    expect(await detect(`${front!.origin}/api`, { caFile: join(dir, "missing.pem") })).toMatchObject({ status: "unreachable", error: "ca-file" });
    expect(service.requests).toEqual([]);
  });
});

describe("probe redirects", () => {
  it("follow one within the origin", async () => {
    const server = await stub((req, res) => {
      if (req.url === "/api/health") return void res.writeHead(302, { location: "/api/v2/health" }).end();
      if (req.url === "/api/v2/health") return sendJson(res, 200, { status: "healthy" });
      res.writeHead(404).end();
    });
    expect(await detect(`${server.origin}/api`)).toMatchObject({ status: "found", backend: "mcp-memory-service" });
  });

  it("do not follow one to another origin, which hears nothing", async () => {
    const elsewhere = await stub((_req, res) => sendJson(res, 200, { status: "healthy" }));
    const server = await stub((req, res) => {
      if (req.url === "/api/health") return void res.writeHead(302, { location: `${elsewhere.origin}/api/health` }).end();
      res.writeHead(404).end();
    });
    const d = await detect(`${server.origin}/api`);
    expect(d.status).toBe("not-memory-server");
    expect(d.status === "not-memory-server" && d.probes.map((p) => p.status)).toEqual([302, 404]);
    expect(elsewhere.requests).toEqual([]);
  });
});

describe("a probe against a server that streams its body forever", () => {
  let hostile: HostileServer;
  const TOKEN = "probe-test-token";
  // Detection sends no token; the hostile server streams only to an authorised GET /memories, so
  // this probe carries one to reach it (a test of the cap, not of what detection sends).
  const spec = () => ({ method: "GET" as const, url: `${hostile.url}/memories`, headers: { authorization: `Bearer ${TOKEN}` } });
  const io = (overrides: Partial<ProbeIo>): ProbeIo => ({ fetch: createProbeFetch({}), now: () => performance.now(), timeoutMs: 30_000, maxBodyBytes: 64 * 1024, ...overrides });

  beforeAll(async () => {
    hostile = await createHostileServer({ token: TOKEN });
  });
  afterAll(async () => {
    await hostile.close();
  });
  beforeEach(() => {
    hostile.reset();
    hostile.mode = { kind: "endless" };
  });

  it("reads at most the cap, then closes the connection", async () => {
    const answer = await probe(spec(), io({ maxBodyBytes: 64 * 1024 }));
    expect(answer.record).toMatchObject({ status: 200 });
    expect(answer.response).toMatchObject({ status: 200, truncated: true });
    expect(answer.response!.text.length).toBe(64 * 1024);
    expect(answer.response!.text.startsWith('{"memories":[{"content":"yyy')).toBe(true);
    await waitFor(() => hostile.openConnections === 0, "the probe's connection to close");
    expect(hostile.bytesStreamed).toBeLessThan(100 * MB);
  });

  it("stops as soon as the text read is enough", async () => {
    const answer = await probe({ ...spec(), enough: (text) => text.includes('"content_hash"') }, io({ maxBodyBytes: 1024 * MB }));
    expect(answer.response).toMatchObject({ status: 200, truncated: true });
    expect(answer.response!.text).toContain('"content_hash"');
    expect(answer.response!.text.length).toBeLessThan(1 * MB);
    await waitFor(() => hostile.openConnections === 0, "the probe's connection to close");
  });

  it("ends at its timeout while the body still flows, and lets go of the connection", async () => {
    const answer = await probe(spec(), io({ maxBodyBytes: 1024 * 1024 * MB, timeoutMs: 300 }));
    expect(answer.record).toMatchObject({ status: 200 });
    expect(answer.response).toMatchObject({ status: 200, text: "", truncated: true });
    await waitFor(() => hostile.openConnections === 0, "the probe's connection to close");
  });

  it("ends when the caller aborts while the body still flows", async () => {
    const controller = new AbortController();
    const pending = probe({ ...spec(), enough: () => (controller.abort(), false) }, io({ maxBodyBytes: 1024 * MB, signal: controller.signal }));
    const answer = await pending;
    expect(answer.record).toMatchObject({ status: 200 });
    expect(answer.response).toMatchObject({ truncated: true });
    await waitFor(() => hostile.openConnections === 0, "the probe's connection to close");
  });
});

describe("a probe to a server that accepts and never answers", () => {
  it("ends when the caller aborts, as aborted", async () => {
    const controller = new AbortController();
    const silent = await stub(() => controller.abort());
    expect(await detect(`${silent.origin}/api`, {}, controller.signal)).toMatchObject({ status: "unreachable", error: "aborted" });
  });
});
