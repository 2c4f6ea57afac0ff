import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { QUIET_MS, releaseMemoryWhenIdle, SETTLE_MS } from "../../src/mcp/idle-memory.js";

/** A clock and timers that move only when told, and a transport that records what reached the server. */
function harness(options: { busy?: () => boolean } = {}) {
  let time = 0;
  const timers = new Map<number, { at: number; run: () => void; unref: boolean }>();
  let nextTimer = 1;
  const received: JSONRPCMessage[] = [];
  const transport = { onmessage: (message: JSONRPCMessage) => void received.push(message) } as unknown as Transport;
  const collections: number[] = [];
  const stop = releaseMemoryWhenIdle(transport, {
    collect: () => collections.push(time),
    inFlight: { get size() { return options.busy?.() ? 1 : 0; } },
    now: () => time,
    setTimer(run, ms) {
      const id = nextTimer++;
      const entry = { at: time + ms, run, unref: false };
      timers.set(id, entry);
      return { id, unref: () => (entry.unref = true) } as unknown as { unref(): unknown };
    },
    clearTimer(timer) {
      timers.delete((timer as { id: number }).id);
    },
  });
  const advance = (ms: number) => {
    const until = time + ms;
    for (;;) {
      const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      time = Math.max(time, due[1].at);
      due[1].run();
    }
    time = until;
  };
  let id = 0;
  const request = () => transport.onmessage?.({ jsonrpc: "2.0", id: ++id, method: "tools/call", params: { name: "x" } });
  const notify = () => transport.onmessage?.({ jsonrpc: "2.0", method: "notifications/initialized" });
  return { advance, request, notify, collections, received, timers, stop, now: () => time };
}

describe("releaseMemoryWhenIdle", () => {
  it("collects twice once quiet — SETTLE_MS after the last request, then QUIET_MS later — and then waits for a request", () => {
    const h = harness();
    h.request();
    h.advance(SETTLE_MS - 1);
    expect(h.collections).toEqual([]);
    h.advance(1);
    expect(h.collections).toEqual([SETTLE_MS]);
    h.advance(QUIET_MS);
    expect(h.collections).toEqual([SETTLE_MS, SETTLE_MS + QUIET_MS]);
    h.advance(10 * 60_000);
    expect(h.collections).toHaveLength(2);
    expect(h.timers.size).toBe(0);
  });

  it("passes every message on, and only requests count as activity", () => {
    const h = harness();
    h.notify();
    h.advance(60_000);
    expect(h.collections).toEqual([]);
    h.request();
    expect(h.received).toHaveLength(2);
  });

  it("never collects while requests keep coming, and schedules no timer per request", () => {
    const h = harness();
    for (let i = 0; i < 100; i++) {
      h.request();
      h.advance(SETTLE_MS / 2);
    }
    expect(h.collections).toEqual([]);
    expect(h.timers.size).toBe(1);
  });

  it("waits while a request is still being answered", () => {
    let busy = true;
    const h = harness({ busy: () => busy });
    h.request();
    h.advance(5 * SETTLE_MS);
    expect(h.collections).toEqual([]);
    busy = false;
    h.advance(SETTLE_MS);
    expect(h.collections).toHaveLength(1);
  });

  it("a request between the two collections starts the quiet over", () => {
    const h = harness();
    h.request();
    h.advance(SETTLE_MS);
    expect(h.collections).toEqual([SETTLE_MS]);
    h.advance(QUIET_MS / 2);
    h.request();
    const requestAt = h.now();
    // The second collection would have come at SETTLE_MS + QUIET_MS; after the request, that one
    // marks a new start, and the second comes QUIET_MS after it.
    h.advance(QUIET_MS / 2);
    const restart = SETTLE_MS + QUIET_MS;
    expect(restart - requestAt).toBeGreaterThanOrEqual(SETTLE_MS);
    expect(h.collections).toEqual([SETTLE_MS, restart]);
    h.advance(QUIET_MS);
    expect(h.collections).toEqual([SETTLE_MS, restart, restart + QUIET_MS]);
    h.advance(60_000);
    expect(h.collections).toHaveLength(3);
  });

  it("after a request just before the first collection, waits the full SETTLE_MS from it", () => {
    const h = harness();
    h.request();
    h.advance(SETTLE_MS - 10);
    h.request();
    h.advance(10);
    expect(h.collections).toEqual([]);
    h.advance(SETTLE_MS - 10);
    expect(h.collections).toEqual([2 * SETTLE_MS - 10]);
  });

  it("starts again after the next request once it is done", () => {
    const h = harness();
    h.request();
    h.advance(SETTLE_MS + QUIET_MS);
    expect(h.collections).toHaveLength(2);
    h.request();
    h.advance(SETTLE_MS + QUIET_MS);
    expect(h.collections).toHaveLength(4);
  });

  it("keeps no process alive (its timer is unref'd) and does nothing once stopped", () => {
    const h = harness();
    h.request();
    expect([...h.timers.values()].every((t) => t.unref)).toBe(true);
    h.stop();
    expect(h.timers.size).toBe(0);
    h.advance(60_000);
    h.request();
    h.advance(60_000);
    expect(h.collections).toEqual([]);
  });
});
