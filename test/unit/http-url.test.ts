import { describe, expect, it } from "vitest";
import { catchError } from "../helpers/catch-error.js";
import { canonicalEndpoint, InvalidEndpointError, isLoopbackHost, loopbackSpellings } from "../../src/core/endpoint.js";
import { InsecureEndpointError } from "../../src/http/errors.js";
import { assertTransportAllowed } from "../../src/http/url.js";
import { BridgeError } from "../../src/core/errors.js";

describe("canonicalEndpoint", () => {
  it.each([
    ["https://Mem.Example.COM/api", "https://mem.example.com/api"],
    ["HTTPS://mem.example.com/api/", "https://mem.example.com/api"],
    ["https://mem.example.com:443/api", "https://mem.example.com/api"],
    ["http://mem.example.com:80/api", "http://mem.example.com/api"],
    ["https://mem.example.com:8443/api", "https://mem.example.com:8443/api"],
    ["http://127.0.0.1:8000/api///", "http://127.0.0.1:8000/api"],
    ["https://mem.example.com/", "https://mem.example.com"],
    ["https://mem.example.com", "https://mem.example.com"],
    ["https://user:secret@mem.example.com/api?x=1#frag", "https://mem.example.com/api"],
    ["  https://mem.example.com/api  ", "https://mem.example.com/api"],
    ["http://[::1]:8000/api", "http://[::1]:8000/api"],
    ["http://[0:0:0:0:0:0:0:1]:8000/api", "http://[::1]:8000/api"],
    ["https://[2001:DB8::1]/api/", "https://[2001:db8::1]/api"],
    ["https://mem.example.com/API/V1", "https://mem.example.com/API/V1"],
  ])("%s → %s", (input, expected) => {
    expect(canonicalEndpoint(input)).toBe(expected);
  });

  it.each(["", "not a url", "mem.example.com/api", "http://", "https://exa mple.com", "http://[::1/api"])(
    "rejects the malformed %j (its words: test/unit/mcp-error-words.test.ts)",
    (input) => {
      const err = catchError(() => canonicalEndpoint(input));
      expect(err).toBeInstanceOf(InvalidEndpointError);
      expect(err).toBeInstanceOf(BridgeError);
      expect(err.message).toMatch(/is not a usable endpoint URL/);
    },
  );

  it.each(["ftp://mem.example.com/api", "file:///etc/passwd", "localhost:8000", "ws://mem.example.com"])(
    "rejects the scheme of %s",
    (input) => {
      const err = catchError(() => canonicalEndpoint(input));
      expect(err).toBeInstanceOf(InvalidEndpointError);
      expect(err.message).toMatch(/not supported/);
    },
  );

  it("never repeats userinfo or a query in its message", () => {
    const err = catchError(() => canonicalEndpoint("ftp://alice:s3cr3t-token@mem.example.com/?key=s3cr3t-token"));
    expect(err.message).not.toContain("s3cr3t");
    const err2 = catchError(() => canonicalEndpoint("alice:s3cr3t-token@mem.example.com/api"));
    expect(err2.message).not.toContain("s3cr3t");
  });
});

describe("isLoopbackHost", () => {
  it.each(["localhost", "LOCALHOST", "localhost.", "127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "[::1]", "[::ffff:7f00:1]"])(
    "%s is loopback",
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );
  it.each(["10.0.0.1", "128.0.0.1", "127.0.0.256", "127.0.0", "0.0.0.0", "mem.example.com", "localhost.example.com", "::2", "[::]", "127.0.0.1.nip.io"])(
    "%s is not loopback",
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );
});

describe("loopbackSpellings", () => {
  it("gives the other loopback spellings with the same scheme, port and path", () => {
    expect(loopbackSpellings("http://127.0.0.1:8000/api")).toEqual(["http://localhost:8000/api", "http://[::1]:8000/api"]);
    expect(loopbackSpellings("http://localhost:8000/api")).toEqual(["http://127.0.0.1:8000/api", "http://[::1]:8000/api"]);
    expect(loopbackSpellings("https://[::1]/base")).toEqual(["https://127.0.0.1/base", "https://localhost/base"]);
  });
  it("is empty for any other host", () => {
    expect(loopbackSpellings("http://10.0.0.1:8000/api")).toEqual([]);
    expect(loopbackSpellings("https://mem.example.com/api")).toEqual([]);
  });
});

describe("assertTransportAllowed", () => {
  it("allows https anywhere", () => {
    expect(() => assertTransportAllowed("https://mem.example.com/api", false)).not.toThrow();
  });
  it.each(["http://127.0.0.1:8000/api", "http://localhost:8000/api", "http://[::1]:8000", "http://127.1:8000"])(
    "allows plain http to loopback %s",
    (url) => expect(() => assertTransportAllowed(url, false)).not.toThrow(),
  );
  it.each(["http://10.0.0.1:8000/api", "http://mem.example.com/api", "http://192.168.1.5:8000"])(
    "refuses plain http to %s (the way out: test/unit/mcp-error-words.test.ts)",
    (url) => {
      const err = catchError(() => assertTransportAllowed(url, false));
      expect(err).toBeInstanceOf(InsecureEndpointError);
    },
  );
  it("allows plain http to a remote host when told to", () => {
    expect(() => assertTransportAllowed("http://10.0.0.1:8000/api", true)).not.toThrow();
  });
  it("accepts a URL object", () => {
    expect(() => assertTransportAllowed(new URL("http://10.0.0.1/"), false)).toThrow(InsecureEndpointError);
  });
});
