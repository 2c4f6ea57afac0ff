import { quoteRedacted } from "../credentials/redact.js";
import type { HttpClient, HttpResponse } from "../http/types.js";
import { DeadlineError, TransportError, UnreachableError } from "../http/errors.js";
import {
  AmbiguousStoreError,
  DuplicateElsewhereError,
  MemoryNotFoundError,
  UnexpectedResponseError,
  UnsupportedArgumentError,
  WrongProjectError,
} from "./errors.js";
import { isDuplicateMessage, isServiceMemory, serverInfo, serviceTags, toMemory, type ServiceMemory } from "./mcp-memory-service-mapping.js";
import { isProjectTag, projectTag, uniqueTags } from "./project-tag.js";
import { serviceContentHash } from "./service-content-hash.js";
import type {
  BackendStatus,
  CallContext,
  ListInput,
  ListResult,
  Memory,
  MemoryBackend,
  SearchInput,
  SearchResults,
  StoreInput,
  StoreResult,
  UpdateInput,
} from "./types.js";

const NAME = "mcp-memory-service";
/** How much of a server's own words an error quotes. */
const MAX_QUOTED_CHARS = 200;
/** Semantic search cannot filter by tag server-side: fetch the most the API allows, then filter. */
const OVERFETCH = 100;

export interface McpMemoryServiceDeps {
  http: HttpClient;
  now?: () => number;
}

export function createMcpMemoryServiceBackend({ http, now = Date.now }: McpMemoryServiceDeps): MemoryBackend {
  const endpoint = http.endpoint;

  async function fetchRecord(id: string, ctx: CallContext): Promise<ServiceMemory> {
    const res = await http.request({ method: "GET", path: `/memories/${encodeURIComponent(id)}`, retry: "idempotent" }, ctx);
    if (res.status === 404) throw new MemoryNotFoundError(id);
    const record = expectOk(res, "GET /memories/{id}");
    if (!isServiceMemory(record)) throw new UnexpectedResponseError(endpoint, "GET /memories/{id} did not return a memory");
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
    throw new UnexpectedResponseError(endpoint, `${call} answered ${res.status}${detailOf(res.body, http.redact)}`);
  }

  async function verifyToken(ctx: Omit<CallContext, "project">): Promise<Record<string, unknown>> {
    // /health/detailed needs authentication while /health does not: the cheapest proof of a token.
    const res = await http.request({ method: "GET", path: "/health/detailed", retry: "idempotent" }, ctx);
    return serverInfo(expectOk(res, "GET /health/detailed"), http.redact);
  }

  return {
    flavour: NAME,
    capabilities: { history: false, updateContent: false },

    async store(input: StoreInput, ctx: CallContext): Promise<StoreResult> {
      rejectProjectTags(input.tags);
      const own = ownTag(ctx);
      const body = {
        content: input.content,
        tags: uniqueTags(input.tags, own ? [own] : []),
        ...(input.type !== undefined && { memory_type: input.type }),
        metadata: input.metadata ?? {},
      };
      let res: HttpResponse;
      try {
        // The server deduplicates identical content, so a retried store cannot create a second record.
        res = await http.request({ method: "POST", path: "/memories", body, retry: "idempotent" }, ctx);
      } catch (error) {
        if (isAmbiguous(error)) throw new AmbiguousStoreError(endpoint, error, true);
        throw error;
      }
      const answer = expectOk(res, "POST /memories") as { success?: unknown; message?: unknown; content_hash?: unknown; memory?: unknown };
      const hash = typeof answer?.content_hash === "string" ? answer.content_hash : isServiceMemory(answer?.memory) ? answer.memory.content_hash : undefined;
      if (answer?.success === true) {
        if (!hash) throw new UnexpectedResponseError(endpoint, "POST /memories succeeded without a content_hash");
        return { id: hash, deduplicated: false };
      }
      if (isDuplicateMessage(answer?.message)) {
        const id = hash ?? serviceContentHash(input.content);
        await mergeIntoExisting(id, input.tags ?? [], ctx);
        return { id, deduplicated: true };
      }
      throw new UnexpectedResponseError(endpoint, `the store was refused: ${quoteRedacted(String(answer?.message ?? "no reason given"), http.redact, MAX_QUOTED_CHARS)}`);
    },

    async search(input: SearchInput, ctx: CallContext): Promise<Memory[]> {
      const own = input.scope === "project" ? ownTag(ctx) : undefined;
      const required = uniqueTags(own ? [own] : [], input.tags).map(normalizeTag);
      const body = { query: input.query, n_results: required.length > 0 ? OVERFETCH : input.limit };
      const res = await http.request({ method: "POST", path: "/search", body, retry: "idempotent" }, ctx);
      const answer = expectOk(res, "POST /search") as { results?: unknown };
      if (!Array.isArray(answer?.results)) throw new UnexpectedResponseError(endpoint, "POST /search returned no results list");
      const hidden = ownTag(ctx);
      const found: SearchResults = [];
      let skipped = 0;
      for (const hit of answer.results as { memory?: unknown; similarity_score?: unknown }[]) {
        if (!isServiceMemory(hit?.memory)) {
          skipped++;
          continue;
        }
        const tags = serviceTags(hit.memory).map(normalizeTag);
        if (!required.every((tag) => tags.includes(tag))) continue;
        found.push(toMemory(hit.memory, hidden, typeof hit.similarity_score === "number" ? hit.similarity_score : undefined));
        if (found.length === input.limit) break;
      }
      if (skipped > 0) found.skipped = skipped;
      return found;
    },

    async list(input: ListInput, ctx: CallContext): Promise<ListResult> {
      const own = ownTag(ctx);
      const tags = uniqueTags(own ? [own] : [], input.tags);
      const query = {
        page: input.page,
        page_size: input.page_size,
        ...(tags.length > 0 && { tag: tags.join(","), tag_match: "all" }),
      };
      const res = await http.request({ method: "GET", path: "/memories", query, retry: "idempotent" }, ctx);
      const answer = expectOk(res, "GET /memories") as { memories?: unknown; total?: unknown; has_more?: unknown };
      if (!Array.isArray(answer?.memories)) throw new UnexpectedResponseError(endpoint, "GET /memories returned no memories list");
      const readable = (answer.memories as unknown[]).filter(isServiceMemory);
      const memories = readable.map((m) => toMemory(m, own));
      const skipped = answer.memories.length - readable.length;
      const total = typeof answer.total === "number" ? answer.total : undefined;
      const hasMore = typeof answer.has_more === "boolean" ? answer.has_more : total !== undefined && input.page * input.page_size < total;
      return { memories, has_more: hasMore, ...(total !== undefined && { total }), ...(skipped > 0 && { skipped }) };
    },

    async get(id: string, ctx: CallContext): Promise<Memory> {
      return toMemory(await ownedRecord(id, ctx), ownTag(ctx));
    },

    async update(input: UpdateInput, ctx: CallContext): Promise<Memory> {
      if (input.content !== undefined) {
        throw new UnsupportedArgumentError(
          NAME,
          "content",
          "a memory's id is the hash of its content. Store the new text with store_memory and delete the old memory instead.",
        );
      }
      rejectProjectTags(input.tags);
      const record = await ownedRecord(input.id, ctx);
      const own = ownTag(ctx);
      const body: Record<string, unknown> = {};
      if (input.tags !== undefined) {
        // Project tags are bookkeeping: a tag edit must not move the memory out of its projects.
        const kept = serviceTags(record).filter(isProjectTag);
        body.tags = uniqueTags(input.tags, kept, own ? [own] : []);
      }
      if (input.type !== undefined) body.memory_type = input.type;
      if (input.metadata !== undefined) body.metadata = input.metadata;
      const path = `/memories/${encodeURIComponent(input.id)}`;
      const res = await http.request({ method: "PUT", path, body, retry: "idempotent" }, ctx);
      if (res.status === 404) throw new MemoryNotFoundError(input.id);
      const answer = expectOk(res, "PUT /memories/{id}") as { memory?: unknown };
      const updated = isServiceMemory(answer) ? answer : isServiceMemory(answer?.memory) ? answer.memory : await fetchRecord(input.id, ctx);
      return toMemory(updated, own);
    },

    async delete(id: string, ctx: CallContext): Promise<void> {
      await ownedRecord(id, ctx);
      const res = await http.request({ method: "DELETE", path: `/memories/${encodeURIComponent(id)}`, retry: "idempotent" }, ctx);
      // Older servers answer 200 {success:false} for a missing record, newer ones 404. After a retry,
      // either most likely means our own earlier attempt deleted it (it existed a moment ago).
      const gone = res.status === 404 || (expectOk(res, "DELETE /memories/{id}") as { success?: unknown })?.success !== true;
      if (gone && res.attempts === 1) throw new MemoryNotFoundError(id);
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
  };

  /**
   * The server stores each text once (its id is a hash of the lower-cased text), so a store of
   * identical content lands on the existing record. In this project's own record, the new tags are
   * added. A record of another project, or an unscoped one, is left alone: tagging it into this
   * project would let this project change or delete what belongs elsewhere.
   */
  async function mergeIntoExisting(id: string, tags: string[], ctx: CallContext): Promise<void> {
    const own = ownTag(ctx);
    if (!own && tags.length === 0) return;
    let record: ServiceMemory;
    try {
      record = await fetchRecord(id, ctx);
    } catch (error) {
      if (error instanceof MemoryNotFoundError) return;
      throw error;
    }
    const existing = serviceTags(record);
    if (own && !existing.includes(own)) throw new DuplicateElsewhereError(id, existing.some(isProjectTag));
    if (tags.every((tag) => existing.includes(tag))) return;
    const path = `/memories/${encodeURIComponent(id)}`;
    const res = await http.request({ method: "PUT", path, body: { tags: uniqueTags(existing, tags) }, retry: "idempotent" }, ctx);
    if (res.status !== 404) expectOk(res, "PUT /memories/{id}");
  }
}

/** `proj:` tags are how projects are kept apart; one set by hand could put a memory into another project. */
function rejectProjectTags(tags: string[] | undefined): void {
  const reserved = tags?.find((tag) => isProjectTag(normalizeTag(tag)));
  if (reserved !== undefined) {
    throw new UnsupportedArgumentError(NAME, "tags", `"${reserved}" starts with "proj:", which is reserved for project scoping. Use another tag.`);
  }
}

/** The server matches tags without regard to case or surrounding spaces; so does the search filter. */
function normalizeTag(tag: string): string {
  return tag.trim().toLowerCase();
}

function ownTag(ctx: CallContext): string | undefined {
  return ctx.project.id ? projectTag(ctx.project.id) : undefined;
}

function isAmbiguous(error: unknown): error is TransportError {
  return (error instanceof UnreachableError || error instanceof DeadlineError) && error.maybeSent;
}


/** The server's `detail`, fit to quote: redacted before it is cut, so no piece of the token survives. */
function detailOf(body: unknown, redact: (text: string) => string): string {
  if (body && typeof body === "object" && "detail" in body) {
    const detail = (body as { detail: unknown }).detail;
    return `: ${quoteRedacted(typeof detail === "string" ? detail : jsonText(detail), redact, MAX_QUOTED_CHARS)}`;
  }
  return "";
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
