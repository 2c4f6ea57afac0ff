import { collectStatus, renderStatus, type BridgeStatus } from "../mcp/status.js";
import type { CommandSpec } from "./registry.js";
import { SESSION_SETTINGS } from "./shared/command-settings.js";
import { explain } from "../mcp/error-words.js";
import { proxyStatusText } from "../mcp/proxy-messages.js";
import { describeSource } from "./shared/describe-source.js";
import { usesRemoteMcp } from "./shared/remote-mcp.js";
import { remoteMcpHealthy, remoteMcpStatus } from "./shared/remote-mcp-status.js";
import { commandCallContext, openCommandSession } from "./shared/open-session.js";

export const statusCommand: CommandSpec = {
  name: "status",
  usage: ["status [--json] [options]"],
  about: [
    "Reports what the bridge would use if an MCP client started it here: the endpoint and where that",
    "setting came from, the backend, the project for this directory, where the token comes from (the",
    "environment, the keychain or the insecure file — never the token itself), whether the server",
    "answers (and how fast), and whether it accepts the token.",
    "",
    "Exit status: 0 when an endpoint is set, reachable, and the token (if any is needed) is accepted; 1 otherwise.",
  ],
  options: { json: { type: "boolean", description: "Print the report as JSON" } },
  settings: SESSION_SETTINGS,
  examples: (name) => [`${name} status`, `${name} status --json`, `${name} status --project-key path`],
  async run(ctx, values) {
    const { session, settings, profileProblems, logger } = openCommandSession(ctx, values);
    try {
      if (usesRemoteMcp(settings)) {
        const { status, error } = await remoteMcpStatus(session, settings, logger);
        const auth = await session.token.get();
        const report = {
          ...status,
          endpoint_source: session.endpointSource,
          auth: { source: auth.source, scheme: auth.scheme, ...(auth.origin && { origin: auth.origin }) },
          ...(error && { error: explain(error, { command: session.commandName }) }),
          ...(profileProblems.length > 0 && { problems: profileProblems }),
        };
        const lines = [
          proxyStatusText(status, session.commandName),
          `token: ${auth.token === undefined ? "none stored" : `from ${describeOrigin(auth.source, auth.origin ?? auth.source)}, sent as ${auth.scheme}`}`,
          ...(error ? [`problem: ${explain(error, { command: session.commandName })}`] : []),
          ...profileProblems.map((problem) => `problem: ${problem}`),
        ];
        ctx.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${lines.join("\n")}\n`);
        return error === undefined && remoteMcpHealthy(status) ? 0 : 1;
      }
      const status = await collectStatus(session, commandCallContext(ctx, settings));
      // Fails when discovery found no server: collectStatus has said so.
      const auth = await session.token.get().catch(() => undefined);
      const report = {
        ...status,
        auth: { ...status.auth, ...(auth?.origin && { origin: auth.origin }) },
        // The session already reports the profile's problems among its own: each is said once.
        ...(profileProblems.length > 0 && { problems: [...new Set([...profileProblems, ...(status.problems ?? [])])] }),
      };
      ctx.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderCliStatus(report)}\n`);
      return healthy(status) ? 0 : 1;
    } finally {
      await session.close();
    }
  },
};

function healthy(status: BridgeStatus): boolean {
  const missingManualId = status.project.mode === "manual" && status.project.id === null;
  return status.endpoint !== null && status.reachable && status.token_accepted !== false && !missingManualId;
}

type CliStatus = BridgeStatus & { auth: BridgeStatus["auth"] & { origin?: string } };

function renderCliStatus(status: CliStatus): string {
  const lines = renderStatus(status).split("\n");
  return lines
    .map((line) => {
      // renderStatus already says when the endpoint is the default one.
      if (line.startsWith("endpoint: ") && status.endpoint_source !== "default") return `${line} (from ${describeSource(status.endpoint_source)})`;
      if (line.startsWith("token: ") && status.auth.origin) return `token: from ${describeOrigin(status.auth.source, status.auth.origin)}${status.auth.scheme ? `, sent as ${status.auth.scheme}` : ""}`;
      return line;
    })
    .join("\n");
}

function describeOrigin(source: string, origin: string): string {
  if (source === "env") return origin;
  if (source === "file") return "the insecure token file (run login to move it to the keychain)";
  return `the keychain (${origin})`;
}
