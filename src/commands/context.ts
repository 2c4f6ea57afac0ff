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
  /** The real path of the script node started (bin/mcp-memory-bridge.js), for "how was I started". */
  scriptPath: string;
  /** `name` looked up on PATH (PATHEXT on Windows), or undefined. */
  findExecutable(name: string): string | undefined;
  /** Runs a program (no shell) to completion, with bounded output and a deadline. */
  runProcess(command: string, args: readonly string[]): Promise<ProcessResult>;
}

/** 0 ok, 1 a failure the user can fix (the message says how), 2 usage error. */
export type ExitCode = 0 | 1 | 2;
