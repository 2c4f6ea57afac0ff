import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHttpClient } from "../../src/http/client.js";
import { CaFileError, TlsError } from "../../src/http/errors.js";
import type { HttpClient } from "../../src/http/types.js";
import { explain } from "../../src/mcp/error-words.js";
import { makeSelfSignedCert } from "../fixtures/self-signed-cert.js";
import { inMs, rejection } from "./http-test-helpers.js";
import { isPresent, needs } from "../prerequisites/prerequisites.js";
import { WORDS } from "../helpers/words.js";

const hasOpenssl = isPresent("openssl");

let dir = "";
let certFile = "";
let server: Server | undefined;
let origin = "";
let port = 0;
const clients: HttpClient[] = [];

beforeAll(async () => {
  if (!hasOpenssl) return;
  dir = mkdtempSync(join(tmpdir(), "http-tls-"));
  const files = makeSelfSignedCert(dir);
  certFile = files.certFile;
  const keyFile = files.keyFile;
  server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":"healthy"}');
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${port}`;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  if (server !== undefined) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
  }
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

function client(endpoint: string, caFile?: string): HttpClient {
  const c = createHttpClient({ endpoint, ...(caFile === undefined ? {} : { caFile }), sleep: async () => undefined });
  clients.push(c);
  return c;
}

const health = { method: "GET", path: "/health", retry: "idempotent" } as const;

describe("TLS", () => {
  beforeEach((ctx) => needs(ctx, "openssl"));

  it("refuses a self-signed certificate, once, with a --ca-file hint", async () => {
    const err = await rejection(client(origin).request(health, inMs(5000)));
    expect(err).toBeInstanceOf(TlsError);
    expect(err).toMatchObject({ causeCode: "DEPTH_ZERO_SELF_SIGNED_CERT", attempts: 1, maybeSent: false });
    expect(explain(err, WORDS)).toMatch(/self-signed certificate.*--ca-file PATH/);
  });

  it("trusts it when its certificate is given as caFile", async () => {
    const res = await client(origin, certFile).request(health, inMs(5000));
    expect(res).toMatchObject({ status: 200, body: { status: "healthy" } });
  });

  it("still checks the host name with the extra CA", async () => {
    const err = await rejection(client(`https://localhost:${port}`, certFile).request(health, inMs(5000)));
    expect(err).toBeInstanceOf(TlsError);
    expect(err).toMatchObject({ causeCode: "ERR_TLS_CERT_ALTNAME_INVALID" });
  });

  it("keeps verifying even when NODE_TLS_REJECT_UNAUTHORIZED=0", async () => {
    const before = process.env["NODE_TLS_REJECT_UNAUTHORIZED"];
    process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
    try {
      const err = await rejection(client(origin).request(health, inMs(5000)));
      expect(err).toBeInstanceOf(TlsError);
    } finally {
      if (before === undefined) delete process.env["NODE_TLS_REJECT_UNAUTHORIZED"];
      else process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = before;
    }
  });

  it("explains a CA file that cannot be read", () => {
    expect(() => client(origin, join(dir, "missing.pem"))).toThrow(CaFileError);
    let thrown: unknown;
    try {
      client(origin, join(dir, "missing.pem"));
    } catch (error) {
      thrown = error;
    }
    expect(explain(thrown, WORDS)).toMatch(/ENOENT.*--ca-file/);
  });
});
