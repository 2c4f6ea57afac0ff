import { quoteRedacted } from "../core/secrets.js";
import type { HttpClient, HttpResponse } from "../http/types.js";
import { MemoryNotFoundError, RequestTooLargeError, UnexpectedResponseError, UnsupportedArgumentError, WrongProjectError } from "./errors.js";
import { serviceWriteAccess } from "./service-write-access.js";
import { serverInfo, serviceTags, toMemory, type ServiceMemory } from "./mcp-memory-service-mapping.js";
import { ChangeAnswer, ErrorBody, ListAnswer, read, SearchAnswer, SearchHit, ServiceRecord } from "./mcp-memory-service-schemas.js";
import { createServiceStore, ownTag, refusedChange, rejectProjectTags, SERVICE_NAME, withoutBridgeConversation } from "./mcp-memory-service-store.js";
import { isProjectTag, uniqueTags } from "./project-tag.js";
import { assertBodyFits, MAX_SERVICE_BODY_BYTES, memoryPath } from "./service-limits.js";
import { metadataTags, normalizeServiceTag, normalizeServiceTags } from "./service-tags.js";
import type {
  BackendDefinition,
  BackendStatus,
  CallContext,
  ListInput,
  ListResult,
  Memory,
  MemoryBackend,
  SearchInput,
  SearchResults,
  UpdateInput,
} from "./types.js";

const NAME = SERVICE_NAME;
/** How much of a server's own words an error quotes. */
const MAX_QUOTED_CHARS = 200;
/** Semantic search cannot filter by tag server-side: fetch the most the API allows, then filter. */
const OVERFETCH = 100;

export interface McpMemoryServiceDeps {
  http: HttpClient;
  now?: () => number;
  /** Sent with every store (default: one per process); see mcp-memory-service-store.ts. */
  conversationId?: string;
}

/** Its line in registry.ts. */
const CAPABILITIES = { history: false, updateContent: false } as const;

export const mcpMemoryService: BackendDefinition = {
  defaultAuthScheme: "bearer",
  capabilities: CAPABILITIES,
  create: (http) => createMcpMemoryServiceBackend({ http }),
};

export function createMcpMemoryServiceBackend({ http, now = Date.now, conversationId }: McpMemoryServiceDeps): MemoryBackend {
  const endpoint = http.endpoint;
  const store = createServiceStore({ http, fetchRecord, expectOk }, conversationId);

  async function fetchRecord(id: string, ctx: CallContext): Promise<ServiceMemory> {
    const res = await http.request({ method: "GET", path: memoryPath(id), retry: "idempotent" }, ctx);
    if (res.status === 404) throw new MemoryNotFoundError(id);
    const record = read(ServiceRecord, expectOk(res, "GET /memories/{id}"));
    if (record === undefined) throw new UnexpectedResponseError(endpoint, "GET /memories/{id} did not return a memory");
    return record;
  }

  /** Fetches a record and checks it belongs to the project in force (global mode: any record). */
  async function ownedRecord(id: string, ctx: CallContext): Promise<ServiceMemory> {
    const record = await fetchRecord(id, ctx);
    const own = ownTag(ctx);
    if (own && !serviceTags(record).includes(own)) throw new WrongProjectError(id);
    return record;
  }

  function expectOk(res: HttpResponse, call: string): unknown {
    if (res.status >= 200 && res.status < 300) return res.body;
    throw new UnexpectedResponseError(endpoint, `${call} answered ${res.status}${detailOf(res.body, http.redact)}`, res.status);
  }

  async function verifyToken(ctx: Omit<CallContext, "project">): Promise<Record<string, unknown>> {
    // /health/detailed needs authentication while /health does not: the cheapest proof of a token.
    const res = await http.request({ method: "GET", path: "/health/detailed", retry: "idempotent" }, ctx);
    return serverInfo(expectOk(res, "GET /health/detailed"), http.redact);
  }

  return {
    flavour: NAME,
    capabilities: CAPABILITIES,

    store,

    async search(input: SearchInput, ctx: CallContext): Promise<Memory[]> {
      const own = input.scope === "project" ? ownTag(ctx) : undefined;
      const required = uniqueTags(own ? [own] : [], normalizeServiceTags(input.tags ?? []));
      const body = { query: input.query, n_results: required.length > 0 ? OVERFETCH : input.limit };
      const res = await http.request({ method: "POST", path: "/search", body, retry: "idempotent" }, ctx);
      const answer = read(SearchAnswer, expectOk(res, "POST /search"));
      if (answer === undefined) throw new UnexpectedResponseError(endpoint, "POST /search returned no results list");
      const hidden = ownTag(ctx);
      const found: SearchResults = [];
      let skipped = 0;
      for (const value of answer.results) {
        const hit = read(SearchHit, value);
        if (hit === undefined) {
          skipped++;
          continue;
        }
        const tags = serviceTags(hit.memory).map(normalizeServiceTag);
        if (!required.every((tag) => tags.includes(tag))) continue;
        found.push(present(hit.memory, hidden, hit.similarity_score));
        if (found.length === input.limit) break;
      }
      if (skipped > 0) found.skipped = skipped;
      return found;
    },

    async list(input: ListInput, ctx: CallContext): Promise<ListResult> {
      const own = ownTag(ctx);
      const tags = uniqueTags(own ? [own] : [], normalizeServiceTags(input.tags ?? []));
      const query = {
        page: input.page,
        page_size: input.page_size,
        ...(tags.length > 0 && { tag: tags.join(","), tag_match: "all" }),
      };
      const res = await http.request({ method: "GET", path: "/memories", query, retry: "idempotent" }, ctx);
      const answer = read(ListAnswer, expectOk(res, "GET /memories"));
      if (answer === undefined) throw new UnexpectedResponseError(endpoint, "GET /memories returned no memories list");
      const readable = answer.memories.map((value) => read(ServiceRecord, value)).filter((record) => record !== undefined);
      const memories = readable.map((m) => present(m, own));
      const skipped = answer.memories.length - readable.length;
      const total = answer.total;
      const hasMore = answer.has_more ?? (total !== undefined && input.page * input.page_size < total);
      return { memories, has_more: hasMore, ...(total !== undefined && { total }), ...(skipped > 0 && { skipped }) };
    },

    async get(id: string, ctx: CallContext): Promise<Memory> {
      return present(await ownedRecord(id, ctx), ownTag(ctx));
    },

    async update(input: UpdateInput, ctx: CallContext): Promise<Memory> {
      if (input.content !== undefined) {
        throw new UnsupportedArgumentError(NAME, "content", "a memory's id is the hash of its content.", "content-immutable");
      }
      const path = memoryPath(input.id);
      rejectProjectTags(input.tags ?? [], "tags");
      rejectProjectTags(metadataTags(input.metadata?.tags), "metadata.tags");
      const record = await ownedRecord(input.id, ctx);
      const own = ownTag(ctx);
      const body: Record<string, unknown> = {};
      if (input.tags !== undefined) {
        // Project tags are bookkeeping: a tag edit must not move the memory out of its projects.
        const kept = serviceTags(record).filter(isProjectTag);
        body.tags = uniqueTags(normalizeServiceTags(input.tags), kept, own ? [own] : []);
      }
      if (input.type !== undefined) body.memory_type = input.type;
      if (input.metadata !== undefined) body.metadata = input.metadata;
      assertBodyFits(body);
      const res = await http.request({ method: "PUT", path, body, retry: "idempotent" }, ctx);
      if (res.status === 404) throw new MemoryNotFoundError(input.id);
      if (res.status === 413) throw new RequestTooLargeError(undefined, MAX_SERVICE_BODY_BYTES);
      const answered = expectOk(res, "PUT /memories/{id}");
      const answer = ChangeAnswer.parse(answered);
      if (answer.success === false) throw refusedChange(http, `Memory ${input.id} was not updated`, answer.message);
      const updated = read(ServiceRecord, answered) ?? answer.memory ?? (await fetchRecord(input.id, ctx));
      return present(updated, own);
    },

    async delete(id: string, ctx: CallContext): Promise<void> {
      const path = memoryPath(id);
      await ownedRecord(id, ctx);
      const res = await http.request({ method: "DELETE", path, retry: "idempotent" }, ctx);
      if (res.status === 404) {
        if (res.attempts === 1) throw new MemoryNotFoundError(id);
        return;
      }
      const answer = ChangeAnswer.parse(expectOk(res, "DELETE /memories/{id}"));
      if (answer.success === true) return;
      // Older servers answer 200 {success:false} for a missing record. After a retry that most likely
      // means our own earlier attempt deleted it (it existed a moment ago). Any other reason is a refusal.
      if (!/not found/i.test(String(answer.message ?? "not found"))) throw refusedChange(http, `Memory ${id} was not deleted`, answer.message);
      if (res.attempts === 1) throw new MemoryNotFoundError(id);
    },

    async status(ctx): Promise<BackendStatus> {
      const started = now();
      try {
        await http.request({ method: "GET", path: "/health", retry: "idempotent", auth: false }, ctx);
      } catch (error) {
        return { reachable: false, error: asError(error) };
      }
      const latency_ms = now() - started;
      try {
        return { reachable: true, latency_ms, tokenAccepted: true, server: await verifyToken(ctx) };
      } catch (error) {
        return { reachable: true, latency_ms, tokenAccepted: false, error: asError(error) };
      }
    },

    verifyToken,

    checkWriteAccess: (ctx, server) => serviceWriteAccess(http, ctx, server),
  };

  /** A server record in the canonical shape, without the bridge's own bookkeeping. */
  function present(record: ServiceMemory, hiddenTag?: string, score?: number): Memory {
    return toMemory({ ...record, metadata: withoutBridgeConversation(record.metadata) }, hiddenTag, score);
  }
}

/** The server's `detail`, fit to quote: redacted before it is cut, so no piece of the token survives. */
function detailOf(body: unknown, redact: (text: string) => string): string {
  const error = read(ErrorBody, body);
  if (error === undefined) return "";
  const { detail } = error;
  return `: ${quoteRedacted(typeof detail === "string" ? detail : jsonText(detail), redact, MAX_QUOTED_CHARS)}`;
}

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "(a value that cannot be shown)";
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
