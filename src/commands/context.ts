import type { KeychainOpener } from "../credentials/keychain.js";
import type { HttpClientFactory } from "../http/types.js";
import type { StdinPrelude } from "../mcp/stdin-prelude.js";
import type { DiscoveryRunner } from "../session/endpoint-source.js";

/**
 * What every command receives, so a test runs it in-process without a terminal, for any OS, and
 * reads what it printed: the arguments, the environment and the streams, the machine, and the
 * doors to the outside — the keychain and the HTTP client. A command reads none of these from the
 * process itself.
 */
export interface CommandContext {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The machine: platform, home and temp directory, clock, how this process was started. */
  host: HostContext;
  /** Opens the OS keychain: its token stores, or why there are none (tests inject a fake one). */
  keychain: KeychainOpener;
  /** Opens an HTTP client with its connection pool for an endpoint. */
  http: HttpClientFactory;
  /** Looks for memory servers (loopback probes, mDNS) with the cache file around it. Default: discoverAndRemember. */
  discover?: DiscoveryRunner;
  /** serve only: what the bin already read from stdin, and the `initialize` it answered (src/serve-start.ts). */
  prelude?: StdinPrelude;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface HostContext {
  platform: NodeJS.Platform;
  home: string;
  tmpdir: string;
  /** Milliseconds since the epoch. */
  now(): number;
  /** The node binary running this process. */
  execPath: string;
  /** The script node started, as given (process.argv[1], absolute): a bin link on PATH, node_modules/.bin, or the file. */
  scriptPath: string;
  /** The same with symlinks resolved: the package's bin/mcp-memory-bridge.js. Both feed "how was I started". */
  realScriptPath: string;
  /** `name` looked up on PATH (PATHEXT on Windows), or undefined. */
  findExecutable(name: string): string | undefined;
  /** Runs a program (no shell) to completion, with bounded output and a deadline. */
  runProcess(command: string, args: readonly string[]): Promise<ProcessResult>;
}

/** 0 ok, 1 a failure the user can fix (the message says how), 2 usage error. */
export type ExitCode = 0 | 1 | 2;
