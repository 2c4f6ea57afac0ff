/**
 * One "machine's" memory server inside the test's network namespace, as mcp-memory-service runs:
 * the HTTP server and its mDNS advertisement in one process. Argument: JSON
 * `{ name, serve, port?, address }` — serve:false advertises a port nothing listens on (a server
 * that died while its advertisement lingers); address null advertises no A record.
 * Prints `SERVER_READY {"port":…}`, then runs until stdin closes or SIGTERM.
 */
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../../fixtures/memory-service/index.js";
import { advertise } from "../../fixtures/mdns-advertiser.js";

interface Spec {
  name: string;
  serve: boolean;
  port?: number;
  address: string | null;
}

const spec = JSON.parse(process.argv[2] ?? "{}") as Spec;
let fixture: MemoryServiceFixture | undefined;
if (spec.serve) fixture = await createMemoryServiceFixture({ token: null, port: spec.port ?? 0 });
const port = fixture?.port ?? spec.port;
if (port === undefined) throw new Error("a dead server needs a port to advertise");
const advertiser = await advertise({ name: spec.name, port, address: spec.address });
process.stdout.write(`SERVER_READY ${JSON.stringify({ port })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all([advertiser.close(), fixture?.close()]);
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.resume();
