/**
 * Runs the proxy on this process's stdio, as `serve --backend mcp` will once it is wired: for the
 * process-level tests (real pipes, signals). PROXY_ENDPOINT and MEMORY_BRIDGE_TOKEN configure it;
 * the log goes to stderr at debug level.
 */
import { createLogger } from "../../../src/log.js";
import { proxyWordsFor } from "../../../src/mcp/proxy-messages.js";
import { authHeadersFor } from "../../../src/proxy/auth-headers.js";
import { startProxy } from "../../../src/mcp/proxy-stdio.js";

const endpoint = process.env["PROXY_ENDPOINT"] ?? "";
const token = process.env["MEMORY_BRIDGE_TOKEN"] ?? "";
const auth = authHeadersFor("x-mcp-token", token, process.env["MEMORY_BRIDGE_USER_ID"] ?? "alice");
const running = startProxy(
  { stdin: process.stdin, stdout: process.stdout },
  {
    endpoint,
    credentials: async () => ({ secret: auth.secret, plain: auth.plain }),
    timeoutMs: 10_000,
    // Above the default 16, so that all 50 calls of the test reach the fixture at once.
    maxConnections: 64,
    logger: createLogger({ level: "debug" }),
    words: proxyWordsFor("npx mcp-memory-bridge"),
  },
);
process.once("SIGTERM", () => void running.stop("SIGTERM"));
await running.done;
process.exit(0);
