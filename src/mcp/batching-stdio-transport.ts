import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/**
 * The SDK's stdio transport with one difference: messages sent during the same turn of the event
 * loop go out in one write. Writes to a pipe are synchronous system calls in Node, one per message;
 * under concurrent calls many responses finish together, and one write for all of them is
 * measurably cheaper. `send` still resolves only once its message has been handed to stdout.
 */
export class BatchingStdioServerTransport extends StdioServerTransport {
  private pending: string[] = [];
  private waiters: (() => void)[] = [];
  private scheduled = false;

  constructor(
    stdin: NodeJS.ReadableStream,
    private readonly out: NodeJS.WritableStream,
  ) {
    super(stdin as NodeJS.ReadStream, out as NodeJS.WriteStream);
  }

  override send(message: JSONRPCMessage): Promise<void> {
    this.pending.push(serializeMessage(message));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private readonly flush = (): void => {
    const data = this.pending.length === 1 ? this.pending[0]! : this.pending.join("");
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    this.scheduled = false;
    const done = () => {
      for (const resolve of waiters) resolve();
    };
    if (this.out.write(data)) done();
    else this.out.once("drain", done);
  };
}
