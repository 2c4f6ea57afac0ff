import { AuthError } from "../http/errors.js";
import type { HttpClient, HttpRequest, HttpResponse } from "../http/types.js";
import { KeyUserMismatchError, MemoryNotFoundError, UnexpectedResponseError } from "./errors.js";
import { assertUserId, assertUuid } from "./mem0-ids.js";
import { addAnswerSchema, KEYED_API, memoriesEnvelope } from "./mem0-keyed-api.js";
import { expectOk, probeStatus, refused, sendStore, settleChange } from "./mem0-http.js";
import { listPage, searchHits } from "./mem0-list.js";
import { metadataForStore, metadataForUpdate, toMemory, type MetadataRules } from "./mem0-mapping.js";
import { addResultSchema, mem0RecordSchema, parseEach, type Mem0Record, type Parsed } from "./mem0-records.js";
import { assertOwned, isOwned, searchProject, type Owner } from "./mem0-scope.js";
import { storeResultOf } from "./mem0-store-result.js";
import type { CallContext, ListInput, ListResult, Memory, MemoryBackend, SearchInput, SearchResults, StoreInput, StoreResult, UpdateInput } from "./types.js";

/**
 * The API-key mem0 server of AUTH_SETUP.md (contracts/backends.md §4): each X-API-Key belongs to one
 * user and may act only as that user; the bridge keeps projects apart in `metadata.project` and
 * checks it itself. Its routes and every assumption about them: mem0-keyed-api.ts.
 */

const NAME = "mem0-keyed";
const RULES: MetadataRules = { backend: "the mem0 API-key server", hidden: [KEYED_API.projectKey] };
const OVERFETCH = 100;

export interface Mem0KeyedDeps {
  http: HttpClient;
  /** The user the key belongs to (--user-id); a 403 naming another user says which. */
  userId: string;
  /** Let mem0's language model extract facts (default); false asks for the text verbatim (ASSUMED passed on). */
  infer?: boolean;
  now?: () => number;
}

export function createMem0KeyedBackend({ http, userId, infer = true, now = Date.now }: Mem0KeyedDeps): MemoryBackend {
  const endpoint = http.endpoint;

  function user(): string {
    return assertUserId(userId, RULES.backend);
  }

  /**
   * A request whose 403 naming the key's user becomes that fact. (The 403 "Not authenticated" of a
   * missing key is already an AuthError coded as a missing token.)
   */
  async function call(send: () => Promise<HttpResponse>): Promise<HttpResponse> {
    try {
      return await send();
    } catch (error) {
      const owner = error instanceof AuthError && error.status === 403 ? KEYED_API.authenticatedAs.exec(error.serverReason ?? "")?.[1] : undefined;
      if (owner !== undefined) throw new KeyUserMismatchError(endpoint, owner, userId);
      throw error;
    }
  }

  function request(req: HttpRequest, ctx: Omit<CallContext, "project">): Promise<HttpResponse> {
    return call(() => http.request(req, ctx));
  }

  /** All the user's records (the server has no route for one memory). */
  async function allRecords(ctx: Omit<CallContext, "project">): Promise<{ records: Parsed<Mem0Record>; capped: boolean }> {
    const res = await request({ method: "GET", path: KEYED_API.list(user()), retry: "idempotent" }, ctx);
    const envelope = memoriesEnvelope.safeParse(expectOk(http, res, "GET /memories/{user_id}"));
    if (!envelope.success) throw new UnexpectedResponseError(endpoint, "GET /memories/{user_id} did not return a memories list");
    return { records: parseEach(mem0RecordSchema, envelope.data.memories)!, capped: envelope.data.memories.length >= KEYED_API.listCap };
  }

  async function ownedRecord(id: string, ctx: CallContext): Promise<Mem0Record> {
    assertUuid(id, RULES.backend);
    const record = (await allRecords(ctx)).records.items.find((candidate) => candidate.id === id);
    if (!record) throw new MemoryNotFoundError(id);
    assertOwned(id, ownerOf(record, user()), user(), ctx);
    return record;
  }

  function projectMetadata(ctx: CallContext): Record<string, unknown> {
    return ctx.project.id === null ? {} : { [KEYED_API.projectKey]: ctx.project.id };
  }

  async function verifyToken(ctx: Omit<CallContext, "project">): Promise<Record<string, unknown>> {
    const res = await request({ method: "GET", path: KEYED_API.stats(user()), retry: "idempotent" }, ctx);
    const stats = expectOk(http, res, "GET /stats/{user_id}") as { total_memories?: unknown } | undefined;
    return { user_id: user(), ...(typeof stats?.total_memories === "number" && { total_memories: stats.total_memories }) };
  }

  return {
    flavour: NAME,
    capabilities: { history: false, updateContent: true },

    async store(input: StoreInput, ctx: CallContext): Promise<StoreResult> {
      const body = {
        messages: [{ role: "user", content: input.content }],
        user_id: user(),
        metadata: metadataForStore(input, RULES, projectMetadata(ctx)),
        infer,
      };
      const res = await call(() => sendStore(http, { method: "POST", path: KEYED_API.add, body }, ctx));
      if (res.status >= 400) throw refused(http, res, "Nothing was stored");
      const answer = addAnswerSchema.safeParse(expectOk(http, res, "POST /memories"));
      if (!answer.success) throw new UnexpectedResponseError(endpoint, "POST /memories did not return added_memories");
      return storeResultOf(parseEach(addResultSchema, answer.data.added_memories)!, { backend: RULES.backend, inferred: infer, endpoint });
    },

    async search(input: SearchInput, ctx: CallContext): Promise<SearchResults> {
      const project = searchProject(input.scope, ctx);
      // The server cannot filter by project or tag: fetch more, keep this project's.
      const wanted = project === null && !(input.tags && input.tags.length > 0) ? input.limit : OVERFETCH;
      const body = { query: input.query, user_id: user(), [KEYED_API.searchLimitField]: wanted };
      const res = await request({ method: "POST", path: KEYED_API.search, body, retry: "idempotent" }, ctx);
      const envelope = memoriesEnvelope.safeParse(expectOk(http, res, "POST /memories/search"));
      if (!envelope.success) throw new UnexpectedResponseError(endpoint, "POST /memories/search did not return a memories list");
      return searchHits(parseEach(mem0RecordSchema, envelope.data.memories)!, (record) => isOwned(ownerOf(record, user()), user(), project), RULES, input);
    },

    async list(input: ListInput, ctx: CallContext): Promise<ListResult> {
      const { records, capped } = await allRecords(ctx);
      return listPage(records, (record) => isOwned(ownerOf(record, user()), user(), ctx.project.id), RULES, input, capped ? KEYED_API.listCap : undefined);
    },

    async get(id: string, ctx: CallContext): Promise<Memory> {
      return toMemory(await ownedRecord(id, ctx), RULES);
    },

    async update(input: UpdateInput, ctx: CallContext): Promise<Memory> {
      const record = await ownedRecord(input.id, ctx);
      const body = KEYED_API.updateBody(input.id, input.content ?? record.memory, metadataForUpdate(record, input, RULES, projectMetadata(ctx)));
      const res = await request({ method: "PUT", path: KEYED_API.update, body, retry: "idempotent" }, ctx);
      settleChange(http, res, input.id, "updated", false);
      return toMemory(await ownedRecord(input.id, ctx), RULES);
    },

    async delete(id: string, ctx: CallContext): Promise<void> {
      await ownedRecord(id, ctx);
      const res = await request({ method: "DELETE", path: KEYED_API.delete(id), retry: "idempotent" }, ctx);
      settleChange(http, res, id, "deleted", res.attempts > 1);
    },

    status: (ctx) => probeStatus(now, () => http.request({ method: "GET", path: KEYED_API.health, retry: "idempotent", auth: false }, ctx), () => verifyToken(ctx)),
    verifyToken,
  };
}

/** The server lists only the key's user, so a record without user_id is that user's. */
function ownerOf(record: Mem0Record, userId: string): Owner {
  const metadata = record.metadata;
  const project = typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>)[KEYED_API.projectKey] : undefined;
  return { user: record.user_id ?? userId, project: typeof project === "string" ? project : null };
}
