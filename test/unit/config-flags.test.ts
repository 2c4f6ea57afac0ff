import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { formatGlobalFlagsHelp, globalFlagHelp, globalFlagOptions, toSettingFlags } from "../../src/config/flags.js";

const parse = (args: string[]) =>
  parseArgs({ args, options: { ...globalFlagOptions, json: { type: "boolean" } }, allowPositionals: true }).values;

describe("global flags", () => {
  it("parse into SettingFlags", () => {
    const values = parse([
      "--endpoint", "https://m.example.com",
      "--backend", "mem0",
      "--auth-scheme", "token",
      "--user-id", "alice",
      "--project-mode", "manual",
      "--project", "p1",
      "--project-key", "path",
      "--no-discovery",
      "--timeout", "2500",
      "--allow-http",
      "--ca-file", "/ca.pem",
      "--log-level", "debug",
      "--json",
    ]);
    expect(toSettingFlags(values)).toEqual({
      endpoint: "https://m.example.com",
      backend: "mem0",
      authScheme: "token",
      userId: "alice",
      projectMode: "manual",
      project: "p1",
      projectKey: "path",
      discovery: false,
      timeout: "2500",
      allowHttp: true,
      caFile: "/ca.pem",
      logLevel: "debug",
    });
  });

  it("leave unset settings out", () => {
    expect(toSettingFlags(parse([]))).toEqual({});
    expect(toSettingFlags(parse(["--json"]))).toEqual({});
  });

  it("keep an explicit empty value so it is reported", () => {
    expect(toSettingFlags(parse(["--timeout="]))).toEqual({ timeout: "" });
  });

  it("have one help row per option, with env names and defaults", () => {
    expect(globalFlagHelp.map((row) => row.flag)).toEqual(Object.keys(globalFlagOptions).map((name) => `--${name}`));
    const endpoint = globalFlagHelp.find((row) => row.flag === "--endpoint");
    expect(endpoint).toMatchObject({ valueName: "URL", env: ["MEMORY_BRIDGE_ENDPOINT", "MCP_MEMORY_HTTP_ENDPOINT", "MCP_HTTP_ENDPOINT"], setting: "endpoint" });
    expect(globalFlagHelp.find((row) => row.flag === "--timeout")?.default).toBe("15000");
    expect(globalFlagHelp.find((row) => row.flag === "--no-discovery")?.valueName).toBeUndefined();
    for (const row of globalFlagHelp) {
      expect(row.description).not.toBe("");
      expect(row.env.length).toBeGreaterThan(0);
    }
  });

  it("format a help block with one line per flag", () => {
    const text = formatGlobalFlagsHelp();
    expect(text.split("\n")).toHaveLength(globalFlagHelp.length);
    expect(text).toContain("--project-mode MODE");
    expect(text).toContain("MEMORY_BRIDGE_PROJECT_MODE, PROJECT_ID_MODE");
  });
});
