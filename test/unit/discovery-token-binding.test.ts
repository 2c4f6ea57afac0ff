import { describe, expect, it } from "vitest";
import { sameEndpoint, tokenAccountsFor } from "../../src/discovery/token-binding.js";

describe("tokenAccountsFor", () => {
  it("lists the exact endpoint first, then the other loopback spellings", () => {
    expect(tokenAccountsFor("http://127.0.0.1:8000/api/")).toEqual([
      "http://127.0.0.1:8000/api",
      "http://localhost:8000/api",
      "http://[::1]:8000/api",
    ]);
    expect(tokenAccountsFor("http://LOCALHOST:8000/api")[0]).toBe("http://localhost:8000/api");
    expect(tokenAccountsFor("http://[0:0:0:0:0:0:0:1]:8000/api")[0]).toBe("http://[::1]:8000/api");
  });

  it("keeps the scheme and leaves out a default port", () => {
    expect(tokenAccountsFor("https://localhost/api")).toEqual(["https://localhost/api", "https://127.0.0.1/api", "https://[::1]/api"]);
  });

  it("gives a non-loopback endpoint no aliases", () => {
    expect(tokenAccountsFor("https://mem.example.com/api")).toEqual(["https://mem.example.com/api"]);
    expect(tokenAccountsFor("http://127.0.0.2:8000/api")).toEqual(["http://127.0.0.2:8000/api"]);
  });
});

describe("sameEndpoint", () => {
  it.each([
    ["http://127.0.0.1:8000/api", "http://localhost:8000/api/"],
    ["http://[::1]:8000/api", "http://127.0.0.1:8000/api"],
    ["https://mem.example.com/api", "https://MEM.example.com:443/api"],
  ])("%s and %s are one endpoint", (a, b) => {
    expect(sameEndpoint(a, b)).toBe(true);
    expect(sameEndpoint(b, a)).toBe(true);
  });

  it.each([
    ["http://127.0.0.1:8000/api", "http://localhost:8001/api"],
    ["http://127.0.0.1:8000/api", "http://localhost:8000"],
    ["http://127.0.0.1:8000/api", "https://localhost:8000/api"],
    ["http://127.0.0.1:8000/api", "http://127.0.0.2:8000/api"],
    ["https://mem.example.com/api", "https://evil.example.com/api"],
    ["http://127.0.0.1:8000/api", "not a url"],
  ])("%s and %s are not", (a, b) => {
    expect(sameEndpoint(a, b)).toBe(false);
    expect(sameEndpoint(b, a)).toBe(false);
  });
});
