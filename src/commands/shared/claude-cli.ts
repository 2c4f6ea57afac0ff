import type { ClientDescriptor } from "../../clients/types.js";
import type { HostContext } from "../context.js";
import { ClientCliError, ForeignEntryError, isBridgeEntry, peekEntry, sameClaudeEntry, type ClientOutcome } from "./client-config.js";

/**
 * Claude Code rewrites ~/.claude.json while it runs, so its own `claude mcp` commands are the safe
 * way to change it. Undefined when `claude` is not on PATH, or is a Windows .cmd shim (which cannot
 * take a JSON argument through cmd.exe's quoting intact): the file is then edited directly.
 */
export function claudeCli(client: ClientDescriptor, host: HostContext): string | undefined {
  if (client.cli !== "claude") return undefined;
  const found = host.findExecutable("claude");
  if (found === undefined || (host.platform === "win32" && /\.(cmd|bat)$/i.test(found))) return undefined;
  return found;
}

async function run(host: HostContext, claude: string, args: string[]): Promise<void> {
  const result = await host.runProcess(claude, args);
  if (result.code !== 0) throw new ClientCliError(["claude", ...args.slice(0, 3)].join(" "), result.code, `${result.stderr}${result.stdout}`.trim().slice(0, 2000));
}

export async function installWithClaudeCli(
  host: HostContext,
  claude: string,
  client: ClientDescriptor,
  file: string,
  name: string,
  entry: Record<string, unknown>,
): Promise<ClientOutcome> {
  const current = peekEntry(client, file, name);
  if (current !== undefined && !isBridgeEntry(current)) throw new ForeignEntryError(file, current);
  if (current !== undefined && sameClaudeEntry(current, entry)) return { action: "unchanged", path: file, viaCli: claude };
  // add-json refuses a name that exists: replace ours.
  if (current !== undefined) await run(host, claude, ["mcp", "remove", "--scope", "user", name]);
  await run(host, claude, ["mcp", "add-json", "--scope", "user", name, JSON.stringify(entry)]);
  return { action: current === undefined ? "added" : "updated", path: file, viaCli: claude };
}

export async function uninstallWithClaudeCli(host: HostContext, claude: string, client: ClientDescriptor, file: string, name: string): Promise<ClientOutcome> {
  const current = peekEntry(client, file, name);
  if (current === undefined) return { action: "absent", path: file, viaCli: claude };
  if (!isBridgeEntry(current)) throw new ForeignEntryError(file, current);
  await run(host, claude, ["mcp", "remove", "--scope", "user", name]);
  return { action: "removed", path: file, viaCli: claude };
}
