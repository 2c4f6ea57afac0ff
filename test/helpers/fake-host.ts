import type { HostContext, ProcessResult } from "../../src/commands/context.js";

export interface FakeHost extends HostContext {
  /** Every runProcess call, in order. */
  runs: { command: string; args: string[] }[];
}

/**
 * A HostContext for in-process command tests: no real PATH lookups or processes unless given.
 * `executables` maps names to the paths findExecutable returns; `answer` fakes runProcess;
 * realScriptPath defaults to scriptPath (no symlink in between).
 */
export function fakeHost(options: Partial<HostContext> & { executables?: Record<string, string>; answer?: (command: string, args: string[]) => ProcessResult } = {}): FakeHost {
  const runs: FakeHost["runs"] = [];
  const { executables = {}, answer = () => ({ code: 0, stdout: "", stderr: "" }), ...rest } = options;
  return {
    platform: "linux",
    home: "/home/test",
    tmpdir: "/tmp",
    now: () => 1_700_000_000_000,
    execPath: "/opt/node/bin/node",
    scriptPath: "/work/checkout/bin/mcp-memory-bridge.js",
    findExecutable: (name) => executables[name],
    runProcess: async (command, args) => {
      runs.push({ command, args: [...args] });
      return answer(command, [...args]);
    },
    runs,
    ...rest,
    realScriptPath: rest.realScriptPath ?? rest.scriptPath ?? "/work/checkout/bin/mcp-memory-bridge.js",
  };
}
