import { CLIENTS } from "../../clients/registry.js";
import type { ClientDescriptor, ClientHost } from "../../clients/types.js";
import type { Invocation } from "../../invocation/how-started.js";
import type { CommandContext } from "../context.js";
import type { OptionSpec } from "../registry.js";
import { selectClients } from "./client-targets.js";
import { invocationOf } from "./invocation-of.js";

export const DEFAULT_ENTRY_NAME = "memory";

/** Options install, uninstall and setup share (cli.ts adds the settings' flags). */
export const CLIENT_OPTIONS = {
  client: { type: "string", multiple: true, valueName: "NAME…", description: "Which clients (repeat it, or separate names with commas); all = every one whose config folder exists here" },
  name: { type: "string", valueName: "NAME", description: `The entry's name in the client's config (default: ${DEFAULT_ENTRY_NAME})` },
} as const satisfies Record<string, OptionSpec>;

/** The client list for --help. */
export function clientHelpLines(verb: "install" | "uninstall"): string[] {
  const width = Math.max(...CLIENTS.map((client) => client.id.length)) + 2;
  return [
    `Clients (--client; all = every one whose config folder exists here${verb === "install" ? "" : " and holds the entry"}):`,
    ...CLIENTS.map((client) => `  ${client.id.padEnd(width)}${client.displayName}${client.cli === "claude" ? " (through `claude mcp` when it is on PATH)" : ""}`),
  ];
}

/** --name, checked: a plain word every client format can hold as a key. Undefined after a usage error. */
export function entryName(ctx: CommandContext, values: Record<string, unknown>): string | undefined {
  const name = typeof values.name === "string" ? values.name.trim() : DEFAULT_ENTRY_NAME;
  if (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) return name;
  ctx.stderr.write(`Invalid --name "${values.name as string}": use letters, digits, "-", "_" or "." (at most 64), e.g. --name memory-bridge.\n`);
  return undefined;
}

export interface ClientCommandStart {
  host: ClientHost;
  invocation: Invocation;
  /** How to name this command in messages. */
  command: string;
  /** The entry's name (--name). */
  name: string;
  clients: ClientDescriptor[];
  all: boolean;
}

/** What install and uninstall start from: the clients asked for and the entry name; 2 after a usage error. */
export function startClientCommand(ctx: CommandContext, values: Record<string, unknown>, positionals: string[], verb: "install" | "uninstall" | "setup"): ClientCommandStart | 2 {
  const host: ClientHost = { platform: ctx.host.platform, home: ctx.host.home, env: ctx.env };
  const { invocation, name: command } = invocationOf(ctx);
  const name = entryName(ctx, values);
  if (name === undefined) return 2;
  const selection = selectClients(values, positionals, host);
  if ("usage" in selection) {
    ctx.stderr.write(`${selection.usage} Run: ${command} ${verb} --help\n`);
    return 2;
  }
  return { host, invocation, command, name, ...selection };
}
