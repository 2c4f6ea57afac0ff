import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { directoryFromRoots } from "../../src/project/start-dir.js";
import { fallbackReason } from "../../src/project/fallback.js";

describe("directoryFromRoots", () => {
  it("decodes the first file:// root", () => {
    expect(directoryFromRoots(["file:///home/u/my%20app", "file:///other"])).toBe("/home/u/my app");
    expect(directoryFromRoots(["file:///home/u/100%25%20done"])).toBe("/home/u/100% done");
    expect(directoryFromRoots([pathToFileURL("/srv/über proj#1").href])).toBe("/srv/über proj#1");
  });

  it("skips non-file and unusable roots", () => {
    expect(directoryFromRoots(["https://example.com/x", "not a uri", "file://server/share", "FILE:///srv/app"])).toBe("/srv/app");
  });

  it("is undefined without a usable root", () => {
    expect(directoryFromRoots(undefined)).toBeUndefined();
    expect(directoryFromRoots([])).toBeUndefined();
    expect(directoryFromRoots(["vscode-vfs://github/acme/app"])).toBeUndefined();
  });
});

describe("fallbackReason", () => {
  const places = { home: "/home/u", tmpdir: "/tmp" };

  it("names the filesystem root, home and temp directory", () => {
    expect(fallbackReason({ ...places, start: "/" })).toMatch(/filesystem root/);
    expect(fallbackReason({ ...places, start: "/home/u" })).toMatch(/\/home\/u is the home directory/);
    expect(fallbackReason({ ...places, start: "/tmp" })).toMatch(/temp directory/);
  });

  it("does not apply to subdirectories", () => {
    expect(fallbackReason({ ...places, start: "/home/u/app" })).toBeUndefined();
    expect(fallbackReason({ ...places, start: "/tmp/x" })).toBeUndefined();
  });

  it("compares case-insensitively on Windows only", () => {
    expect(fallbackReason({ start: "C:\\Users\\U", home: "c:\\users\\u", tmpdir: "x" }, "win32")).toMatch(/home/);
    expect(fallbackReason({ start: "/Home/U", home: "/home/u", tmpdir: "/tmp" }, "linux")).toBeUndefined();
  });
});
