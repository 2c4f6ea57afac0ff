/** What every command receives, so tests can run it without a terminal and read what it printed. */
export interface CommandContext {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /**
   * The machine, injected so a command never reads process.platform, homedir() or tmpdir() and a
   * test can run it for any OS. (install/uninstall use it; the older commands move to it later.)
   */
  host: HostContext;
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
