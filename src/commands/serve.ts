import { RootsListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Settings } from "../config/types.js";
import type { TokenStore } from "../credentials/token-store.js";
import type { Logger } from "../log.js";
import { InFlightRequests } from "../mcp/in-flight.js";
import { createBridgeServer } from "../mcp/server.js";
import { StdioTransport } from "../mcp/stdio-transport.js";
import { Session } from "../session.js";
import type { CommandContext, ExitCode } from "./context.js";

const ROOTS_TIMEOUT_MS = 2_000;

export interface ServeOptions {
  settings: Readonly<Settings>;
  logger: Logger;
  /** See Session's setupProblem. */
  setupProblem?: string;
  /** Keychain and file stores for the token, after the environment. */
  stores?: TokenStore[];
  /** See Session's profileProblems. */
  profileProblems?: string[];
}

/**
 * The stdio MCP server. Resolves with the exit code once stdin has ended or a signal arrived and
 * every request in flight has been answered.
 */
export async function serve(ctx: CommandContext, { settings, logger, setupProblem, stores, profileProblems }: ServeOptions): Promise<ExitCode> {
  if (ctx.stdin.isTTY) {
    ctx.stderr.write(
      "mcp-memory-bridge speaks MCP on stdio: an MCP client (Claude Desktop, Claude Code, Cursor…) starts it. " +
        "To set it up, run: npx mcp-memory-bridge login <URL>  (and see --help)\n",
    );
  }
  const session = new Session({
    settings,
    env: ctx.env,
    cwd: ctx.cwd,
    logger,
    ...(stores && { stores }),
    ...(setupProblem && { setupProblem }),
    ...(profileProblems && profileProblems.length > 0 && { profileProblems }),
  });
  const transport = new StdioTransport(ctx.stdin, ctx.stdout, { maxMessageBytes: settings.maxMessageBytes, logger });
  const server = createBridgeServer({ session, logger, written: () => transport.drained() });
  // The SDK reports here what it could not deliver or dispatch; one line each, never a stack.
  server.server.onerror = (error) => logger.warn("MCP protocol problem", { error: error.message });

  server.server.oninitialized = () => {
    if (server.server.getClientCapabilities()?.roots) {
      session.useRoots(async () => {
        const { roots } = await server.server.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS });
        return roots.map((root) => root.uri);
      });
    }
    // Warm up after the handshake so the first tool call does not pay for it.
    setImmediate(() => {
      session.project().catch(() => undefined);
      session.backend().catch(() => undefined);
    });
  };
  server.server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
    logger.debug("client roots changed; resolving the project again");
    session.invalidateProject();
  });

  await server.connect(transport);
  const inFlight = new InFlightRequests(transport);

  return new Promise<ExitCode>((resolve) => {
    let stopping = false;
    const stop = async (reason: string, canDeliver = true) => {
      if (stopping) return;
      stopping = true;
      logger.debug("stopping", { reason, inFlight: inFlight.size });
      ctx.stdin.pause();
      if (canDeliver) {
        // Every call in flight ends within its own deadline; the cap only guards against a bug.
        await withCap(inFlight.idle(), settings.timeoutMs + 5_000, () =>
          logger.warn("some calls did not finish in time; exiting anyway", { inFlight: inFlight.size }),
        );
        // The transport's own answers (to lines that were not requests) are not counted in flight,
        // so wait for its queue too. A client that stopped reading stdout cannot be waited for forever.
        const delivered = transport.drained().then(() => flush(ctx.stdout));
        await withCap(delivered, 5_000, () => logger.warn("stdout is not being read; exiting without flushing"));
      }
      await session.close().catch(() => undefined);
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigterm);
      resolve(0);
    };
    const onSigint = () => void stop("SIGINT");
    const onSigterm = () => void stop("SIGTERM");
    // After the transport has handled the last line, so a request on it is counted as in flight.
    transport.onInputEnd = () => void stop("stdin ended");
    process.once("SIGINT", onSigint);
    process.once("SIGTERM", onSigterm);
    ctx.stdout.on("error", (error) => {
      // The client is gone (EPIPE): nothing more can be delivered.
      logger.debug("stdout closed", { error: String(error) });
      void stop("stdout closed", false);
    });
  });
}

function flush(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    if (!stream.writable) return resolve();
    stream.write("", () => resolve());
  });
}

/**
 * Waits for `work`, at most `ms`. The timer is not unref'd: when `work` can never settle (a call
 * stuck on something that holds no handle), it is what keeps the process alive until it fires, so
 * the process still exits 0 instead of Node ending it with 13 for an unsettled await.
 */
async function withCap(work: Promise<void>, ms: number, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve();
    }, ms);
  });
  await Promise.race([work, cap]);
  clearTimeout(timer);
}
