/**
 * A fresh network namespace and temp directory for each test of a suite, and the memory servers
 * (server-main.ts) a test starts in it. Skips (or under CI fails) without root and iproute2.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { needs } from "../../prerequisites/prerequisites.js";
import { Netns } from "./netns.js";

const SERVER = "test/integration/netns/server-main.ts";
export const START_TIMEOUT_MS = 20_000;

export interface ServerSpec {
  name: string;
  serve: boolean;
  port?: number;
  address: string | null;
}

export interface NetnsPerTest {
  ns(): Netns;
  dir(): string;
  /** Starts a memory server advertising itself; resolves with its port. */
  startServer(spec: ServerSpec): Promise<number>;
}

export function netnsPerTest(prefix: string): NetnsPerTest {
  let ns: Netns | undefined;
  let dir: string | undefined;

  beforeEach((ctx) => {
    needs(ctx, "netns");
    ns = Netns.create();
    dir = mkdtempSync(join(tmpdir(), prefix));
  });

  afterEach(async () => {
    await ns?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    ns = dir = undefined;
  });

  return {
    ns: () => ns!,
    dir: () => dir!,
    async startServer(spec) {
      const ready = (await ns!.runNode(SERVER, spec).line("SERVER_READY", START_TIMEOUT_MS)) as { port: number };
      return ready.port;
    },
  };
}
