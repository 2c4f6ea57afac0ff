import { existsSync } from "node:fs";
import { CLIENTS, clientById } from "../../clients/registry.js";
import type { ClientDescriptor, ClientHost } from "../../clients/types.js";
import { closestWord } from "./closest-word.js";

export type ClientSelection = { clients: ClientDescriptor[]; all: boolean } | { usage: string };

/**
 * The clients named by `--client` (repeatable, comma-separated) and positional arguments;
 * `all` = every client whose config directory exists on this machine.
 */
export function selectClients(values: Record<string, unknown>, positionals: string[], host: ClientHost): ClientSelection {
  const flagged = (values.client as string[] | undefined) ?? [];
  const names = [...flagged, ...positionals].flatMap((value) => value.split(",")).map((name) => name.trim().toLowerCase()).filter(Boolean);
  const known = CLIENTS.map((client) => client.id);
  if (names.length === 0) return { usage: `Name the client: --client ${known.join("|")}|all.` };
  const unknown = names.filter((name) => name !== "all" && !clientById(name));
  if (unknown.length > 0) {
    const first = unknown[0]!;
    const guess = closestWord(first, [...known, "all"]);
    return { usage: `Unknown client "${first}"${guess ? ` (did you mean ${guess}?)` : ""}. Known clients: ${known.join(", ")}, or all.` };
  }
  const all = names.includes("all");
  const picked = all ? CLIENTS.filter((client) => isInstalled(client, host)) : [];
  for (const name of names) {
    const client = clientById(name);
    if (client && !picked.includes(client)) picked.push(client);
  }
  return { clients: picked, all };
}

export function isInstalled(client: ClientDescriptor, host: ClientHost): boolean {
  return client.detectPaths(host).some((path) => existsSync(path));
}
