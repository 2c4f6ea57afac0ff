import { describe, expect, it } from "vitest";
import { authRequiredFromStatus } from "../../src/discovery/auth-probe.js";
import { openapiInfo } from "../../src/discovery/openapi-info.js";

describe("openapiInfo", () => {
  const whole = JSON.stringify({
    openapi: "3.1.0",
    info: { title: "MCP Memory Service", description: 'says "info": {"title": "fake"} and {braces}', version: "10.59.0", license: { name: "Apache" } },
    paths: { "/api/health": {} },
  });

  it("reads a whole document", () => {
    expect(openapiInfo(whole)).toEqual({ title: "MCP Memory Service", version: "10.59.0" });
  });

  it("reads info from a prefix cut after the info object, strings with quotes and braces included", () => {
    const cut = whole.slice(0, whole.indexOf('"paths"') + 12);
    expect(() => JSON.parse(cut)).toThrow();
    expect(openapiInfo(cut)).toEqual({ title: "MCP Memory Service", version: "10.59.0" });
  });

  it("gives nothing when the cut falls inside info", () => {
    expect(openapiInfo(whole.slice(0, whole.indexOf("10.59")))).toEqual({});
  });

  it.each([["<html>"], ["[]"], ['{"info": "x"}'], ['{"info": {"title": 3}}'], [""]])("gives nothing for %j", (text) => {
    expect(openapiInfo(text)).toEqual({});
  });
});

describe("authRequiredFromStatus", () => {
  it.each([
    [401, true],
    [403, true],
    [200, false],
    [204, false],
    [400, false],
    [422, false],
    [404, undefined],
    [500, undefined],
    [503, undefined],
    [undefined, undefined],
  ])("%s → %s", (status, expected) => {
    expect(authRequiredFromStatus(status)).toBe(expected);
  });
});
