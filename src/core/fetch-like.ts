/**
 * The small part of an HTTP client that an unauthenticated probe uses (detection's). Here, below
 * both, so that discovery/ can take one and http/ can provide one without knowing each other.
 * A unit test's fake may return WHATWG `Response`s: their bodies fit ProbeBody.
 */
export type FetchLike = (
  url: string,
  init: {
    method: "GET" | "POST" | "DELETE";
    headers: Record<string, string>;
    body?: string;
    redirect: "manual";
    signal: AbortSignal;
  },
) => Promise<ProbeHttpResponse>;

export interface ProbeHttpResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: ProbeBody | null;
}

export interface ProbeBody extends AsyncIterable<Uint8Array> {
  /** Stops the body and frees its connection, read or not. */
  cancel(): Promise<void>;
}
