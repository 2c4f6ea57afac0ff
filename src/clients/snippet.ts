import { stringify as stringifyToml } from "smol-toml";
import type { ClientDescriptor } from "./types.js";

/** The entry inside its servers key, as the client's file would hold it (for --print and for pasting). */
export function entrySnippet(client: ClientDescriptor, name: string, entry: Record<string, unknown>): string {
  let document: Record<string, unknown> = { [name]: entry };
  for (const key of [...client.serversKey].reverse()) document = { [key]: document };
  return client.format === "toml" ? stringifyToml(document).trimEnd() : JSON.stringify(document, null, 2);
}
