import { mayServeRemoteMcp } from "./config/remote-mcp-hint.js";
import { earlyInitializeAnswer } from "./mcp/initialize-answer.js";
import { readFirstLine, type StdinPrelude } from "./mcp/stdin-prelude.js";

/**
 * The bin's entry. An MCP client starts `serve` (no arguments) and sends `initialize` at once; the
 * answer is the same every time for the REST backends, so it is written from here, before the CLI
 * (the MCP SDK, zod, the settings table) has loaded: start-up is then little more than Node's own.
 * The CLI then reads stdin from the start, the `initialize` line included, so the SDK's server is
 * initialized exactly as before and only its second answer to it is left unsent.
 *
 * Anything else runs the CLI directly: a command or flags, a terminal on stdin, or settings that may
 * select a remote MCP server (the proxy answers `initialize` with what the remote says).
 */
export async function start(): Promise<void> {
  const prelude = earlyServe() ? await answerInitialize() : undefined;
  await keepMemorySmall();
  const { main } = await import("./cli.js");
  await main(prelude);
}

/**
 * A bridge stays resident for as long as its client window is open, one per window. undici parses
 * HTTP with WebAssembly, which V8 compiles twice by default: first with its baseline compiler, then
 * again with the optimizing one, whose code and buffers stay resident (about 10 MB of RSS, measured
 * by `npm run bench`; CPU per call did not change). The flag is read when the parser is compiled, so
 * setting it before the CLI loads is enough.
 */
async function keepMemorySmall(): Promise<void> {
  const { setFlagsFromString } = await import("node:v8");
  setFlagsFromString("--liftoff-only");
}

function earlyServe(): boolean {
  const args = process.argv.slice(2);
  if (args.length > 1 || (args.length === 1 && args[0] !== "serve")) return false;
  if (process.stdin.isTTY) return false;
  try {
    process.cwd();
  } catch {
    return false;
  }
  return !mayServeRemoteMcp(process.env);
}

async function answerInitialize(): Promise<StdinPrelude> {
  let signal: NodeJS.Signals | undefined;
  let interrupt!: () => void;
  const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
  const onSignal = (received: NodeJS.Signals) => {
    signal ??= received;
    interrupt();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const read = await readFirstLine(process.stdin, interrupted);
  const answer = signal === undefined && read.line !== undefined ? earlyInitializeAnswer(read.line) : undefined;
  if (answer) process.stdout.write(answer.line);
  return {
    bytes: read.bytes,
    get ended() {
      return read.ended;
    },
    ...(answer && { answered: answer }),
    takeSignal() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      return signal;
    },
  };
}
