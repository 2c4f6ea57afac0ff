import * as z from "zod";
import { AuthError, CancelledError, TransportError } from "../http/errors.js";
import { abortableSleep } from "../http/sleep.js";
import type { HttpClient } from "../http/types.js";
import { StoreFailedError, UnexpectedResponseError } from "./errors.js";
import { expectOk } from "./mem0-http.js";
import { addResultSchema, parseEach } from "./mem0-records.js";
import { storeResultOf } from "./mem0-store-result.js";
import type { CallContext, PendingStore, StoreResult } from "./types.js";

/**
 * The platform's adds are asynchronous: the answer is an event id, and GET /v1/event/{id}/ says
 * when the memories exist (SUCCEEDED, with their ids) or that the add FAILED. The bridge polls
 * within the call's deadline; an event still running then is a PendingStore.
 */

const eventSchema = z.object({
  status: z.string(),
  results: z.array(z.unknown()).nullish(),
  error: z.string().nullish(),
});

/** Time kept back from the deadline to answer the call after the last poll. */
const RESERVE_MS = 250;
const MAX_WAIT_MS = 2_000;
const MAX_POLLS = 100;

export interface EventPolling {
  http: HttpClient;
  backend: string;
  inferred: boolean;
  now: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The first wait before a poll; later waits grow by half up to 2 s. */
  firstWaitMs: number;
}

export async function awaitEvent(eventId: string, ctx: CallContext, polling: EventPolling): Promise<StoreResult | PendingStore> {
  const { http, now } = polling;
  const sleep = polling.sleep ?? abortableSleep;
  const pending: PendingStore = { pending: true, eventId };
  const path = `/v1/event/${encodeURIComponent(eventId)}/`;
  let wait = polling.firstWaitMs;
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    if (now() + wait + RESERVE_MS >= ctx.deadline) return pending;
    try {
      await sleep(wait, ctx.signal);
    } catch (error) {
      if (ctx.signal.aborted) throw new CancelledError({ endpoint: http.endpoint, attempts: 0, maybeSent: false, cause: error });
      throw error;
    }
    let body: unknown;
    try {
      const res = await http.request({ method: "GET", path, retry: "idempotent" }, { ...ctx, deadline: ctx.deadline - RESERVE_MS });
      body = expectOk(http, res, "GET /v1/event/{id}/");
    } catch (error) {
      // The add was accepted: a poll that cannot get through leaves it pending, not failed.
      if (error instanceof TransportError && !(error instanceof CancelledError) && !(error instanceof AuthError)) return pending;
      throw error;
    }
    const event = eventSchema.safeParse(body);
    if (!event.success) throw new UnexpectedResponseError(http.endpoint, "GET /v1/event/{id}/ did not return an event");
    if (event.data.status === "SUCCEEDED") {
      return storeResultOf(parseEach(addResultSchema, event.data.results ?? [])!, { backend: polling.backend, inferred: polling.inferred, endpoint: http.endpoint });
    }
    if (event.data.status === "FAILED") throw new StoreFailedError(polling.backend, eventId, event.data.error ?? undefined);
    wait = Math.min(MAX_WAIT_MS, Math.round(wait * 1.5));
  }
  return pending;
}
