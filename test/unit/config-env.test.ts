import { describe, expect, it } from "vitest";
import { readEnvSettings, SETTING_ENV_VARS } from "../../src/config/env.js";
import { envValue } from "../../src/core/env.js";

describe("envValue", () => {
  it("trims and treats empty or blank as unset", () => {
    expect(envValue({ A: "  x " }, "A")).toBe("x");
    expect(envValue({ A: "" }, "A")).toBeUndefined();
    expect(envValue({ A: "   " }, "A")).toBeUndefined();
    expect(envValue({}, "A")).toBeUndefined();
  });
});

describe("readEnvSettings", () => {
  it("reads nothing from an empty environment", () => {
    expect(readEnvSettings({})).toEqual({});
  });

  it("reads every current name and records the variable", () => {
    const env = Object.fromEntries(Object.values(SETTING_ENV_VARS).map(([current]) => [current, ` value-of-${current} `]));
    const found = readEnvSettings(env);
    for (const [key, [current]] of Object.entries(SETTING_ENV_VARS)) {
      expect(found[key as keyof typeof found]).toEqual({ value: `value-of-${current}`, variable: current });
    }
  });

  it.each([
    ["MCP_MEMORY_HTTP_ENDPOINT", "endpoint"],
    ["MCP_HTTP_ENDPOINT", "endpoint"],
    ["DEFAULT_USER_ID", "userId"],
    ["PROJECT_ID_MODE", "projectMode"],
  ] as const)("reads legacy %s as %s", (variable, key) => {
    expect(readEnvSettings({ [variable]: "v" })[key]).toEqual({ value: "v", variable });
  });

  it("reads legacy MCP_MEMORY_AUTO_DISCOVER as http-mcp-bridge.js does: on only when exactly true", () => {
    expect(readEnvSettings({ MCP_MEMORY_AUTO_DISCOVER: "true" }).discovery).toEqual({ value: "true", variable: "MCP_MEMORY_AUTO_DISCOVER" });
    for (const value of ["1", "yes", "on", "TRUE", "True", "false", "anything"]) {
      expect(readEnvSettings({ MCP_MEMORY_AUTO_DISCOVER: value }).discovery, value).toEqual({ value: "false", variable: "MCP_MEMORY_AUTO_DISCOVER" });
    }
  });

  it("MCP_MEMORY_HTTP_ENDPOINT wins over MCP_HTTP_ENDPOINT, as the older bridge's own name", () => {
    expect(readEnvSettings({ MCP_HTTP_ENDPOINT: "docs", MCP_MEMORY_HTTP_ENDPOINT: "code" }).endpoint).toEqual({ value: "code", variable: "MCP_MEMORY_HTTP_ENDPOINT" });
  });

  it("prefers the current name over the legacy one, unless the current one is empty", () => {
    expect(readEnvSettings({ MEMORY_BRIDGE_ENDPOINT: "new", MCP_MEMORY_HTTP_ENDPOINT: "old" }).endpoint?.value).toBe("new");
    expect(readEnvSettings({ MEMORY_BRIDGE_ENDPOINT: "", MCP_MEMORY_HTTP_ENDPOINT: "old" }).endpoint?.value).toBe("old");
  });

  it("ignores the token variables (credentials/ reads those)", () => {
    expect(readEnvSettings({ MEMORY_BRIDGE_TOKEN: "t0ken-value", MCP_MEMORY_API_KEY: "k3y-value" })).toEqual({});
  });
});
