import { applyEdits, findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { isDeepStrictEqual } from "node:util";
import { ConfigEditError } from "./config-errors.js";
import { removeProperty, setProperty, type JsonStyle } from "./json-edit.js";

/**
 * One server entry in a JSON or JSONC config, parsed with jsonc-parser and changed by minimal text
 * edits (./json-edit.ts), so every other key, server, comment and the file's indentation and line
 * endings stay exactly as they were.
 */
export interface JsonTarget {
  /** jsonc allows comments and trailing commas; json refuses them, as the client would. */
  format: "json" | "jsonc";
  serversKey: readonly string[];
  name: string;
}

/** Entry keys the bridge owns: rewritten on every install; any other key the user added is kept. */
export const OWNED_ENTRY_KEYS = ["type", "command", "args", "env"] as const;

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split("\n").length, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

/** The root object node, or undefined for an empty file. Throws ConfigEditError for anything else. */
function parseRoot(text: string, target: JsonTarget): Node | undefined {
  if (text.trim() === "") return undefined;
  const errors: ParseError[] = [];
  const jsonc = target.format === "jsonc";
  const root = parseTree(text, errors, { allowTrailingComma: jsonc, disallowComments: !jsonc, allowEmptyContent: false });
  const first = errors[0];
  if (first) throw new ConfigEditError("invalid-syntax", printParseErrorCode(first.error), lineAndColumn(text, first.offset));
  if (root?.type !== "object") throw new ConfigEditError("not-an-object", `the file holds ${root?.type ?? "nothing"}, not an object`);
  const servers = findNodeAtLocation(root, [...target.serversKey]);
  if (servers && servers.type !== "object") {
    throw new ConfigEditError("servers-not-an-object", `"${target.serversKey.join(".")}" is ${servers.type}, not an object`, lineAndColumn(text, servers.offset));
  }
  return root;
}

function styleOf(text: string): JsonStyle {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const indent = /\n([ \t]+)["}\]]/.exec(text)?.[1];
  return { unit: indent?.startsWith("\t") ? "\t" : indent ? indent : "  ", eol };
}

/** The entry now in the file, or undefined. Throws ConfigEditError when the file cannot be read as config. */
export function readJsonEntry(text: string, target: JsonTarget): unknown {
  const root = parseRoot(text, target);
  const entry = root ? findNodeAtLocation(root, [...target.serversKey, target.name]) : undefined;
  // getNodeValue builds objects without a prototype, which isDeepStrictEqual tells apart from plain ones.
  return entry ? (JSON.parse(JSON.stringify(getNodeValue(entry))) as unknown) : undefined;
}

/** Sets `value` at `path` (creating the objects on the way), one edit at a time. */
function setAt(text: string, target: JsonTarget, path: readonly string[], value: unknown, style: JsonStyle): string {
  const root = parseRoot(text, target)!;
  let object = root;
  for (let depth = 0; depth < path.length - 1; depth++) {
    const child = findNodeAtLocation(object, [path[depth]!]);
    if (child?.type !== "object") {
      let nested: unknown = value;
      for (const key of path.slice(depth + 1).reverse()) nested = { [key]: nested };
      return applyEdits(text, setProperty(text, object, path[depth]!, nested, style));
    }
    object = child;
  }
  return applyEdits(text, setProperty(text, object, path.at(-1)!, value, style));
}

/**
 * `text` with the entry set to `entry`: added when missing; when present, only the keys that
 * differ are rewritten, in place, and keys the user added to it are kept. Unchanged text when the
 * entry is already exactly this.
 */
export function setJsonEntry(text: string, target: JsonTarget, entry: Record<string, unknown>): string {
  const existing = readJsonEntry(text, target);
  const style = styleOf(text);
  const path = [...target.serversKey, target.name];
  const base = text.trim() === "" ? `{}${style.eol}` : text;
  if (existing === null || typeof existing !== "object" || Array.isArray(existing)) return setAt(base, target, path, entry, style);

  const current = existing as Record<string, unknown>;
  let next = base;
  for (const key of new Set([...OWNED_ENTRY_KEYS, ...Object.keys(entry)])) {
    const wanted = entry[key];
    if (isDeepStrictEqual(current[key], wanted)) continue;
    if (wanted !== undefined) {
      next = setAt(next, target, [...path, key], wanted, style);
    } else if (key in current) {
      const object = findNodeAtLocation(parseRoot(next, target)!, path)!;
      next = applyEdits(next, removeProperty(next, object, key));
    }
  }
  return next;
}

/** `text` without the entry (unchanged when there is none). */
export function removeJsonEntry(text: string, target: JsonTarget): string {
  const root = parseRoot(text, target);
  const servers = root ? findNodeAtLocation(root, [...target.serversKey]) : undefined;
  if (!servers) return text;
  return applyEdits(text, removeProperty(text, servers, target.name));
}
