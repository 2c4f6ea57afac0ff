/** What every command receives, so tests can run it without a terminal and read what it printed. */
export interface CommandContext {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** 0 ok, 1 a failure the user can fix (the message says how), 2 usage error. */
export type ExitCode = 0 | 1 | 2;
