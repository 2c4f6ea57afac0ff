import type { Server } from "node:http";
import type { HttpClient } from "../../src/http/types.js";

/** A deadline `ms` from now, as HttpClient.request takes it. */
export const inMs = (ms: number) => ({ deadline: Date.now() + ms });

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the request to fail");
}

/** Closes (and forgets) every client, then every server with its open connections. */
export async function closeAll(servers: Server[], clients: HttpClient[]): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
}
