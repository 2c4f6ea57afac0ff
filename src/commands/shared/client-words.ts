import { ConfigEditError } from "../../clients/config-errors.js";
import { ConfigFileTooLargeError } from "../../clients/config-file.js";
import { entrySnippet } from "../../clients/snippet.js";
import type { ClientDescriptor } from "../../clients/types.js";
import { ClientCliError, ConcurrentChangeError, ForeignEntryError } from "./client-config.js";

/** The sentence every install ends with: clients read their config only when they start. */
export function restartSentence(client: ClientDescriptor, name: string): string {
  switch (client.restart) {
    case "quit-app":
      return `Quit ${client.displayName} completely (closing its window is not enough) and open it again to load "${name}".`;
    case "restart-editor":
      return `Restart ${client.displayName} (or reload its window) to load "${name}".`;
    case "new-session":
      return `Start a new ${client.displayName} session to load "${name}".`;
  }
}

const FORMAT_NAME = { json: "JSON", jsonc: "JSON", toml: "TOML" } as const;

/**
 * Why a client could not be changed, and what to do, in sentences. `entry` (when installing) is
 * shown for pasting where the file cannot be edited safely. Undefined for an unexpected error.
 */
export function clientProblem(
  client: ClientDescriptor,
  file: string,
  error: unknown,
  context: { name: string; entry?: Record<string, unknown>; commandName: string; installing: boolean },
): string | undefined {
  const paste = context.entry ? `\nAdd it by hand instead:\n${entrySnippet(client, context.name, context.entry)}` : "";
  if (error instanceof ConfigEditError) {
    const at = error.position ? `line ${error.position.line}, column ${error.position.column}: ${error.detail}` : error.detail;
    switch (error.problem) {
      case "invalid-syntax":
        return `${client.displayName}: ${file} is not valid ${FORMAT_NAME[client.format]} (${at}); it was left untouched. Fix it, then run this again.`;
      case "not-an-object":
      case "servers-not-an-object":
        return `${client.displayName}: ${file} has an unexpected shape (${at}); it was left untouched. Fix it, then run this again.`;
      case "unsupported-layout":
        return `${client.displayName}: "${context.name}" in ${file} is written in a form this installer does not rewrite (an inline table, dotted keys or a multi-line value); it was left untouched.${paste}`;
    }
  }
  if (error instanceof ForeignEntryError) {
    const found = `${client.displayName}: ${error.path} already has a server named "${context.name}" that is not this bridge (${JSON.stringify(error.entry).slice(0, 200)}); it was left untouched.`;
    return context.installing
      ? `${found} Install under another name: ${context.commandName} install --client ${client.id} --name memory-bridge`
      : `${found} If the bridge's entry has another name, give it: ${context.commandName} uninstall --client ${client.id} --name NAME`;
  }
  if (error instanceof ConcurrentChangeError) {
    return `${client.displayName}: ${error.path} kept changing while it was being edited (is ${client.displayName} running and rewriting it?); nothing was written. Quit ${client.displayName} and run this again.${paste}`;
  }
  if (error instanceof ClientCliError) {
    return `${client.displayName}: \`${error.command}\` failed (exit ${error.code ?? "signal"})${error.output ? `: ${error.output}` : ""}.${paste}`;
  }
  if (error instanceof ConfigFileTooLargeError) {
    return `${client.displayName}: ${error.file} is ${error.bytes} bytes, too large to be a client config; it was left untouched.${paste}`;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "EISDIR" || code === "ENOTDIR") {
    return `${client.displayName}: cannot write its config (${code}: ${(error as Error).message}); nothing was changed. Check the file's and folder's permissions.${paste}`;
  }
  return undefined;
}
