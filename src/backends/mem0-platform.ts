import * as z from "zod";
import { AuthError } from "../http/errors.js";
import type { HttpClient } from "../http/types.js";
import { MemoryNotFoundError, UnexpectedResponseError } from "./errors.js";
import { assertUserId, assertUuid } from "./mem0-ids.js";
import { asError, expectOk, refused, sendStore, serverFacts, settleChange } from "./mem0-http.js";
import { listPage, MEM0_LIST_CAP, searchHits } from "./mem0-list.js";
import { historyEvent, metadataForStore, metadataForUpdate, toMemory, type MetadataRules } from "./mem0-mapping.js";
import { awaitEvent } from "./mem0-platform-events.js";
import { addResultSchema, historyRowSchema, mem0RecordSchema, parseEach, parseResults, type Mem0Record, type Parsed } from "./mem0-records.js";
import { assertOwned, isOwned, searchProject, type Owner } from "./mem0-scope.js";
import { storeResultOf } from "./mem0-store-result.js";
import type {
  BackendStatus,
  CallContext,
  HistoryEvent,
  ListInput,
  ListResult,
  Memory,
  MemoryBackend,
  SearchInput,
  SearchResults,
  StoreInput,
  StoreOutcome,
  UpdateInput,
} from "./types.js";

/**
 * The mem0 platform (https://api.mem0.ai, contracts/backends.md §3): `Authorization: Token`, the v3
 * routes for add, search and list (ids only inside `filters`), v1 for one memory. `user_id` is the
 * configured user, the project its `app_id`. Adds are asynchronous: see mem0-platform-events.ts.
 */

const NAME = "mem0-platform";
const RULES: MetadataRules = { backend: "the mem0 platform" };
const OVERFETCH = 100;
/** The largest page the v3 list gives, and how many of them make the 1,000 the bridge lists at most. */
const PAGE_SIZE = 200;
const MAX_PAGES = Math.ceil(MEM0_LIST_CAP / PAGE_SIZE);

/** POST /v3/memories/add/: `{event_id, status: "PENDING"}`, or with infer:false `{results, …}` at once. */
const addAnswerSchema = z.object({ event_id: z.string().nullish(), status: z.string().nullish(), results: z.array(z.unknown()).nullish() });
const listEnvelope = z.object({ count: z.number().nullish(), next: z.string().nullish(), results: z.array(z.unknown()) });

export interface Mem0PlatformDeps {
  http: HttpClient;
  /** The mem0 user id: --user-id, by default the slugged OS user name. */
  userId: string;
  /** Let the platform's language model extract facts (default); false stores verbatim, synchronously. */
  infer?: boolean;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The first wait before polling an add's event (default 250 ms). */
  pollIntervalMs?: number;
}

export function createMem0PlatformBackend({ http, userId, infer = true, now = Date.now, sleep, pollIntervalMs = 250 }: Mem0PlatformDeps): MemoryBackend<StoreOutcome> {
  const endpoint = http.endpoint;

  function user(): string {
    return assertUserId(userId, RULES.backend);
  }

  async function fetchRecord(id: string, ctx: CallContext): Promise<Mem0Record> {
    const res = await http.request({ method: "GET", path: memoryPath(id), retry: "idempotent" }, ctx);
    if (res.status === 404) throw new MemoryNotFoundError(id);
    return recordOf(expectOk(http, res, "GET /v1/memories/{id}/"), "GET /v1/memories/{id}/");
  }

  async function ownedRecord(id: string, ctx: CallContext): Promise<Mem0Record> {
    const record = await fetchRecord(assertUuid(id, RULES.backend), ctx);
    assertOwned(id, ownerOf(record), user(), ctx);
    return record;
  }

  function recordOf(body: unknown, call: string): Mem0Record {
    const parsed = mem0RecordSchema.safeParse(body);
    if (!parsed.success) throw new UnexpectedResponseError(endpoint, `${call} did not return a memory`);
    return parsed.data;
  }

  function filtersFor(project: string | null): Record<string, unknown> {
    return project === null ? { user_id: user() } : { AND: [{ user_id: user() }, { app_id: project }] };
  }

  async function verifyToken(ctx: Omit<CallContext, "project">): Promise<Record<string, unknown>> {
    const res = await http.request({ method: "GET", path: "/v1/ping/", retry: "idempotent" }, ctx);
    return serverFacts(http, expectOk(http, res, "GET /v1/ping/"), ["org_id", "project_id"]);
  }

  return {
    flavour: NAME,
    capabilities: { history: true, updateContent: true },

    async store(input: StoreInput, ctx: CallContext): Promise<StoreOutcome> {
      const body = {
        messages: [{ role: "user", content: input.content }],
        user_id: user(),
        ...(ctx.project.id !== null && { app_id: ctx.project.id }),
        metadata: metadataForStore(input, RULES),
        infer,
      };
      const res = await sendStore(http, { method: "POST", path: "/v3/memories/add/", body }, ctx);
      if (res.status >= 400) throw refused(http, res, "Nothing was stored");
      const answer = addAnswerSchema.safeParse(expectOk(http, res, "POST /v3/memories/add/"));
      if (!answer.success) throw new UnexpectedResponseError(endpoint, "POST /v3/memories/add/ returned neither results nor an event id");
      const { results, event_id: eventId } = answer.data;
      if (results) return storeResultOf(parseEach(addResultSchema, results)!, { backend: RULES.backend, inferred: infer, endpoint });
      if (!eventId) throw new UnexpectedResponseError(endpoint, "POST /v3/memories/add/ returned neither results nor an event id");
      return awaitEvent(eventId, ctx, { http, backend: RULES.backend, inferred: infer, now, firstWaitMs: pollIntervalMs, ...(sleep && { sleep }) });
    },

    async search(input: SearchInput, ctx: CallContext): Promise<SearchResults> {
      const project = searchProject(input.scope, ctx);
      const topK = input.tags && input.tags.length > 0 ? OVERFETCH : input.limit;
      const body = { query: input.query, filters: filtersFor(project), top_k: topK };
      const res = await http.request({ method: "POST", path: "/v3/memories/search/", body, retry: "idempotent" }, ctx);
      const records = parseResults(mem0RecordSchema, expectOk(http, res, "POST /v3/memories/search/"));
      if (records === undefined) throw new UnexpectedResponseError(endpoint, "POST /v3/memories/search/ did not return a results list");
      return searchHits(records, (record) => isOwned(ownerOf(record), user(), project), RULES, input);
    },

    async list(input: ListInput, ctx: CallContext): Promise<ListResult> {
      // The platform does not promise an order: fetch up to the cap, then sort and page as for mem0.
      const body = { filters: filtersFor(ctx.project.id) };
      const records: Parsed<Mem0Record> = { items: [], skipped: 0 };
      let more = true;
      for (let page = 1; more && page <= MAX_PAGES && records.items.length + records.skipped < MEM0_LIST_CAP; page++) {
        const query = { page, page_size: PAGE_SIZE };
        const res = await http.request({ method: "POST", path: "/v3/memories/", query, body, retry: "idempotent" }, ctx);
        const envelope = listEnvelope.safeParse(expectOk(http, res, "POST /v3/memories/"));
        if (!envelope.success) throw new UnexpectedResponseError(endpoint, "POST /v3/memories/ did not return a page of results");
        const parsed = parseEach(mem0RecordSchema, envelope.data.results)!;
        records.items.push(...parsed.items);
        records.skipped += parsed.skipped;
        more = typeof envelope.data.next === "string" && envelope.data.results.length > 0;
      }
      return listPage(records, (record) => isOwned(ownerOf(record), user(), ctx.project.id), RULES, input, more ? MEM0_LIST_CAP : undefined);
    },

    async get(id: string, ctx: CallContext): Promise<Memory> {
      return toMemory(await ownedRecord(id, ctx), RULES);
    },

    async update(input: UpdateInput, ctx: CallContext): Promise<Memory> {
      const record = await ownedRecord(input.id, ctx);
      const body = { ...(input.content !== undefined && { text: input.content }), metadata: metadataForUpdate(record, input, RULES) };
      const res = await http.request({ method: "PUT", path: memoryPath(input.id), body, retry: "idempotent" }, ctx);
      settleChange(http, res, input.id, "updated", false);
      // The answer is the updated memory; an older answer was only a message.
      const updated = mem0RecordSchema.safeParse(res.body);
      return toMemory(updated.success ? updated.data : await fetchRecord(input.id, ctx), RULES);
    },

    async delete(id: string, ctx: CallContext): Promise<void> {
      await ownedRecord(id, ctx);
      const res = await http.request({ method: "DELETE", path: memoryPath(id), retry: "idempotent" }, ctx);
      // 200 {"message": "Memory deleted successfully!"}; a 404 after a retry is our own earlier attempt.
      settleChange(http, res, id, "deleted", res.attempts > 1);
    },

    async history(id: string, ctx: CallContext): Promise<HistoryEvent[]> {
      await ownedRecord(id, ctx);
      const res = await http.request({ method: "GET", path: `${memoryPath(id)}history/`, retry: "idempotent" }, ctx);
      const rows = parseEach(historyRowSchema, expectOk(http, res, "GET /v1/memories/{id}/history/"));
      if (rows === undefined) throw new UnexpectedResponseError(endpoint, "GET /v1/memories/{id}/history/ did not return a list");
      return rows.items.map(historyEvent);
    },

    // Every route needs a key, /v1/ping/ included: a refused key still shows the platform is up.
    async status(ctx): Promise<BackendStatus> {
      const started = now();
      try {
        const server = await verifyToken(ctx);
        return { reachable: true, latency_ms: now() - started, tokenAccepted: true, server };
      } catch (error) {
        if (error instanceof AuthError) return { reachable: true, latency_ms: now() - started, tokenAccepted: false, error };
        return { reachable: false, error: asError(error) };
      }
    },

    verifyToken,
  };
}

function ownerOf(record: Mem0Record): Owner {
  return { user: record.user_id, project: record.app_id };
}

function memoryPath(id: string): string {
  return `/v1/memories/${encodeURIComponent(id)}/`;
}
