import { resolveProject } from "../project/resolve.js";
import type { ProjectResolution } from "../project/types.js";
import type { CommandSpec } from "./registry.js";
import { PROJECT_SETTINGS } from "./shared/command-settings.js";
import { settingsFor } from "./shared/settings.js";

export const projectCommand: CommandSpec = {
  name: "project",
  usage: ["project [--json] [options]"],
  about: [
    "Prints the project id that memories stored from this directory are scoped to, the mode in force",
    "and how it was derived (git remote, path, manual id, or the fallback to global scope). MCP clients",
    "may report another directory (their root) than your shell's; memory_status shows the one in use.",
  ],
  options: { json: { type: "boolean", description: "Print the resolution as JSON" } },
  settings: PROJECT_SETTINGS,
  examples: (name) => [
    `${name} project`,
    `${name} project --project-key path      # key by path even when there is a git remote`,
    `${name} project --project-mode manual --project my-app`,
    `${name} project --json`,
  ],
  async run(ctx, values) {
    const { settings } = settingsFor(ctx, values);
    const project = await resolveProject({
      mode: settings.projectMode,
      manualId: settings.projectId,
      keyMode: settings.projectKey,
      cwd: ctx.cwd,
      home: ctx.host.home,
      tmpdir: ctx.host.tmpdir,
      platform: ctx.host.platform,
    });
    if (values.json) ctx.stdout.write(`${JSON.stringify(project, null, 2)}\n`);
    else ctx.stdout.write(`${renderProject(project)}\n`);
    if (project.error) {
      if (!values.json) ctx.stderr.write(`${project.error}\n`);
      return 1;
    }
    return 0;
  },
};

function renderProject(project: ProjectResolution): string {
  const none = project.error ? "(not set)" : "(none: global scope, memories are shared)";
  const lines = [`project: ${project.id ?? none}`, `mode: ${project.mode}`, `source: ${project.source}`];
  lines.push(`why: ${project.reason}`);
  if (project.root) lines.push(`root: ${project.root}`);
  return lines.join("\n");
}
