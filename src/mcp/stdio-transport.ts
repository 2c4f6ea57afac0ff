import { ErrorCode, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { describeBytes } from "../http/errors.js";
import type { Logger } from "../log.js";
import { errorReply, readLine } from "./jsonrpc-intake.js";
import { LineReader, type LineEvent } from "./line-reader.js";
import { serializeSafely } from "./safe-serialize.js";
import type { StdinPrelude } from "./stdin-prelude.js";
import type { JsonRpcId } from "./top-level-id.js";

export interface StdioTransportOptions {
  /** The longest line read (--max-message-bytes); a longer one is answered with an error and skipped. */
  maxMessageBytes: number;
  logger: Logger;
}

/**
 * MCP over stdio, newline-delimited JSON-RPC, written so that every request gets exactly one answer:
 * - reading: a line over the limit, a line that is not JSON, or one that is not a valid request is
 *   answered with a JSON-RPC error (with its id when one can be read) and the next line is read as
 *   usual; members JSON-RPC does not define are left out instead of dropping the request.
 * - writing: a reply that cannot be encoded is replaced by an error answer for its id; messages sent
 *   during the same event-loop turn go out in one write (cheaper under concurrent calls), and `send`
 *   resolves once its message has been handed to stdout.
 * End of input is reported through `onInputEnd`, not `onclose`: the SDK aborts every request still
 * running on close, and those must be answered first.
 */
export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** stdin ended or closed (after its last line has been handled). */
  onInputEnd?: () => void;

  readonly #stdin: NodeJS.ReadableStream;
  readonly #stdout: NodeJS.WritableStream;
  readonly #options: StdioTransportOptions;
  readonly #reader: LineReader;
  /** The method of each request not yet answered, to know how to replace an unencodable answer. */
  readonly #methods = new Map<JsonRpcId, string>();
  #pending: string[] = [];
  #writers: (() => void)[] = [];
  #scheduled = false;
  #awaitingDrain = false;
  #drainWaiters: (() => void)[] = [];
  #inputEnded = false;
  /** The `initialize` the bin already answered (src/serve-start.ts): the SDK's answer to it is not sent again. */
  #answered: StdinPrelude["answered"];

  constructor(stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, options: StdioTransportOptions) {
    this.#stdin = stdin;
    this.#stdout = stdout;
    this.#options = options;
    this.#reader = new LineReader(options.maxMessageBytes, this.#onLine);
  }

  async start(): Promise<void> {
    this.#stdin.on("data", this.#onData);
    this.#stdin.on("end", this.#onEnd);
    this.#stdin.on("close", this.#onEnd);
    this.#stdin.on("error", this.#onStdinError);
  }

  async close(): Promise<void> {
    this.#stdin.off("data", this.#onData);
    this.#stdin.off("end", this.#onEnd);
    this.#stdin.off("close", this.#onEnd);
    this.#stdin.off("error", this.#onStdinError);
    this.onclose?.();
  }

  /**
   * Reads what the bin read ahead of the server, then the rest of stdin (which it left paused).
   * Call after start(), once everything that watches the incoming messages is in place.
   */
  readPrelude(prelude: StdinPrelude, stopping: () => boolean): void {
    this.#answered = prelude.answered;
    this.#onData(prelude.bytes);
    if (prelude.ended) this.#onEnd();
    // The SDK handles `initialize` in a few promise steps: let them finish before the next message,
    // unless the server began to stop meanwhile (a signal, stdout gone): it reads nothing more then.
    else setImmediate(() => stopping() || this.#stdin.resume());
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.#answered !== undefined && "id" in message && message.id === this.#answered.id && !("method" in message)) {
      const early = this.#answered;
      this.#answered = undefined;
      this.#methods.delete(early.id);
      const { line } = serializeSafely(message, "initialize");
      if (line === early.line) this.#options.logger.debug("initialize was answered before the server loaded, as the server answers it");
      else this.#options.logger.error("the early initialize answer differs from the server's", { sent: early.line, server: line });
      return Promise.resolve();
    }
    let method: string | undefined;
    if ("id" in message && message.id !== undefined && !("method" in message)) {
      method = this.#methods.get(message.id);
      this.#methods.delete(message.id);
    }
    const { line, problem } = serializeSafely(message, method);
    if (problem !== undefined) {
      this.#options.logger.error("a reply could not be encoded as JSON; an error was sent instead", { id: (message as { id?: unknown }).id, problem });
    }
    this.#pending.push(line);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
    return new Promise((resolve) => this.#writers.push(resolve));
  }

  /** Resolves once everything sent so far has been handed to stdout (after a 'drain' if it was full). */
  drained(): Promise<void> {
    if (this.#pending.length === 0 && !this.#awaitingDrain) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  readonly #onData = (chunk: Buffer | string): void => {
    this.#reader.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  };

  readonly #onEnd = (): void => {
    if (this.#inputEnded) return;
    this.#inputEnded = true;
    this.#reader.end();
    this.onInputEnd?.();
  };

  readonly #onStdinError = (error: Error): void => {
    this.onerror?.(error);
    this.#onEnd();
  };

  readonly #onLine = (event: LineEvent): void => {
    const { logger, maxMessageBytes } = this.#options;
    if (event.kind === "too-long") {
      logger.warn("skipped a message longer than --max-message-bytes", { bytes: event.bytes, limit: maxMessageBytes, id: event.id });
      const text = `Request too large: the message is ${event.bytes} bytes, over the ${describeBytes(maxMessageBytes)} limit (--max-message-bytes, MEMORY_BRIDGE_MAX_MESSAGE_BYTES), so it was not read`;
      void this.send(errorReply(event.id, ErrorCode.InvalidRequest, text));
      return;
    }
    if (event.text.trim() === "") return;
    const intake = readLine(event.text);
    if (intake.kind === "reply") {
      logger.warn(`answered ${intake.problem} from the client with an error`, { code: intake.reply.error.code, id: intake.reply.id });
      void this.send(intake.reply);
      return;
    }
    if (intake.kind === "drop") {
      logger.warn(`ignored ${intake.problem} from the client`);
      return;
    }
    if (intake.ignored) logger.debug("left out members JSON-RPC does not define", { members: intake.ignored });
    const { message } = intake;
    if ("method" in message && "id" in message && message.id !== undefined) this.#methods.set(message.id, message.method);
    if ("method" in message && message.method === "notifications/cancelled") {
      // A cancelled request gets no answer: forget it.
      const requestId = (message.params as { requestId?: JsonRpcId } | undefined)?.requestId;
      if (requestId !== undefined) this.#methods.delete(requestId);
    }
    this.onmessage?.(message);
  };

  readonly #flush = (): void => {
    const data = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join("");
    const writers = this.#writers;
    this.#pending = [];
    this.#writers = [];
    this.#scheduled = false;
    const done = (): void => {
      this.#awaitingDrain = false;
      for (const resolve of writers) resolve();
      if (this.#pending.length === 0) for (const resolve of this.#drainWaiters.splice(0)) resolve();
    };
    if (this.#stdout.write(data)) {
      done();
    } else {
      this.#awaitingDrain = true;
      this.#stdout.once("drain", done);
    }
  };
}
