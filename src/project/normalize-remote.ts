const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//;
const DRIVE = /^[a-z]:\//;

/**
 * Canonical form of a git remote url (contracts/project.md step 3), used as the project key.
 * `git@GitHub.com:Acme/App.git`, `https://github.com/acme/app` and
 * `ssh://git@github.com/acme/app.git` all give `github.com/acme/app`.
 *
 * The scp rule (`host:path` → `host/path`) applies only to the scp-like form, i.e. without a
 * scheme, as in git; after a scheme a numeric `:port` stays part of the key, as the contract's
 * steps give (`https://git.example.com:8443/team/app` → `git.example.com:8443/team/app`).
 * Beyond the contract's steps: all userinfo (`user:pass@`) is dropped, so a password never
 * reaches a hash or a message; backslashes become `/` and a drive letter (`c:/…`) is a local
 * path, not scp-like `host:path`; runs of `/` collapse (`git@host:/acme/app` = `git@host:acme/app`).
 */
export function normalizeRemote(url: string): string {
  let s = url.trim().toLowerCase().replace(/\\/g, "/");
  const scheme = SCHEME.exec(s);
  if (scheme) {
    s = stripAuthorityExtras(s.slice(scheme[0].length), scheme[0].slice(0, -3));
  } else if (!DRIVE.test(s)) {
    s = s.replace(/^[^@/]*@/, "");
    // scp-like only when a ':' comes before any '/' (git's rule); otherwise it is a local path.
    s = s.replace(/^([^/:]+):/, "$1/");
  }
  s = s.replace(/\/{2,}/g, "/");
  s = s.replace(/^\/([a-z]:\/)/, "$1"); // file:///c:/repo → c:/repo
  s = s.replace(/\/+$/, "").replace(/\.git$/, "").replace(/\/+$/, "");
  return s;
}

/** The port each scheme uses when none is written: writing it must not make another project. */
const DEFAULT_PORTS: Record<string, string> = { https: "443", http: "80", ssh: "22", "git+ssh": "22", "ssh+git": "22", git: "9418" };

/**
 * Drops `userinfo@` from the authority of a url whose scheme was already removed; keeps a
 * numeric port unless it is the scheme's default.
 */
function stripAuthorityExtras(s: string, scheme: string): string {
  const slash = s.indexOf("/");
  let authority = slash === -1 ? s : s.slice(0, slash);
  const rest = slash === -1 ? "" : s.slice(slash);
  // The last '@' ends the userinfo: a password may contain an (unencoded) '@'.
  authority = authority.slice(authority.lastIndexOf("@") + 1);
  const colon = authority.lastIndexOf(":");
  if (colon > authority.lastIndexOf("]")) {
    const port = authority.slice(colon + 1);
    // A non-numeric "port" is a mistyped scp path (`ssh://host:acme/app`): keep it as a segment.
    if (port === "" || port === DEFAULT_PORTS[scheme]) authority = authority.slice(0, colon);
    else if (!/^\d+$/.test(port)) authority = `${authority.slice(0, colon)}/${port}`;
  }
  return authority + rest;
}

/** The last path segment of a normalized remote (`github.com/acme/app` → `app`). */
export function remoteName(normalizedRemote: string): string {
  const segments = normalizedRemote.split("/").filter((segment) => segment !== "");
  return segments[segments.length - 1] ?? "";
}
