import { RootsListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../log.js";
import type { Session } from "../session/session.js";
import { answerToolCallsDirectly } from "./direct-tool-calls.js";
import { InFlightRequests } from "./in-flight.js";
import { releaseMemoryWhenIdle } from "./idle-memory.js";
import { flavourFor } from "../backends/registry.js";
import { createBridgeServer } from "./server.js";
import { shutDownStdio } from "./stdio-shutdown.js";
import type { StdinPrelude } from "./stdin-prelude.js";
import { StdioTransport } from "./stdio-transport.js";

const ROOTS_TIMEOUT_MS = 2_000;
/** How long tools/list waits for the server to be known: clients ignore tools that come later. */
export const TOOLS_LIST_WAIT_MS = 1_500;

export interface StdioServerOptions {
  session: Session;
  logger: Logger;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  /** The clock tool-call deadlines are measured on. */
  now?: () => number;
  /** What the bin read from stdin (and maybe answered) before this server started. */
  prelude?: StdinPrelude;
}

/**
 * The MCP server on stdin/stdout, from `initialize` to shutdown. Resolves once stdin has ended or
 * a signal arrived and every request in flight has been answered (or could not be delivered).
 */
export async function runStdioServer({ session, logger, stdin, stdout, now, prelude }: StdioServerOptions): Promise<void> {
  const transport = new StdioTransport(stdin, stdout, { maxMessageBytes: session.settings.maxMessageBytes, logger });
  const bridge = createBridgeServer({ session, logger, written: () => transport.drained(), ...(now && { now }) });
  const server = bridge.server;
  // The SDK reports here what it could not deliver or dispatch; one line each, never a stack.
  server.server.onerror = (error) => logger.warn("MCP protocol problem", { error: error.message });

  server.server.oninitialized = () => {
    if (server.server.getClientCapabilities()?.roots) {
      session.project.useRoots(async () => {
        const { roots } = await server.server.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS });
        return roots.map((root) => root.uri);
      });
    }
    // Warm up after the handshake so the first tool call does not pay for it.
    setImmediate(() => {
      session.project.resolve().catch(() => undefined);
      session.backend.get().catch(() => undefined);
    });
  };
  server.server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
    logger.debug("client roots changed; resolving the project again");
    session.project.invalidate();
  });

  await server.connect(transport);
  holdToolsList(transport, async () => {
    const resolved = await session.resolveEndpoint();
    // --backend auto: the detected server decides which tools (and which arguments) are offered.
    if (session.settings.backend === "auto") bridge.useFlavour(flavourFor("auto", resolved.backend, resolved.endpoint));
  });
  answerToolCallsDirectly(transport, bridge.toolCall);
  const inFlight = new InFlightRequests(transport);
  const stopReleasingMemory = releaseMemoryWhenIdle(transport, { inFlight });

  return new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async (reason: string, canDeliver = true) => {
      if (stopping) return;
      stopping = true;
      stopReleasingMemory();
      logger.debug("stopping", { reason, inFlight: inFlight.size });
      await shutDownStdio(
        {
          stdin,
          stdout,
          inFlight,
          drained: () => transport.drained(),
          timeoutMs: session.settings.timeoutMs,
          logger,
          release: () => session.close(),
        },
        canDeliver,
      );
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigterm);
      resolve();
    };
    const onSigint = () => void stop("SIGINT");
    const onSigterm = () => void stop("SIGTERM");
    // After the transport has handled the last line, so a request on it is counted as in flight.
    transport.onInputEnd = () => void stop("stdin ended");
    process.once("SIGINT", onSigint);
    process.once("SIGTERM", onSigterm);
    stdout.on("error", (error) => {
      // The client is gone (EPIPE): nothing more can be delivered.
      logger.debug("stdout closed", { error: String(error) });
      void stop("stdout closed", false);
    });
    if (prelude) {
      transport.readPrelude(prelude, () => stopping);
      const signal = prelude.takeSignal();
      if (signal !== undefined) void stop(signal);
    }
  });
}
/**
 * Delivers a tools/list request once the endpoint (and its backend) is known, or after
 * TOOLS_LIST_WAIT_MS, whichever comes first; every other message goes through at once, so
 * `initialize` never waits.
 */
function holdToolsList(transport: StdioTransport, known: () => Promise<unknown>): void {
  const receive = transport.onmessage;
  transport.onmessage = (message) => {
    if (!("method" in message) || message.method !== "tools/list" || !("id" in message)) return receive?.(message);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, TOOLS_LIST_WAIT_MS)));
    void Promise.race([known().catch(() => undefined), waited]).then(() => {
      clearTimeout(timer);
      receive?.(message);
    });
  };
}
