import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { BIN } from "./harness.js";

export interface JsonRpcLine {
  jsonrpc?: string;
  id?: string | number | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
  method?: string;
}

/**
 * The built CLI driven line by line, without an SDK client: what a client that sends garbage, odd
 * members or huge lines looks like. Every stdout line is kept and parsed.
 */
export class RawBridge {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  readonly configDir: string;
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: (() => void)[] = [];

  constructor(options: { env?: Record<string, string>; cwd?: string; configDir?: string } = {}) {
    this.configDir = options.configDir ?? mkdtempSync(join(tmpdir(), "bridge-raw-config-"));
    const env = { PATH: process.env.PATH, HOME: this.configDir, MEMORY_BRIDGE_CONFIG_DIR: this.configDir, XDG_RUNTIME_DIR: this.configDir, MEMORY_BRIDGE_DISCOVERY: "0", ...options.env };
    this.child = spawn(process.execPath, [BIN], { env, cwd: options.cwd ?? this.configDir, stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((done) => this.child.once("exit", (code, signal) => done({ code, signal })));
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.child.stdin.on("error", () => undefined);
    createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on("line", (line) => {
      this.lines.push(line);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Writes `line` (a string as it is, anything else as JSON) and a newline. */
  send(line: unknown): void {
    this.child.stdin.write(`${typeof line === "string" ? line : JSON.stringify(line)}\n`);
  }

  /** Every stdout line parsed (a line that is not JSON fails the test here). */
  messages(): JsonRpcLine[] {
    return this.lines.map((line) => JSON.parse(line) as JsonRpcLine);
  }

  /** The first message matching `match`, waiting up to `ms` for it. */
  async waitFor(match: (message: JsonRpcLine) => boolean, what: string, ms = 20_000): Promise<JsonRpcLine> {
    const end = Date.now() + ms;
    for (;;) {
      const found = this.messages().find(match);
      if (found) return found;
      const left = end - Date.now();
      if (left <= 0 || this.child.exitCode !== null) throw new Error(`no ${what} on stdout; stderr: ${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  response(id: string | number, ms?: number): Promise<JsonRpcLine> {
    return this.waitFor((m) => m.id === id && (m.result !== undefined || m.error !== undefined), `response to ${JSON.stringify(id)}`, ms);
  }

  async initialize(): Promise<void> {
    this.send({ jsonrpc: "2.0", id: "init", method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
    await this.response("init");
    this.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  }

  callTool(id: string | number, name: string, args: Record<string, unknown> = {}): void {
    this.send({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
  }

  /** Ends stdin and waits for the exit (SIGKILL after `ms`, which fails the exit-code assertion). */
  async end(ms = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), ms);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}
