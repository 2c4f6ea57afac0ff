import { ServerError } from "../http/errors.js";
import { authHeader } from "../http/auth-header.js";
import type { HttpClient, HttpResponse } from "../http/types.js";
import { MemoryNotFoundError, UnexpectedResponseError } from "./errors.js";
import { mem0AuthHeader } from "./mem0-auth.js";
import { assertUserId, assertUuid } from "./mem0-ids.js";
import { expectOk, probeStatus, refused, sendStore, serverFacts, settleChange } from "./mem0-http.js";
import { listPage, MEM0_LIST_CAP, searchHits } from "./mem0-list.js";
import { historyEvent, metadataForStore, metadataForUpdate, toMemory, type MetadataRules } from "./mem0-mapping.js";
import { addResultSchema, historyRowSchema, mem0RecordSchema, parseEach, parseResults, type Mem0Record } from "./mem0-records.js";
import { assertOwned, isOwned, searchProject, type Owner } from "./mem0-scope.js";
import { storeResultOf } from "./mem0-store-result.js";
import type { BackendDefinition, CallContext, HistoryEvent, ListInput, ListResult, Memory, MemoryBackend, SearchInput, SearchResults, StoreInput, StoreResult, UpdateInput } from "./types.js";

/**
 * mem0's self-hosted REST server (contracts/backends.md §2), both generations: the bridge sends
 * what both understand (ids top-level and in `filters`, `limit` and `top_k`) and reads both
 * generations' answers (a missing memory as 200 null, 404 or 500). `user_id` is the configured
 * user; the project is the `agent_id`.
 */

const NAME = "mem0";
const RULES: MetadataRules = { backend: NAME };
/** Searches with a tag filter fetch this many, then keep the tagged ones (the filter is the bridge's). */
const OVERFETCH = 100;
/** Generation A has no limit on GET /memories and stops at mem0's default of 100. */
const GENERATION_A_LIST_CAP = 100;

export interface Mem0Deps {
  http: HttpClient;
  /** The mem0 user id: --user-id, by default the slugged OS user name (mem0 refuses whitespace). */
  userId: string;
  /** Let the server's language model extract facts from a store (default); false stores the text verbatim. */
  infer?: boolean;
  now?: () => number;
}

const CAPABILITIES = { history: true, updateContent: true } as const;

export const mem0: BackendDefinition = {
  defaultAuthScheme: "x-api-key",
  capabilities: CAPABILITIES,
  // Bearer only ever carries a JWT; another scheme asked for by --auth-scheme is sent as asked.
  authHeader: (scheme, token) => (scheme === "bearer" || scheme === "x-api-key" ? mem0AuthHeader(token, scheme) : authHeader(scheme, token)),
  create: (http, { userId, mem0Infer }) => createMem0Backend({ http, userId, infer: mem0Infer }),
};

export function createMem0Backend({ http, userId, infer = true, now = Date.now }: Mem0Deps): MemoryBackend {
  const endpoint = http.endpoint;

  async function fetchRecord(id: string, ctx: CallContext): Promise<Mem0Record> {
    const res = await http.request({ method: "GET", path: memoryPath(id), retry: "idempotent" }, ctx);
    // A missing memory: 200 null (both generations), or a 404 from a newer server.
    if (res.status === 404 || (res.status === 200 && res.body === null)) throw new MemoryNotFoundError(id);
    const parsed = mem0RecordSchema.safeParse(expectOk(http, res, "GET /memories/{id}"));
    if (!parsed.success) throw new UnexpectedResponseError(endpoint, "GET /memories/{id} did not return a memory");
    return parsed.data;
  }

  async function ownedRecord(id: string, ctx: CallContext): Promise<Mem0Record> {
    const record = await fetchRecord(assertUuid(id, NAME), ctx);
    assertOwned(id, ownerOf(record), user(), ctx);
    return record;
  }

  function user(): string {
    return assertUserId(userId, NAME);
  }

  /** Sends a change of one memory; generation A's 500 "not found" counts as the 404 it means. */
  async function change(id: string, what: "updated" | "deleted", send: () => Promise<HttpResponse>): Promise<void> {
    let res: HttpResponse;
    try {
      res = await send();
    } catch (error) {
      if (!(error instanceof ServerError && error.status === 500 && /not found/i.test(error.detail ?? ""))) throw error;
      res = { status: 404, headers: {}, body: null, attempts: error.attempts };
    }
    settleChange(http, res, id, what, what === "deleted" && res.attempts > 1);
  }

  async function verifyToken(ctx: Omit<CallContext, "project">): Promise<Record<string, unknown>> {
    const info = await openapiInfo(ctx).catch(() => ({}));
    const res = await http.request({ method: "GET", path: "/memories", query: { user_id: user(), top_k: 1 }, retry: "idempotent" }, ctx);
    expectOk(http, res, "GET /memories");
    return { ...info, user_id: user() };
  }

  async function openapiInfo(ctx: Omit<CallContext, "project">): Promise<Record<string, unknown>> {
    const res = await http.request({ method: "GET", path: "/openapi.json", retry: "idempotent", auth: false }, ctx);
    const info = (expectOk(http, res, "GET /openapi.json") as { info?: unknown } | undefined)?.info;
    return serverFacts(http, info, ["title", "version"]);
  }

  return {
    flavour: NAME,
    capabilities: CAPABILITIES,

    async store(input: StoreInput, ctx: CallContext): Promise<StoreResult> {
      const body = {
        messages: [{ role: "user", content: input.content }],
        user_id: user(),
        ...(ctx.project.id !== null && { agent_id: ctx.project.id }),
        metadata: metadataForStore(input, RULES),
        infer,
      };
      const res = await sendStore(http, { method: "POST", path: "/memories", body }, ctx);
      if (res.status >= 400) throw refused(http, res, "Nothing was stored");
      const results = parseResults(addResultSchema, expectOk(http, res, "POST /memories"));
      if (results === undefined) throw new UnexpectedResponseError(endpoint, "POST /memories did not return a results list");
      return storeResultOf(results, { backend: NAME, inferred: infer, endpoint });
    },

    async search(input: SearchInput, ctx: CallContext): Promise<SearchResults> {
      const project = searchProject(input.scope, ctx);
      const ids = { user_id: user(), ...(project !== null && { agent_id: project }) };
      const wanted = input.tags && input.tags.length > 0 ? OVERFETCH : input.limit;
      // Generation A reads top-level ids and `limit`, B reads `filters` and `top_k`; each ignores the other's.
      const body = { query: input.query, filters: ids, ...ids, top_k: wanted, limit: wanted };
      const res = await http.request({ method: "POST", path: "/search", body, retry: "idempotent" }, ctx);
      const records = parseResults(mem0RecordSchema, expectOk(http, res, "POST /search"));
      if (records === undefined) throw new UnexpectedResponseError(endpoint, "POST /search did not return a results list");
      return searchHits(records, (record) => isOwned(ownerOf(record), ids.user_id, project), RULES, input);
    },

    async list(input: ListInput, ctx: CallContext): Promise<ListResult> {
      const query = { user_id: user(), ...(ctx.project.id !== null && { agent_id: ctx.project.id }), top_k: MEM0_LIST_CAP };
      const res = await http.request({ method: "GET", path: "/memories", query, retry: "idempotent" }, ctx);
      const records = parseResults(mem0RecordSchema, expectOk(http, res, "GET /memories"));
      if (records === undefined) throw new UnexpectedResponseError(endpoint, "GET /memories did not return a results list");
      // Only generation B sends X-Request-ID; A ignores top_k and answers at most 100.
      const cap = res.headers["x-request-id"] === undefined ? GENERATION_A_LIST_CAP : MEM0_LIST_CAP;
      const capped = records.items.length + records.skipped >= cap;
      return listPage(records, (record) => isOwned(ownerOf(record), query.user_id, ctx.project.id), RULES, input, capped ? cap : undefined);
    },

    async get(id: string, ctx: CallContext): Promise<Memory> {
      return toMemory(await ownedRecord(id, ctx), RULES);
    },

    async update(input: UpdateInput, ctx: CallContext): Promise<Memory> {
      const record = await ownedRecord(input.id, ctx);
      // Generation A requires `text` and rebuilds the metadata from what is sent: send both in full.
      const body = { text: input.content ?? record.memory, metadata: metadataForUpdate(record, input, RULES) };
      await change(input.id, "updated", () => http.request({ method: "PUT", path: memoryPath(input.id), body, retry: "idempotent" }, ctx));
      return toMemory(await fetchRecord(input.id, ctx), RULES);
    },

    async delete(id: string, ctx: CallContext): Promise<void> {
      await ownedRecord(id, ctx);
      await change(id, "deleted", () => http.request({ method: "DELETE", path: memoryPath(id), retry: "idempotent" }, ctx));
    },

    async history(id: string, ctx: CallContext): Promise<HistoryEvent[]> {
      await ownedRecord(id, ctx);
      const res = await http.request({ method: "GET", path: `${memoryPath(id)}/history`, retry: "idempotent" }, ctx);
      const rows = parseEach(historyRowSchema, expectOk(http, res, "GET /memories/{id}/history"));
      if (rows === undefined) throw new UnexpectedResponseError(endpoint, "GET /memories/{id}/history did not return a list");
      return rows.items.map(historyEvent);
    },

    // /openapi.json is open on both generations: any answer there shows the server is up.
    status: (ctx) =>
      probeStatus(
        now,
        () => http.request({ method: "GET", path: "/openapi.json", retry: "idempotent", auth: false }, ctx),
        () => verifyToken(ctx),
      ),
    verifyToken,
    // server/main.py checks reads and writes of memories with the same dependency (verify_auth; the
    // admin key alone in generation A): a key it lets read, it lets write. No write is needed to know.
    checkWriteAccess: async () => ({ result: "granted", how: "this server gives every key it accepts the same rights to read and write memories" }),
  };
}

function ownerOf(record: Mem0Record): Owner {
  return { user: record.user_id, project: record.agent_id };
}

function memoryPath(id: string): string {
  return `/memories/${encodeURIComponent(id)}`;
}
