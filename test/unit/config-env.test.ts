import { describe, expect, it } from "vitest";
import { envValue, readEnvSettings, SETTING_ENV_VARS } from "../../src/config/env.js";

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
    ["DEFAULT_USER_ID", "userId"],
    ["PROJECT_ID_MODE", "projectMode"],
    ["MCP_MEMORY_AUTO_DISCOVER", "discovery"],
  ] as const)("reads legacy %s as %s", (variable, key) => {
    expect(readEnvSettings({ [variable]: "v" })[key]).toEqual({ value: "v", variable });
  });

  it("prefers the current name over the legacy one, unless the current one is empty", () => {
    expect(readEnvSettings({ MEMORY_BRIDGE_ENDPOINT: "new", MCP_MEMORY_HTTP_ENDPOINT: "old" }).endpoint?.value).toBe("new");
    expect(readEnvSettings({ MEMORY_BRIDGE_ENDPOINT: "", MCP_MEMORY_HTTP_ENDPOINT: "old" }).endpoint?.value).toBe("old");
  });

  it("ignores the token variables (credentials/ reads those)", () => {
    expect(readEnvSettings({ MEMORY_BRIDGE_TOKEN: "t0ken-value", MCP_MEMORY_API_KEY: "k3y-value" })).toEqual({});
  });
});
