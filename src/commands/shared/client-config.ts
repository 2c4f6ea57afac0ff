import { isDeepStrictEqual } from "node:util";
import { ConfigEditError } from "../../clients/config-errors.js";
import { readConfigText, writeConfigText } from "../../clients/config-file.js";
import { readJsonEntry, removeJsonEntry, setJsonEntry } from "../../clients/json-config.js";
import { readTomlEntry, removeTomlEntry, setTomlEntry } from "../../clients/toml-config.js";
import type { ClientDescriptor } from "../../clients/types.js";
import { COMMAND_NAME } from "../../invocation/how-started.js";

/** What happened to one client's config. */
export interface ClientOutcome {
  action: "added" | "updated" | "unchanged" | "removed" | "absent";
  /** The file (its real path when the configured one is a symlink). */
  path: string;
  /** Where the previous content was kept. */
  backup?: string;
  /** The client's own CLI made the change. */
  viaCli?: string;
  /** Variables the old entry set that the new one does not (e.g. a token that belongs in the keychain). */
  droppedEnv?: string[];
}

/** An entry with our name that runs something else: never overwritten or removed. */
export class ForeignEntryError extends Error {
  override name = "ForeignEntryError";
  constructor(readonly path: string, readonly entry: unknown) {
    super(`${path} has another server under this name`);
  }
}

/** The file kept changing under us (a running client rewriting it). */
export class ConcurrentChangeError extends Error {
  override name = "ConcurrentChangeError";
  constructor(readonly path: string) {
    super(`${path} changed while it was being edited`);
  }
}

/** The client's CLI failed. */
export class ClientCliError extends Error {
  override name = "ClientCliError";
  constructor(readonly command: string, readonly code: number | null, readonly output: string) {
    super(`${command} exited with ${code}`);
  }
}

/** mcp-memory-service's own http-mcp-bridge.js, which this bridge replaces (its legacy variables still work). */
const PREDECESSOR = "http-mcp-bridge";

/** Any string in it names this package or its bin (or the bridge it replaces): the entry is ours to change. */
export function isBridgeEntry(entry: unknown): boolean {
  const text = JSON.stringify(entry ?? null);
  return text.includes(COMMAND_NAME) || text.includes(PREDECESSOR);
}

interface Editor {
  read(text: string): unknown;
  set(text: string, entry: Record<string, unknown>): string;
  remove(text: string): string;
}

function editorFor(client: ClientDescriptor, name: string): Editor {
  const serversKey = client.serversKey;
  if (client.format === "toml") {
    const target = { serversKey, name };
    return { read: (text) => readTomlEntry(text, target), set: (text, entry) => setTomlEntry(text, target, entry), remove: (text) => removeTomlEntry(text, target) };
  }
  const target = { format: client.format, serversKey, name };
  return { read: (text) => readJsonEntry(text, target), set: (text, entry) => setJsonEntry(text, target, entry), remove: (text) => removeJsonEntry(text, target) };
}

function envNames(entry: unknown): string[] {
  const env = (entry as { env?: unknown } | undefined)?.env;
  return env !== null && typeof env === "object" ? Object.keys(env) : [];
}

const ATTEMPTS = 3;

/**
 * Read, edit and write one config file; a file a client rewrote meanwhile is edited again from its
 * new content. Throws ConfigEditError (file untouched), ForeignEntryError or ConcurrentChangeError.
 */
function editFile(file: string, edit: (before: string, current: unknown) => string | undefined, editor: Editor): { path: string; backup?: string; changed: boolean; current: unknown } {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = readConfigText(file);
    const current = editor.read(before.text);
    const next = edit(before.text, current);
    if (next === undefined || next === before.text) return { path: before.path, changed: false, current };
    const written = writeConfigText(before, next);
    if (written.written) return { path: before.path, changed: true, current, ...(written.backup !== undefined && { backup: written.backup }) };
  }
  throw new ConcurrentChangeError(file);
}

export function installInFile(client: ClientDescriptor, file: string, name: string, entry: Record<string, unknown>): ClientOutcome {
  const editor = editorFor(client, name);
  const result = editFile(
    file,
    (text, current) => {
      if (current !== undefined && !isBridgeEntry(current)) throw new ForeignEntryError(file, current);
      return editor.set(text, entry);
    },
    editor,
  );
  const dropped = envNames(result.current).filter((variable) => !envNames(entry).includes(variable));
  return {
    action: !result.changed ? "unchanged" : result.current === undefined ? "added" : "updated",
    path: result.path,
    ...(result.backup !== undefined && { backup: result.backup }),
    ...(result.changed && dropped.length > 0 && { droppedEnv: dropped }),
  };
}

export function uninstallFromFile(client: ClientDescriptor, file: string, name: string): ClientOutcome {
  const editor = editorFor(client, name);
  const result = editFile(
    file,
    (text, current) => {
      if (current === undefined) return undefined;
      if (!isBridgeEntry(current)) throw new ForeignEntryError(file, current);
      return editor.remove(text);
    },
    editor,
  );
  return { action: result.changed ? "removed" : "absent", path: result.path, ...(result.backup !== undefined && { backup: result.backup }) };
}

/** The entry in `file`, or undefined when absent, unreadable or not valid config (the CLI then decides). */
export function peekEntry(client: ClientDescriptor, file: string, name: string): unknown {
  try {
    return editorFor(client, name).read(readConfigText(file).text);
  } catch (error) {
    if (error instanceof ConfigEditError) return undefined;
    throw error;
  }
}

/** Claude Code stores a stdio entry with `type` and an `env` object even when empty. */
export function sameClaudeEntry(a: unknown, b: Record<string, unknown>): boolean {
  const normal = (entry: Record<string, unknown>) => ({ type: "stdio", env: {}, ...entry });
  return a !== null && typeof a === "object" && isDeepStrictEqual(normal(a as Record<string, unknown>), normal(b));
}
