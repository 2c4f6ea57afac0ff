import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

type Id = string | number;

/**
 * Counts the client's requests that have not been answered yet, by watching the transport's
 * traffic rather than the handlers: a request is done when its response has been written to
 * stdout (the transport's send resolves after the write), or when the client cancelled it (a
 * cancelled request gets no response). Call after `server.connect(transport)`.
 */
export class InFlightRequests {
  private readonly pending = new Set<Id>();
  private waiters: (() => void)[] = [];

  constructor(transport: Transport) {
    const receive = transport.onmessage;
    const send = transport.send.bind(transport);
    transport.onmessage = (message, extra) => {
      this.onIncoming(message);
      receive?.(message, extra);
    };
    transport.send = async (message, options) => {
      await send(message, options);
      if (isResponse(message)) this.settle(message.id);
    };
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves once nothing is in flight. */
  idle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private onIncoming(message: JSONRPCMessage): void {
    if ("method" in message && "id" in message && message.id !== undefined) {
      this.pending.add(message.id);
    } else if ("method" in message && message.method === "notifications/cancelled") {
      const id = (message.params as { requestId?: Id } | undefined)?.requestId;
      if (id !== undefined) this.settle(id);
    }
  }

  private settle(id: Id): void {
    if (!this.pending.delete(id) || this.pending.size > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

function isResponse(message: JSONRPCMessage): message is JSONRPCMessage & { id: Id } {
  return "id" in message && !("method" in message) && ("result" in message || "error" in message);
}
