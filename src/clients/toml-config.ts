import { isDeepStrictEqual } from "node:util";
import { parse as parseToml, stringify as stringifyToml, TomlError } from "smol-toml";
import { ConfigEditError } from "./config-errors.js";

/**
 * Edits one server entry of a TOML config (Codex's `[mcp_servers.<name>]`) as text, so comments,
 * order and formatting elsewhere are untouched: the entry's own table and its `env` sub-table are
 * replaced by freshly written ones; other keys and sub-tables of the entry are kept. Every result is
 * parsed again and must equal the intended document exactly, otherwise nothing is written and
 * ConfigEditError("unsupported-layout") says so (the command then prints the entry to paste).
 */
export interface TomlTarget {
  serversKey: readonly string[];
  name: string;
}

type Table = Record<string, unknown>;

/** Parsed, as plain JSON-like data (smol-toml's tables have no prototype). */
function parseDocument(text: string): Table {
  try {
    return JSON.parse(JSON.stringify(parseToml(text))) as Table;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "");
      throw new ConfigEditError("invalid-syntax", reason, { line: error.line, column: error.column });
    }
    throw error;
  }
}

function serversOf(document: Table, target: TomlTarget): Table | undefined {
  let node: unknown = document;
  for (const key of target.serversKey) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Table)[key];
    if (node === undefined) return undefined;
  }
  if (node === null || typeof node !== "object" || Array.isArray(node)) {
    throw new ConfigEditError("servers-not-an-object", `"${target.serversKey.join(".")}" is not a table`);
  }
  return node as Table;
}

export function readTomlEntry(text: string, target: TomlTarget): unknown {
  return serversOf(parseDocument(text), target)?.[target.name];
}

/** A table header line split into its dotted key, or undefined for any other line. */
export function headerKey(line: string): { key: string[]; arrayOfTables: boolean } | undefined {
  const match = /^\s*(\[\[?)(.*?)(\]\]?)\s*(#.*)?$/.exec(line.replace(/\r?\n$/, ""));
  if (!match || match[1]!.length !== match[3]!.length) return undefined;
  const key: string[] = [];
  let rest = match[2]!.trim();
  while (rest.length > 0) {
    const part = /^(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(\.\s*|$)/.exec(rest);
    if (!part) return undefined;
    key.push(part[1] ?? (part[2] !== undefined ? (JSON.parse(`"${part[2]}"`) as string) : part[3]!));
    rest = rest.slice(part[0].length);
  }
  return key.length > 0 ? { key, arrayOfTables: match[1] === "[[" } : undefined;
}

interface Block {
  key: string[];
  /** Line index of the header. */
  start: number;
  /** One past its last line that is not blank or a comment (those belong to the next header). */
  end: number;
}

function blocksOf(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  lines.forEach((line, index) => {
    const header = headerKey(line);
    if (header) {
      current = { key: header.arrayOfTables ? [] : header.key, start: index, end: index + 1 };
      blocks.push(current);
    } else if (current && !/^\s*(#.*)?\r?\n?$/.test(line)) {
      current.end = index + 1;
    }
  });
  return blocks;
}

const startsWith = (key: string[], prefix: readonly string[]) => prefix.length <= key.length && prefix.every((part, i) => key[i] === part);
const sameKey = (a: readonly string[], b: readonly string[]) => a.length === b.length && startsWith([...a], b);

/** The lines of `[servers.name]` (and `[servers.name.env]` when env is set) as smol-toml writes them. */
function entryLines(target: TomlTarget, entry: Table, eol: string): string[] {
  let document: Table = { [target.name]: entry };
  for (const key of [...target.serversKey].reverse()) document = { [key]: document };
  return stringifyToml(document)
    .trimEnd()
    .split("\n")
    .map((line) => `${line}${eol}`);
}

function verified(text: string, expected: Table): string {
  let actual: Table;
  try {
    actual = parseDocument(text);
  } catch {
    throw new ConfigEditError("unsupported-layout", "the edited file would not parse");
  }
  if (!isDeepStrictEqual(actual, expected)) throw new ConfigEditError("unsupported-layout", "the entry is written in a form this installer does not rewrite");
  return text;
}

/** Keys the bridge owns in its entry; `env` is also its own sub-table. */
const OWNED = ["command", "args", "env"];

export function setTomlEntry(text: string, target: TomlTarget, entry: Table): string {
  const document = parseDocument(text);
  const servers = serversOf(document, target);
  const current = servers?.[target.name];
  const keep: Table = current !== null && typeof current === "object" && !Array.isArray(current) ? { ...(current as Table) } : {};
  for (const key of OWNED) delete keep[key];
  const wanted: Table = { ...keep, ...entry };
  if (isDeepStrictEqual(current, wanted)) return text;

  const expected = structuredClone(document);
  let parent: Table = expected;
  for (const key of target.serversKey) parent = (parent[key] ??= {}) as Table;
  parent[target.name] = wanted;

  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split(/(?<=\n)/);
  const entryKey = [...target.serversKey, target.name];
  const blocks = blocksOf(lines);
  const main = blocks.find((block) => sameKey(block.key, entryKey));
  const fresh = entryLines(target, entry, eol);

  if (current === undefined || main === undefined) {
    // New entry (or one written without its own header: the verification below refuses that).
    const body = text === "" || text.endsWith("\n") ? text : `${text}${eol}`;
    const separator = body.trim() === "" || body.endsWith(`${eol}${eol}`) ? "" : eol;
    return verified(`${body}${separator}${fresh.join("")}`, expected);
  }

  // Drop the entry's own command/args/env lines and its env sub-table (with the blank lines after
  // it); keep every other line. Our header, command and args take the old header's place, and our
  // env sub-table follows the entry's last line.
  const drop = new Set<number>();
  for (let index = main.start; index < main.end; index++) {
    if (index === main.start || OWNED.some((key) => new RegExp(`^\\s*(["']?)${key}\\1\\s*=`).test(lines[index]!))) drop.add(index);
  }
  for (const block of blocks) {
    if (!sameKey(block.key, [...entryKey, "env"])) continue;
    let end = block.end;
    while (end < lines.length && lines[end]!.trim() === "") end++;
    for (let index = block.start; index < end; index++) drop.add(index);
  }
  const envStart = fresh.findIndex((line, index) => index > 0 && headerKey(line) !== undefined);
  const headerAndKeys = (envStart > 0 ? fresh.slice(0, envStart) : fresh).filter((line) => line.trim() !== "");
  const envTable = envStart > 0 ? fresh.slice(envStart) : [];
  const out: string[] = [];
  lines.forEach((line, index) => {
    if (index === main.start) out.push(...headerAndKeys);
    if (!drop.has(index)) out.push(line.endsWith("\n") ? line : `${line}${eol}`);
    if (index === main.end - 1 && envTable.length > 0) out.push(eol, ...envTable);
  });
  return verified(out.join(""), expected);
}

export function removeTomlEntry(text: string, target: TomlTarget): string {
  const document = parseDocument(text);
  const servers = serversOf(document, target);
  if (servers?.[target.name] === undefined) return text;
  const expected = structuredClone(document);
  delete serversOf(expected, target)![target.name];

  const lines = text.split(/(?<=\n)/);
  const entryKey = [...target.serversKey, target.name];
  const drop = new Set<number>();
  for (const block of blocksOf(lines)) {
    if (!startsWith(block.key, entryKey)) continue;
    let end = block.end;
    while (end < lines.length && lines[end]!.trim() === "") end++; // and the blank lines after it
    for (let index = block.start; index < end; index++) drop.add(index);
  }
  let result = lines.filter((_, index) => !drop.has(index)).join("");
  // The entry was last: the blank line that separated it goes too.
  if (!/\n[ \t]*\r?\n$/.test(text)) result = result.replace(/(\r?\n)(?:[ \t]*\r?\n)+$/, "$1");
  return verified(result, expected);
}
