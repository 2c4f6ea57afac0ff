import type { FetchLike } from "../../src/discovery/types.js";

/** What a fake server answers for one URL: a Response, an error code to fail with, or "hang" (until aborted). */
export type FakeAnswer = Response | { error: string } | "hang";

export interface FakeFetch {
  fetch: FetchLike;
  /** Every request made, in order: "METHOD url". */
  calls: string[];
  /** Headers of each request, same order. */
  headers: Record<string, string>[];
}

/** Unknown URLs fail with ECONNREFUSED, as a closed port would. */
export function fakeFetch(answers: Record<string, FakeAnswer | (() => FakeAnswer)>): FakeFetch {
  const calls: string[] = [];
  const headers: Record<string, string>[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push(`${init.method} ${url}`);
    headers.push(init.headers);
    const entry = answers[`${init.method} ${url}`] ?? answers[url];
    const answer = typeof entry === "function" ? entry() : (entry ?? { error: "ECONNREFUSED" });
    if (answer === "hang") {
      return new Promise((_, reject) => {
        init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")), { once: true });
      });
    }
    if (answer instanceof Response) return answer;
    throw new TypeError("fetch failed", { cause: Object.assign(new Error(answer.error), { code: answer.error }) });
  };
  return { fetch, calls, headers };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function text(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": "text/html", ...headers } });
}

/** A clock that advances `step` ms on every reading, so latencies are deterministic. */
export function steppingClock(step = 5): () => number {
  let t = 1000;
  return () => (t += step);
}
