export interface GitConfigEntry {
  /** Lower-cased section name, e.g. `remote`. */
  section: string;
  /** Subsection as written (case-sensitive, like git), e.g. `origin`; undefined for `[core]`. */
  subsection: string | undefined;
  /** Lower-cased key name, e.g. `url`. */
  key: string;
  /** The unquoted, unescaped value; undefined for a bare key (`[core] bare`). */
  value: string | undefined;
}

/**
 * The url of `remote "origin"` in the text of a git config file, or undefined. Several urls: the
 * first (the one git fetches from); an empty `url =` clears the ones before it (git ≥ 2.46).
 * `[include]` / `[includeIf]` are not followed: a remote defined only in an included file is not
 * seen, and resolution then uses the path key.
 */
export function parseOriginUrl(configText: string): string | undefined {
  let urls: string[] = [];
  for (const entry of parseGitConfig(configText)) {
    if (entry.section !== "remote" || entry.subsection !== "origin" || entry.key !== "url") continue;
    if (entry.value === undefined) continue;
    urls = entry.value === "" ? [] : [...urls, entry.value];
  }
  return urls[0];
}

/**
 * Parses git config syntax (git-config(1) "CONFIGURATION FILE") without the git binary:
 * `[section]`, `[section "sub"]`, legacy `[section.sub]`, case-insensitive section and key names,
 * `#`/`;` comments, double quotes, `\"` `\\` `\n` `\t` `\b` escapes and `\`-newline continuation.
 * Lenient: a malformed line is skipped instead of failing the whole file.
 */
export function parseGitConfig(text: string): GitConfigEntry[] {
  return new GitConfigParser(text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n")).parse();
}

const NAME_CHAR = /[A-Za-z0-9-]/;
const SECTION_CHAR = /[A-Za-z0-9.-]/;

class GitConfigParser {
  private i = 0;
  private section: string | undefined;
  private subsection: string | undefined;
  private readonly entries: GitConfigEntry[] = [];

  constructor(private readonly text: string) {}

  parse(): GitConfigEntry[] {
    while (this.i < this.text.length) {
      const c = this.text[this.i]!;
      if (/\s/.test(c)) this.i++;
      else if (c === "#" || c === ";") this.skipLine();
      else if (c === "[") this.parseHeader();
      else if (/[A-Za-z]/.test(c)) this.parseEntry();
      else this.skipLine();
    }
    return this.entries;
  }

  private peek(offset = 0): string | undefined {
    return this.text[this.i + offset];
  }

  private skipLine(): void {
    const newline = this.text.indexOf("\n", this.i);
    this.i = newline === -1 ? this.text.length : newline + 1;
  }

  private skipBlanks(): void {
    while (this.peek() === " " || this.peek() === "\t") this.i++;
  }

  private readWhile(pattern: RegExp): string {
    const start = this.i;
    while (this.i < this.text.length && pattern.test(this.text[this.i]!)) this.i++;
    return this.text.slice(start, this.i);
  }

  /** `[name]`, `[name "sub"]` or `[name.sub]`; on a malformed header, entries until the next are dropped. */
  private parseHeader(): void {
    this.i++;
    this.section = undefined;
    this.subsection = undefined;
    const name = this.readWhile(SECTION_CHAR);
    let subsection: string | undefined;
    if (this.peek() === " " || this.peek() === "\t") {
      this.skipBlanks();
      subsection = this.parseQuotedSubsection();
      if (subsection === undefined) return this.skipLine();
    }
    if (this.peek() !== "]" || name === "") return this.skipLine();
    this.i++;
    const dot = name.indexOf(".");
    if (subsection === undefined && dot !== -1) {
      // Legacy `[section.sub]`: git lower-cases the subsection.
      this.section = name.slice(0, dot).toLowerCase();
      this.subsection = name.slice(dot + 1).toLowerCase();
    } else {
      this.section = name.toLowerCase();
      this.subsection = subsection;
    }
    // Entries may follow the header on the same line (`[core] bare = true`).
  }

  private parseQuotedSubsection(): string | undefined {
    if (this.peek() !== '"') return undefined;
    this.i++;
    let value = "";
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === "\n") return undefined;
      this.i++;
      if (c === '"') return value;
      if (c === "\\") {
        const escaped = this.peek();
        if (escaped === undefined || escaped === "\n") return undefined;
        value += escaped;
        this.i++;
      } else {
        value += c;
      }
    }
  }

  private parseEntry(): void {
    const key = this.readWhile(NAME_CHAR).toLowerCase();
    this.skipBlanks();
    const c = this.peek();
    let value: string | undefined;
    if (c === "=") {
      this.i++;
      value = this.parseValue();
    } else if (c === undefined || c === "\n" || c === "#" || c === ";") {
      this.skipLine();
    } else {
      return this.skipLine();
    }
    if (this.section !== undefined) {
      this.entries.push({ section: this.section, subsection: this.subsection, key, value });
    }
  }

  /** Mirrors git's parse_value(): spaces outside quotes are kept only between words. */
  private parseValue(): string | undefined {
    let value = "";
    let pendingSpaces = 0;
    let quoted = false;
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === "\n") {
        this.i++;
        return quoted ? undefined : value;
      }
      this.i++;
      if (!quoted && (c === " " || c === "\t")) {
        if (value !== "") pendingSpaces++;
        continue;
      }
      if (!quoted && (c === "#" || c === ";")) {
        this.skipLine();
        return value;
      }
      value += " ".repeat(pendingSpaces);
      pendingSpaces = 0;
      if (c === '"') {
        quoted = !quoted;
      } else if (c === "\\") {
        const escaped = this.peek();
        this.i++;
        if (escaped === "\n") continue;
        value += ESCAPES[escaped ?? ""] ?? escaped ?? "";
      } else {
        value += c;
      }
    }
  }
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", b: "\b", '"': '"', "\\": "\\" };
