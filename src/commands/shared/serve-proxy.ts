import { authSchemeFor } from "../../backends/registry.js";
import { discoveryCachePath } from "../../discovery/cache-file.js";
import { explain } from "../../mcp/error-words.js";
import { proxyWordsFor } from "../../mcp/proxy-messages.js";
import { fileRemoteCache } from "../../proxy/file-cache.js";
import type { CommandContext } from "../context.js";
import type { CommandSession } from "./open-session.js";
import { extraHeaders, proxyCredentials } from "./remote-mcp.js";

/**
 * serve for a remote MCP server: the proxy on stdio, until stdin ends or SIGINT/SIGTERM, after
 * every call in flight is answered. Undefined when it cannot start (an endpoint the proxy cannot
 * use, a header it may not send): the sentence to serve as the set-up problem instead.
 */
export async function serveRemoteMcp(ctx: CommandContext, opened: CommandSession): Promise<{ setupProblem: string } | undefined> {
  const { settings, logger, session } = opened;
  const headers = extraHeaders(settings);
  if ("problem" in headers) return { setupProblem: headers.problem };
  // Loaded only here, so that serve's start for a REST server does not pay for the MCP client.
  const { startProxy } = await import("../../mcp/proxy-stdio.js");
  let running;
  try {
    running = startProxy(
      { stdin: ctx.stdin, stdout: ctx.stdout },
      {
        endpoint: session.endpoint,
        credentials: proxyCredentials(session.token, settings, authSchemeFor(settings), logger),
        timeoutMs: settings.timeoutMs,
        logger,
        words: proxyWordsFor(session.commandName),
        cache: fileRemoteCache(discoveryCachePath(settings.configDir), session.endpoint, logger, ctx.host.now),
        allowHttp: settings.allowHttp,
        maxConnections: settings.maxConnections,
        maxResponseBytes: settings.maxResponseBytes,
        maxMessageBytes: settings.maxMessageBytes,
        ...(settings.caFile === undefined ? {} : { caFile: settings.caFile }),
        async statusExtras() {
          const auth = await session.token.get();
          return { auth: { source: auth.source, scheme: auth.scheme }, endpoint_source: session.endpointSource };
        },
      },
    );
  } catch (error) {
    return { setupProblem: explain(error, { command: session.commandName }) };
  }
  const stop = (reason: string) => () => void running.stop(reason);
  const onSigint = stop("SIGINT");
  const onSigterm = stop("SIGTERM");
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigterm);
  await running.done;
  process.off("SIGINT", onSigint);
  process.off("SIGTERM", onSigterm);
  await session.close().catch(() => undefined);
  return undefined;
}
