import { describe, expect, it } from "vitest";
import { describeDetection } from "../../src/discovery/describe.js";
import type { FoundDetection } from "../../src/discovery/types.js";

const API = "http://127.0.0.1:8000/api";
const base: FoundDetection = { status: "found", input: API, endpoint: API, backend: "mcp-memory-service", evidence: "health", latencyMs: 2, probes: [] };

describe("describeDetection", () => {
  it("offers the /api correction", () => {
    const text = describeDetection({ ...base, input: "http://127.0.0.1:8000", evidence: "api-health", correction: { from: "http://127.0.0.1:8000", to: API } });
    expect(text).toBe("Did you mean http://127.0.0.1:8000/api? http://127.0.0.1:8000 is mcp-memory-service, whose API is at http://127.0.0.1:8000/api.");
  });

  it("names the backend, its version and whether it needs a token", () => {
    expect(describeDetection({ ...base, version: "10.59.0", authRequired: true })).toBe(`${API} is mcp-memory-service 10.59.0, which requires a token.`);
    expect(describeDetection({ ...base, backend: "mem0", endpoint: "http://127.0.0.1:8888", authRequired: false })).toBe(
      "http://127.0.0.1:8888 is a mem0 server, which answers without a token.",
    );
  });

  it("says a plain web server is not a memory server, and what was probed", () => {
    const text = describeDetection({
      status: "not-memory-server",
      input: "http://127.0.0.1:8080",
      probes: [
        { method: "GET", url: "http://127.0.0.1:8080/health", status: 404, ms: 1 },
        { method: "GET", url: "http://127.0.0.1:8080/openapi.json", error: "timeout", ms: 2000 },
      ],
    });
    expect(text).toBe("http://127.0.0.1:8080 answers HTTP but is not a memory server (GET /health → 404, GET /openapi.json → timeout).");
  });

  it("says nothing answers, with the error", () => {
    expect(describeDetection({ status: "unreachable", input: API, error: "ECONNREFUSED", probes: [] })).toBe(`Nothing answers at ${API} (ECONNREFUSED).`);
    expect(describeDetection({ status: "unreachable", input: API, error: "timeout", probes: [] })).toBe(`Nothing answered at ${API} in time.`);
  });

  it("explains a refusal", () => {
    expect(describeDetection({ status: "refused", input: "http://192.0.2.1:8000/api", reason: "insecure-http" })).toBe(
      "http://192.0.2.1:8000/api is plain http to a host that is not this machine, so it was not probed; use https, or allow plain http (--allow-http).",
    );
    expect(describeDetection({ status: "refused", reason: "invalid-url" })).toMatch(/https:\/\//);
  });
});
