import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sessionBusAddress, withSessionBus } from "../../src/credentials/session-bus.js";

describe("sessionBusAddress", () => {
  const exists = (paths: string[]) => (path: string) => paths.includes(path);

  it("uses DBUS_SESSION_BUS_ADDRESS when it is set", () => {
    expect(sessionBusAddress({ DBUS_SESSION_BUS_ADDRESS: "unix:path=/x/bus" }, 1000, exists([]))).toBe("unix:path=/x/bus");
  });

  it("falls back to $XDG_RUNTIME_DIR/bus, as MCP clients strip the bus address from the environment", () => {
    expect(sessionBusAddress({ XDG_RUNTIME_DIR: "/run/user/1000" }, 1000, exists(["/run/user/1000/bus"]))).toBe("unix:path=/run/user/1000/bus");
  });

  it("falls back to /run/user/<uid>/bus when XDG_RUNTIME_DIR is unset too", () => {
    expect(sessionBusAddress({}, 1000, exists(["/run/user/1000/bus"]))).toBe("unix:path=/run/user/1000/bus");
  });

  it("does not look past XDG_RUNTIME_DIR when it is set (keeps sandboxes hermetic)", () => {
    expect(sessionBusAddress({ XDG_RUNTIME_DIR: "/tmp/sandbox" }, 1000, exists(["/run/user/1000/bus"]))).toBeUndefined();
  });

  it("is undefined when no socket exists", () => {
    expect(sessionBusAddress({}, 1000, exists([]))).toBeUndefined();
  });
});

describe("withSessionBus", () => {
  it("leaves an explicit address alone", () => {
    const env = { DBUS_SESSION_BUS_ADDRESS: "unix:path=/a" };
    expect(withSessionBus(env, {})).toBe(env);
  });

  it("exports a derived address into the real environment, and only there", () => {
    const dir = mkdtempSync(join(tmpdir(), "bridge-bus-"));
    writeFileSync(join(dir, "bus"), "");
    const real: NodeJS.ProcessEnv = { XDG_RUNTIME_DIR: dir };
    expect(withSessionBus(real, real).DBUS_SESSION_BUS_ADDRESS).toBe(`unix:path=${dir}/bus`);
    expect(real.DBUS_SESSION_BUS_ADDRESS).toBe(`unix:path=${dir}/bus`);

    const other: NodeJS.ProcessEnv = {};
    const copy = { XDG_RUNTIME_DIR: dir };
    expect(withSessionBus(copy, other).DBUS_SESSION_BUS_ADDRESS).toBe(`unix:path=${dir}/bus`);
    expect(other.DBUS_SESSION_BUS_ADDRESS).toBeUndefined();
    expect(copy).toEqual({ XDG_RUNTIME_DIR: dir });
  });

  it("derives nothing when the runtime directory has no bus socket", () => {
    const dir = mkdtempSync(join(tmpdir(), "bridge-bus-"));
    const real: NodeJS.ProcessEnv = { XDG_RUNTIME_DIR: dir };
    expect(withSessionBus(real, real)).toBe(real);
    expect(real.DBUS_SESSION_BUS_ADDRESS).toBeUndefined();
  });
});
