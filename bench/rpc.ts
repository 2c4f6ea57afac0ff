/**
 * A minimal MCP client over a child's stdio: newline-delimited JSON-RPC 2.0, as the MCP stdio
 * transport specifies. Deliberately not the SDK's Client: that one validates every result with
 * zod in the benchmark process, and the benchmark should measure the bridge, not its client.
 */
import type { Child } from "./processes.js";

export const PROTOCOL_VERSION = "2025-06-18";

interface JsonRpcMessage {
  jsonrpc: "2.0";
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export interface ToolResult {
  content?: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

interface Pending {
  resolve: (message: JsonRpcMessage) => void;
  reject: (error: Error) => void;
}

export class BenchFailure extends Error {}

export class StdioRpcClient {
  private buffered = "";
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | undefined;

  constructor(private readonly child: Child, private readonly label: string) {
    const { proc } = child;
    proc.stdout.setEncoding("utf8");
    proc.stdout.on("data", (chunk: string) => this.onData(chunk));
    proc.once("exit", (code, signal) => {
      const tail = child.stderr.trim();
      this.failAll(new BenchFailure(`${label} exited (code ${code}, signal ${signal})${tail ? `; stderr:\n${tail}` : ""}`));
    });
    proc.once("error", (error) => this.failAll(error));
  }

  get inFlight(): number {
    return this.pending.size;
  }

  async initialize(): Promise<void> {
    const answer = await this.request("initialize", {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: "mcp-memory-bridge-bench", version: "1.0.0" },
    });
    if (answer.error) throw new BenchFailure(`${this.label}: initialize failed: ${answer.error.message}`);
    this.notify("notifications/initialized");
  }

  /** tools/call; a JSON-RPC error or a result with isError is a benchmark failure. */
  async callTool(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    const answer = await this.request("tools/call", { name, arguments: args });
    if (answer.error) throw new BenchFailure(`${this.label}: ${name} failed: JSON-RPC error ${answer.error.code} ${answer.error.message}`);
    const result = answer.result as ToolResult | undefined;
    if (!result || result.isError) {
      const text = (result?.content ?? []).map((c) => c.text ?? "").join("\n");
      throw new BenchFailure(`${this.label}: ${name} returned isError: ${text || JSON.stringify(answer.result)}`);
    }
    return result;
  }

  request(method: string, params?: unknown): Promise<JsonRpcMessage> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<JsonRpcMessage>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.write({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
    });
  }

  notify(method: string, params?: unknown): void {
    this.write({ jsonrpc: "2.0", method, ...(params === undefined ? {} : { params }) });
  }

  private write(message: JsonRpcMessage): void {
    this.child.proc.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let start = 0;
    for (let nl = this.buffered.indexOf("\n"); nl >= 0; nl = this.buffered.indexOf("\n", start)) {
      const line = this.buffered.slice(start, nl);
      start = nl + 1;
      if (line.trim() !== "") this.onLine(line);
    }
    this.buffered = this.buffered.slice(start);
  }

  private onLine(line: string): void {
    let message: JsonRpcMessage;
    try {
      message = JSON.parse(line) as JsonRpcMessage;
    } catch {
      this.failAll(new BenchFailure(`${this.label} wrote a line to stdout that is not JSON: ${line.slice(0, 200)}`));
      return;
    }
    if (message.method !== undefined) {
      // A request from the server (none expected: no client capabilities were offered).
      if (message.id !== undefined && message.id !== null) {
        this.write({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "Method not found" } });
      }
      return;
    }
    if (typeof message.id !== "number") return;
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    waiter.resolve(message);
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
