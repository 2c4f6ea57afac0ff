import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { ProxyError } from "../../src/proxy/errors.js";
import { RemoteLink } from "../../src/proxy/remote-link.js";
import type { RemoteAnswer, RemoteSession } from "../../src/proxy/remote-session.js";
import { SendFailed, type SendFailure } from "../../src/proxy/send-failure.js";

const ENDPOINT = "http://127.0.0.1:8080/mcp";
const logger = createLogger({ level: "error", write: () => undefined });
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A stand-in session whose requests answer as `answer` decides. */
function fakeSession(answer: (method: string, signal?: AbortSignal) => Promise<RemoteAnswer>) {
  const session = {
    kind: "streamable-http",
    latencyMs: 1,
    closed: false,
    requests: [] as string[],
    onLost: undefined as ((reason: string) => void) | undefined,
    onNotification: undefined,
    request(method: string, _params: unknown, signal?: AbortSignal) {
      session.requests.push(method);
      return answer(method, signal);
    },
    idle: async () => undefined,
    async close() {
      session.closed = true;
    },
  };
  return session;
}

const failing = (failure: SendFailure) => () => Promise.reject(new SendFailed(failure));
const ok: () => Promise<RemoteAnswer> = async () => ({ result: { ok: true } });

function link(sessions: ReturnType<typeof fakeSession>[], extra: Partial<ConstructorParameters<typeof RemoteLink>[0]> = {}) {
  let opened = 0;
  const l = new RemoteLink({
    endpoint: ENDPOINT,
    logger,
    tokenSent: () => true,
    async open() {
      const next = sessions[opened++];
      if (next === undefined) throw new ProxyError({ code: "unavailable", endpoint: ENDPOINT, cause: "ECONNREFUSED" });
      return next as unknown as RemoteSession;
    },
    ...extra,
  });
  return { link: l, opened: () => opened };
}

describe("the link's background retries", () => {
  it("stop after the configured attempts, and any later demand starts a new series", async () => {
    const scheduled: (() => void)[] = [];
    const { link: l, opened } = link([], {
      backoff: { baseMs: 10, capMs: 10, attempts: 3 },
      schedule: (retry) => {
        scheduled.push(retry);
        return { cancel: () => undefined };
      },
    });
    l.start();
    await settle();
    expect([opened(), scheduled.length]).toEqual([1, 1]);
    for (let i = 0; i < 3; i++) {
      scheduled[i]!();
      await settle();
    }
    expect([opened(), scheduled.length]).toEqual([4, 3]);
    expect(await l.ready(1000)).toBeUndefined();
    expect([opened(), scheduled.length]).toEqual([5, 4]);
    expect(l.lastFailure).toEqual({ code: "unavailable", endpoint: ENDPOINT, cause: "ECONNREFUSED" });
  });
});

describe("a call through the link", () => {
  it("is sent again on a new session after a 404 for its session, and the old session is closed", async () => {
    const expired = fakeSession(failing({ kind: "expired" }));
    const fresh = fakeSession(ok);
    const { link: l, opened } = link([expired, fresh]);
    l.start();
    const answer = await l.call("tools/call", {}, { timeoutMs: 1000, mayChangeData: true });
    expect(answer).toEqual({ result: { ok: true } });
    expect([opened(), expired.requests, fresh.requests]).toEqual([2, ["tools/call"], ["tools/call"]]);
    await settle();
    expect(expired.closed).toBe(true);
  });

  it("is not sent again when its answer was lost and it may change data; a read is", async () => {
    let lost = true;
    const session = fakeSession(() => {
      if (!lost) return ok();
      lost = false;
      return Promise.reject(new SendFailed({ kind: "maybe-sent", cause: "stream-broken" }));
    });
    const { link: l } = link([session]);
    const error = await l.call("tools/call", {}, { timeoutMs: 1000, mayChangeData: true }).catch((e: unknown) => e);
    expect((error as ProxyError).fact).toEqual({ code: "outcome-unknown", endpoint: ENDPOINT, method: "tools/call", cause: "stream-broken" });
    lost = true;
    expect(await l.call("tools/list", undefined, { timeoutMs: 1000, mayChangeData: false })).toEqual({ result: { ok: true } });
    expect(session.requests).toEqual(["tools/call", "tools/list", "tools/list"]);
  });

  it("gives up after a bounded number of sends", async () => {
    const sessions = Array.from({ length: 10 }, () => fakeSession(failing({ kind: "expired" })));
    const { link: l } = link(sessions);
    const error = await l.call("tools/call", {}, { timeoutMs: 1000, mayChangeData: true }).catch((e: unknown) => e);
    expect((error as ProxyError).fact).toEqual({ code: "unavailable", endpoint: ENDPOINT, cause: "expired" });
    expect(sessions.reduce((sends, s) => sends + s.requests.length, 0)).toBe(4);
  });

  it("answers at its deadline, saying whether it had been sent", async () => {
    const hanging = fakeSession((_m, signal) => new Promise((_resolve, reject) => signal?.addEventListener("abort", () => reject(new SendFailed({ kind: "aborted" })))));
    const { link: l } = link([hanging]);
    const error = await l.call("tools/call", {}, { timeoutMs: 20, mayChangeData: true }).catch((e: unknown) => e);
    expect((error as ProxyError).fact).toEqual({ code: "deadline", endpoint: ENDPOINT, method: "tools/call", timeoutMs: 20, sent: true });

    const { link: down } = link([]);
    const unsent = await down.call("tools/call", {}, { timeoutMs: 1000, mayChangeData: true }).catch((e: unknown) => e);
    expect((unsent as ProxyError).fact).toEqual({ code: "unavailable", endpoint: ENDPOINT, cause: "ECONNREFUSED" });
  });

  it("reports the client's own cancellation apart from a failure", async () => {
    const hanging = fakeSession((_m, signal) => new Promise((_resolve, reject) => signal?.addEventListener("abort", () => reject(new SendFailed({ kind: "aborted" })))));
    const { link: l } = link([hanging]);
    const abort = new AbortController();
    const call = l.call("tools/call", {}, { signal: abort.signal, timeoutMs: 1000, mayChangeData: true });
    await settle();
    abort.abort();
    await expect(call).rejects.toMatchObject({ name: "CallCancelled" });
  });
});
