import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeProjectId } from "../../src/project/project-id.js";

const hash8 = (key: string) => createHash("sha256").update(key).digest("hex").slice(0, 8);

describe("makeProjectId", () => {
  it("is project_<name>_<first 8 hex of sha256(key)>", () => {
    expect(makeProjectId("app", "github.com/acme/app")).toBe(`project_app_${hash8("github.com/acme/app")}`);
    expect(makeProjectId("notes", "/home/u/notes")).toBe(`project_notes_${hash8("/home/u/notes")}`);
  });

  it("pins the format with one literal id", () => {
    expect(makeProjectId("app", "github.com/acme/app")).toBe("project_app_98d9fc12");
    expect(makeProjectId("app", "/home/u/app")).toBe("project_app_2bf7c3a6");
  });

  it("slugs the name", () => {
    expect(makeProjectId("My App", "k")).toBe(`project_my-app_${hash8("k")}`);
    expect(makeProjectId("", "k")).toBe(`project_root_${hash8("k")}`);
  });

  it("matches project_<slug>_<8 hex>", () => {
    expect(makeProjectId("Some Repo", "/x")).toMatch(/^project_[a-z0-9-]{1,40}_[0-9a-f]{8}$/);
  });
});
