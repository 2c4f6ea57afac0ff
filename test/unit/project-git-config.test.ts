import { describe, expect, it } from "vitest";
import { parseGitConfig, parseOriginUrl } from "../../src/project/git-config.js";

const TYPICAL = `[core]
\trepositoryformatversion = 0
\tfilemode = true
\tbare = false
[remote "origin"]
\turl = git@github.com:acme/app.git
\tfetch = +refs/heads/*:refs/remotes/origin/*
[branch "main"]
\tremote = origin
\tmerge = refs/heads/main
`;

describe("parseOriginUrl", () => {
  it("reads the origin url of a typical config", () => {
    expect(parseOriginUrl(TYPICAL)).toBe("git@github.com:acme/app.git");
  });

  it("returns undefined without an origin", () => {
    expect(parseOriginUrl("[core]\n\tbare = false\n")).toBeUndefined();
    expect(parseOriginUrl('[remote "upstream"]\n\turl = https://github.com/up/app\n')).toBeUndefined();
    expect(parseOriginUrl("")).toBeUndefined();
  });

  it("ignores other remotes and keys that look alike", () => {
    const text = `[remote "upstream"]\n url = https://up/app\n[remote "origin"]\n pushurl = https://push/app\n url = https://origin/app\n`;
    expect(parseOriginUrl(text)).toBe("https://origin/app");
  });

  it("matches section and key names case-insensitively", () => {
    expect(parseOriginUrl('[REMOTE "origin"]\n  URL = https://h/a\n')).toBe("https://h/a");
    expect(parseOriginUrl('[Remote "origin"]\n  Url=https://h/a\n')).toBe("https://h/a");
  });

  it("keeps the subsection case-sensitive, like git", () => {
    expect(parseOriginUrl('[remote "Origin"]\n  url = https://h/a\n')).toBeUndefined();
  });

  it("accepts the legacy [remote.origin] header (subsection lower-cased)", () => {
    expect(parseOriginUrl("[remote.Origin]\n  url = https://h/a\n")).toBe("https://h/a");
  });

  it("tolerates whitespace around headers, keys and values", () => {
    expect(parseOriginUrl('   [remote   "origin"]   \n\t  url\t=\t https://h/a \t \n')).toBe("https://h/a");
  });

  it("accepts an entry on the header line", () => {
    expect(parseOriginUrl('[remote "origin"] url = https://h/a\n')).toBe("https://h/a");
  });

  it("strips # and ; comments, whole-line and trailing", () => {
    const text = `# a comment\n; another\n[remote "origin"] # trailing\n  ; url = https://wrong\n  url = https://h/a # comment\n`;
    expect(parseOriginUrl(text)).toBe("https://h/a");
    expect(parseOriginUrl('[remote "origin"]\n url = https://h/a;x\n')).toBe("https://h/a");
  });

  it("unquotes values and keeps comment characters inside quotes", () => {
    expect(parseOriginUrl('[remote "origin"]\n url = "https://h/a#b;c"\n')).toBe("https://h/a#b;c");
    expect(parseOriginUrl('[remote "origin"]\n url = "/srv/my repo.git"\n')).toBe("/srv/my repo.git");
    expect(parseOriginUrl('[remote "origin"]\n url = /srv/"my  repo".git\n')).toBe("/srv/my  repo.git");
  });

  it("handles escapes and backslash-newline continuation", () => {
    expect(parseOriginUrl('[remote "origin"]\n url = "say \\"hi\\"" \n')).toBe('say "hi"');
    expect(parseOriginUrl('[remote "origin"]\n url = C:\\\\repos\\\\app\n')).toBe("C:\\repos\\app");
    expect(parseOriginUrl('[remote "origin"]\n url = https://h/\\\nacme/app\n')).toBe("https://h/acme/app");
  });

  it("handles escaped quotes in the subsection", () => {
    expect(parseGitConfig('[remote "we\\"ird"]\n url = x\n')[0]).toMatchObject({ subsection: 'we"ird', value: "x" });
  });

  it("takes the first of several urls, also across repeated sections", () => {
    expect(parseOriginUrl('[remote "origin"]\n url = https://first\n url = https://second\n')).toBe("https://first");
    expect(parseOriginUrl('[remote "origin"]\n fetch = x\n[core]\n[remote "origin"]\n url = https://later\n')).toBe("https://later");
  });

  it("lets an empty url clear the earlier ones (git 2.46)", () => {
    expect(parseOriginUrl('[remote "origin"]\n url = https://old\n url =\n url = https://new\n')).toBe("https://new");
    expect(parseOriginUrl('[remote "origin"]\n url = https://old\n url = ""\n')).toBeUndefined();
  });

  it("ignores a bare url key without a value", () => {
    expect(parseOriginUrl('[remote "origin"]\n url\n url = https://h/a\n')).toBe("https://h/a");
  });

  it("handles CRLF line endings and a BOM", () => {
    expect(parseOriginUrl('\uFEFF[remote "origin"]\r\n\turl = https://h/a\r\n')).toBe("https://h/a");
  });

  it("does not follow [include] (documented limitation)", () => {
    expect(parseOriginUrl("[include]\n path = remotes.inc\n")).toBeUndefined();
  });

  it("skips malformed lines and keeps parsing", () => {
    const text = `[remote "origin"\n url = https://dropped\n!!! nonsense\n[remote "origin"]\n url: wrong\n url = https://h/a\n`;
    expect(parseOriginUrl(text)).toBe("https://h/a");
  });

  it("ignores an unterminated quoted value", () => {
    expect(parseOriginUrl('[remote "origin"]\n url = "https://broken\n url = https://h/a\n')).toBe("https://h/a");
  });
});

describe("parseGitConfig", () => {
  it("returns every entry with lower-cased section and key names", () => {
    expect(parseGitConfig('[Core]\n Bare = false\n FileMode\n[remote "origin"]\n url = u\n')).toEqual([
      { section: "core", subsection: undefined, key: "bare", value: "false" },
      { section: "core", subsection: undefined, key: "filemode", value: undefined },
      { section: "remote", subsection: "origin", key: "url", value: "u" },
    ]);
  });

  it("drops entries before any section", () => {
    expect(parseGitConfig("url = x\n")).toEqual([]);
  });
});
