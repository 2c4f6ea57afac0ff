import { describe, expect, it } from "vitest";
import { normalizeRemote, remoteName } from "../../src/project/normalize-remote.js";

describe("normalizeRemote", () => {
  it.each([
    ["git@GitHub.com:Acme/App.git"],
    ["https://github.com/acme/app"],
    ["ssh://git@github.com/acme/app.git"],
    ["https://github.com/acme/app.git"],
    ["https://github.com/acme/app/"],
    ["https://github.com/acme/app.git/"],
    ["https://github.com/acme/app//"],
    ["git://github.com/acme/app.git"],
    ["git+ssh://git@github.com/acme/app.git"],
    ["github.com:acme/app.git"],
    ["  https://github.com/acme/app  "],
    ["git@github.com:/acme/app.git"],
  ])("%s → github.com/acme/app", (url) => {
    expect(normalizeRemote(url)).toBe("github.com/acme/app");
  });

  it("strips http credentials so a password is never hashed or shown", () => {
    expect(normalizeRemote("https://user:s3cret@github.com/acme/app.git")).toBe("github.com/acme/app");
    expect(normalizeRemote("http://x-access-token:ghp_abc@github.com/acme/app")).toBe("github.com/acme/app");
    expect(normalizeRemote("https://user:p@ss@github.com/acme/app")).toBe("github.com/acme/app");
    expect(normalizeRemote("https://user:p%40ss@github.com/acme/app")).toBe("github.com/acme/app");
    expect(normalizeRemote("https://oauth2@gitlab.com/acme/app")).toBe("gitlab.com/acme/app");
  });

  it("keeps gitlab subgroups", () => {
    expect(normalizeRemote("git@gitlab.com:acme/platform/backend/app.git")).toBe("gitlab.com/acme/platform/backend/app");
    expect(normalizeRemote("https://gitlab.com/acme/platform/backend/app")).toBe("gitlab.com/acme/platform/backend/app");
  });

  it("keeps a numeric port after a scheme: the scp rule is for the scheme-less form only (project.md steps)", () => {
    expect(normalizeRemote("ssh://git@git.example.com:2222/acme/app.git")).toBe("git.example.com:2222/acme/app");
    expect(normalizeRemote("https://git.example.com:8443/Team/App.git")).toBe("git.example.com:8443/team/app");
    expect(normalizeRemote("https://user:pw@git.example.com:8443/acme/app")).toBe("git.example.com:8443/acme/app");
    expect(normalizeRemote("ssh://git@[::1]:2222/acme/app.git")).toBe("[::1]:2222/acme/app");
    expect(normalizeRemote("https://git.example.com:/acme/app")).toBe("git.example.com/acme/app");
    // A scheme's default port is the same server: https://github.com:443/… is github.com/….
    expect(normalizeRemote("https://github.com:443/acme/app.git")).toBe("github.com/acme/app");
    expect(normalizeRemote("ssh://git@github.com:22/acme/app.git")).toBe("github.com/acme/app");
    expect(normalizeRemote("http://git.example.com:80/acme/app")).toBe("git.example.com/acme/app");
  });

  it("treats a non-numeric 'port' after a scheme as a mistyped scp path", () => {
    expect(normalizeRemote("ssh://git@github.com:acme/app.git")).toBe("github.com/acme/app");
  });

  it("applies the scp rule only to the scp-like form (':' before any '/')", () => {
    expect(normalizeRemote("git@host.example:team/app.git")).toBe("host.example/team/app");
    expect(normalizeRemote("/srv/git/app:v2.git")).toBe("/srv/git/app:v2");
    expect(normalizeRemote("./relative/app.git")).toBe("./relative/app");
  });

  it("handles file urls and local paths", () => {
    expect(normalizeRemote("file:///srv/repo.git")).toBe("/srv/repo");
    expect(normalizeRemote("file:///srv/app/.git")).toBe("/srv/app");
    expect(normalizeRemote("/srv/Repo.git/")).toBe("/srv/repo");
  });

  it("treats Windows drive paths as local paths, not host:path", () => {
    expect(normalizeRemote("C:\\Users\\Me\\repos\\App.git")).toBe("c:/users/me/repos/app");
    expect(normalizeRemote("C:/Users/Me/repos/App.git")).toBe("c:/users/me/repos/app");
    expect(normalizeRemote("file:///C:/Users/Me/repos/App.git")).toBe("c:/users/me/repos/app");
  });

  it("returns an empty string for an empty url", () => {
    expect(normalizeRemote("   ")).toBe("");
  });
});

describe("remoteName", () => {
  it("is the last path segment", () => {
    expect(remoteName("github.com/acme/app")).toBe("app");
    expect(remoteName("/srv/repo")).toBe("repo");
    expect(remoteName("host")).toBe("host");
    expect(remoteName("")).toBe("");
  });
});
