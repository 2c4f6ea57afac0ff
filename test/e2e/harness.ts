import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { JSONRPCMessageSchema, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

export const BIN = resolve("bin/mcp-memory-bridge.js");

/**
 * A stdio client transport that keeps every raw stdout line, so tests can assert that the bridge
 * writes nothing but JSON-RPC to stdout, and that lets a test end stdin while calls are in flight.
 */
export class RecordingStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly stdoutLines: string[] = [];
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly child: ChildProcessWithoutNullStreams;

  /** `entry`: what node runs (default the built CLI; e.g. ["--import", "tsx", script] for a test runner). */
  constructor(args: string[], env: NodeJS.ProcessEnv, cwd: string, entry: string[] = [BIN]) {
    this.child = spawn(process.execPath, [...entry, ...args], { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((done) => this.child.once("exit", (code, signal) => done({ code, signal })));
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk: string) => (this.stderr += chunk));
    this.child.stdin.on("error", () => undefined);
    createInterface({ input: this.child.stdout }).on("line", (line) => {
      this.stdoutLines.push(line);
      try {
        this.onmessage?.(JSONRPCMessageSchema.parse(JSON.parse(line)));
      } catch (error) {
        this.onerror?.(error as Error);
      }
    });
    this.child.once("exit", () => this.onclose?.());
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.child.stdin.writable) this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  endStdin(): void {
    this.child.stdin.end();
  }

  async close(): Promise<void> {
    this.endStdin();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface BridgeProcess {
  client: Client;
  transport: RecordingStdioTransport;
  configDir: string;
}

/** Spawns the built CLI with a clean environment (plus `env`) and connects the SDK client. */
export async function startBridge(options: {
  env?: Record<string, string>;
  args?: string[];
  cwd?: string;
  roots?: string[];
  /** Delay before answering the n-th roots/list request (ms); later requests answer at once. */
  rootsDelaysMs?: number[];
}): Promise<BridgeProcess> {
  const configDir = mkdtempSync(join(tmpdir(), "bridge-e2e-config-"));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: configDir,
    MEMORY_BRIDGE_CONFIG_DIR: configDir,
    // No session bus: keeps every e2e run away from a real keychain (see credentials/session-bus.ts).
    XDG_RUNTIME_DIR: configDir,
    // No discovery unless a test asks: it would probe this machine's ports and send mDNS on its interfaces.
    MEMORY_BRIDGE_DISCOVERY: "0",
    // What `auto` meant before detection: tests that count a fixture's requests see no probes. Tests of detection set auto.
    MEMORY_BRIDGE_BACKEND: "mcp-memory-service",
    ...options.env,
  };
  const transport = new RecordingStdioTransport(options.args ?? [], env, options.cwd ?? process.cwd());
  const client = new Client(
    { name: "bridge-e2e", version: "1.0.0" },
    { capabilities: options.roots ? { roots: { listChanged: true } } : {} },
  );
  if (options.roots) {
    const { ListRootsRequestSchema } = await import("@modelcontextprotocol/sdk/types.js");
    // Read on every request, so a test can change the array and send roots/list_changed.
    const roots = options.roots;
    const delays = [...(options.rootsDelaysMs ?? [])];
    client.setRequestHandler(ListRootsRequestSchema, async () => {
      const delay = delays.shift() ?? 0;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      return { roots: roots.map((uri) => ({ uri })) };
    });
  }
  await client.connect(transport);
  return { client, transport, configDir };
}

export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}
