import { existsSync } from "node:fs";
import { commandName } from "../../invocation/command-name.js";
import { howStarted, type Invocation } from "../../invocation/how-started.js";
import type { CommandContext } from "../context.js";

/** How this run was started, and how to name the command in messages, from the command's context. */
export function invocationOf(ctx: CommandContext): { invocation: Invocation; name: string } {
  const invocation = howStarted({ invokedPath: ctx.host.scriptPath, realPath: ctx.host.realScriptPath, platform: ctx.host.platform, exists: existsSync });
  return { invocation, name: commandName(invocation, ctx.cwd, ctx.host.platform) };
}
