import { claudeCode } from "./claude-code.js";
import { claudeDesktop } from "./claude-desktop.js";
import { codex } from "./codex.js";
import { cursor } from "./cursor.js";
import { geminiCli } from "./gemini-cli.js";
import type { ClientDescriptor } from "./types.js";
import { vscode } from "./vscode.js";
import { windsurf } from "./windsurf.js";
import { zed } from "./zed.js";

/** Every client `install` knows, in the order `--help` lists them. */
export const CLIENTS: readonly ClientDescriptor[] = [claudeDesktop, claudeCode, cursor, vscode, windsurf, codex, geminiCli, zed];

export function clientById(id: string): ClientDescriptor | undefined {
  return CLIENTS.find((client) => client.id === id);
}
