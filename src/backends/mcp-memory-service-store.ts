import { randomUUID } from "node:crypto";
import { quoteRedacted } from "../core/secrets.js";
import { DeadlineError, TransportError, UnreachableError } from "../http/errors.js";
import type { HttpClient, HttpResponse } from "../http/types.js";
import {
  AmbiguousStoreError,
  DuplicateElsewhereError,
  MemoryNotFoundError,
  RefusedChangeError,
  RequestTooLargeError,
  SimilarMemoryError,
  UnconfirmedDuplicateError,
  UnexpectedResponseError,
  UnsupportedArgumentError,
} from "./errors.js";
import { serviceMetadata, serviceTags, serviceType, type ServiceMemory } from "./mcp-memory-service-mapping.js";
import { ChangeAnswer, FIELDS, ListAnswer, read, SearchAnswer, SearchHit, ServiceRecord, StoreAnswer } from "./mcp-memory-service-schemas.js";
import { isProjectTag, projectTag, uniqueTags } from "./project-tag.js";
import { serviceContentHash } from "./service-content-hash.js";
import { assertBodyFits, MAX_SERVICE_BODY_BYTES, memoryPath } from "./service-limits.js";
import { classifyStoreAnswer } from "./service-store-answer.js";
import { MAX_SERVICE_TAGS, metadataTags, normalizeServiceTags } from "./service-tags.js";
import type { CallContext, StoreInput, StoreResult } from "./types.js";

export const SERVICE_NAME = "mcp-memory-service";

/**
 * Sent with every store, so the server skips its semantic dedup (which turns away a *different*
 * text as "similar" to one stored in the last 24 hours, storing nothing) while exact dedup, which
 * makes retries safe, stays. One per bridge process; the prefix marks it as the bridge's own.
 */
export const CONVERSATION_ID_PREFIX = "mcp-memory-bridge-";
const PROCESS_CONVERSATION_ID = `${CONVERSATION_ID_PREFIX}${randomUUID()}`;

/** A semantic search for a chunked text's parts gets its opening: the first part is about that long. */
const CHUNK_QUERY_CHARS = 1_000;
const MAX_PAGE_SIZE = 100;

/** What the store needs from the backend around it. */
export interface ServiceCalls {
  http: HttpClient;
  /** GET /memories/{id}; MemoryNotFoundError on 404. */
  fetchRecord(id: string, ctx: CallContext): Promise<ServiceMemory>;
  /** The body of a 2xx answer; anything else is an UnexpectedResponseError naming `call`. */
  expectOk(res: HttpResponse, call: string): unknown;
}

export function ownTag(ctx: CallContext): string | undefined {
  return ctx.project.id ? projectTag(ctx.project.id) : undefined;
}

/** `proj:` tags are how projects are kept apart; one set by hand could put a memory into another project. */
export function rejectProjectTags(tags: readonly string[], argument: string): void {
  const reserved = tags.find((tag) => isProjectTag(normalizeServiceTags([tag])[0] ?? ""));
  if (reserved !== undefined) {
    throw new UnsupportedArgumentError(SERVICE_NAME, argument, `"${reserved}" starts with "proj:", which is reserved for project scoping. Use another tag.`);
  }
}

/** The server said no (`success: false`): its reason, redacted before it is cut, in a RefusedChangeError. */
export function refusedChange(http: HttpClient, change: string, reason: unknown): RefusedChangeError {
  return new RefusedChangeError(http.endpoint, change, quoteRedacted(String(reason ?? "no reason given"), http.redact, 300));
}

/** The bridge's own conversation id is bookkeeping, like the project tag: not shown back. */
export function withoutBridgeConversation(metadata: unknown): unknown {
  const object = read(FIELDS.metadata, metadata);
  const id = read(FIELDS.text, object?.conversation_id);
  if (object === undefined || id === undefined || !id.startsWith(CONVERSATION_ID_PREFIX)) return metadata;
  const { conversation_id: _bridge, ...rest } = object;
  return rest;
}

export function createServiceStore(calls: ServiceCalls, conversationId = PROCESS_CONVERSATION_ID) {
  const { http } = calls;
  const endpoint = http.endpoint;

  return async function store(input: StoreInput, ctx: CallContext): Promise<StoreResult> {
    const own = ownTag(ctx);
    const { body, tags } = storeBody(input, own, conversationId);
    let res: HttpResponse;
    try {
      // The server deduplicates identical content, so a retried store cannot create a second record.
      res = await http.request({ method: "POST", path: "/memories", body, retry: "idempotent" }, ctx);
    } catch (error) {
      if (isAmbiguous(error)) throw new AmbiguousStoreError(endpoint, error, true);
      throw error;
    }
    if (res.status === 413) throw new RequestTooLargeError(undefined, MAX_SERVICE_BODY_BYTES);
    const answer = StoreAnswer.parse(calls.expectOk(res, "POST /memories"));
    const memory = answer.memory;
    const hash = answer.content_hash ?? memory?.content_hash;
    if (answer.success === true && !hash) throw new UnexpectedResponseError(endpoint, "POST /memories succeeded without a content_hash");

    const verdict = classifyStoreAnswer(answer.success, answer.message, hash);
    // Only a split or a duplicate text needs its hash: most stores never compute it.
    const originalHash = () => serviceContentHash(input.content);
    switch (verdict.kind) {
      case "stored": {
        const result: StoreResult = { id: verdict.id, deduplicated: false, ...typeChange(input.type, serviceType(memory)) };
        if (verdict.chunks === undefined) return result;
        const parts = await newestChunks(originalHash(), verdict.chunks, own, ctx).catch(() => []);
        return { ...result, chunks: verdict.chunks, ids: parts.length > 0 ? parts.map((part) => part.content_hash) : [verdict.id] };
      }
      case "exact-duplicate": {
        const records =
          verdict.chunks === undefined
            ? [await existingRecord(originalHash(), ctx)]
            : await searchedChunks(input.content, originalHash(), ctx);
        if (records.length === 0) throw new UnconfirmedDuplicateError(undefined);
        await mergeIntoExisting(records, tags, ctx);
        return {
          id: records[0]!.content_hash,
          deduplicated: true,
          ...(verdict.chunks !== undefined && { chunks: verdict.chunks, ids: records.map((record) => record.content_hash) }),
          ...typeChange(input.type, serviceType(records[0])),
        };
      }
      case "semantic-duplicate":
        throw await similarMemoryError(verdict.similarTo, ctx);
      case "refused":
        throw refusedChange(http, "Nothing was stored", verdict.reason);
    }
  };

  async function existingRecord(id: string, ctx: CallContext): Promise<ServiceMemory> {
    try {
      return await calls.fetchRecord(id, ctx);
    } catch (error) {
      // Never report a dedup with an id that does not exist.
      if (error instanceof MemoryNotFoundError) throw new UnconfirmedDuplicateError(id);
      throw error;
    }
  }

  /**
   * The same text is already stored, as one record or as chunks. This project's own records get the
   * new tags. A record of another project, or an unscoped one, is left alone: tagging it into this
   * project would let this project change or delete what belongs elsewhere.
   */
  async function mergeIntoExisting(records: ServiceMemory[], tags: string[], ctx: CallContext): Promise<void> {
    const own = ownTag(ctx);
    for (const record of records) {
      const existing = serviceTags(record);
      if (own && !existing.includes(own)) throw new DuplicateElsewhereError(record.content_hash, existing.some(isProjectTag));
    }
    for (const record of records) {
      const existing = serviceTags(record);
      if (tags.every((tag) => existing.includes(tag))) continue;
      const res = await http.request({ method: "PUT", path: memoryPath(record.content_hash), body: { tags: uniqueTags(existing, tags) }, retry: "idempotent" }, ctx);
      if (res.status === 404) continue;
      const answer = ChangeAnswer.parse(calls.expectOk(res, "PUT /memories/{id}"));
      if (answer.success === false) {
        throw refusedChange(http, `Memory ${record.content_hash} already holds this text, but its new tags were not added`, answer.message);
      }
    }
  }

  /** The chunks a store just made: the newest records of this scope carrying the text's hash. */
  async function newestChunks(originalHash: string, total: number, own: string | undefined, ctx: CallContext): Promise<ServiceMemory[]> {
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, total));
    const found = new Map<string, ServiceMemory>();
    // One page more than the chunks need, for writes that landed in between.
    const pages = Math.ceil(total / pageSize) + 1;
    for (let page = 1; page <= pages && found.size < total; page++) {
      const query = { page, page_size: pageSize, ...(own && { tag: own, tag_match: "all" }) };
      const res = await http.request({ method: "GET", path: "/memories", query, retry: "idempotent" }, ctx);
      const answer = read(ListAnswer, calls.expectOk(res, "GET /memories"));
      if (answer === undefined) break;
      for (const value of answer.memories) {
        const record = chunkOf(value, originalHash);
        if (record) found.set(record.content_hash, record);
      }
      if (answer.has_more !== true) break;
    }
    return inChunkOrder([...found.values()]);
  }

  /** The chunks of a text stored earlier, found by meaning: the first chunk starts with the text's opening. */
  async function searchedChunks(content: string, originalHash: string, ctx: CallContext): Promise<ServiceMemory[]> {
    const body = { query: content.slice(0, CHUNK_QUERY_CHARS), n_results: MAX_PAGE_SIZE };
    const res = await http.request({ method: "POST", path: "/search", body, retry: "idempotent" }, ctx);
    const results = read(SearchAnswer, calls.expectOk(res, "POST /search"))?.results ?? [];
    const found = new Map<string, ServiceMemory>();
    for (const hit of results) {
      const record = chunkOf(read(SearchHit, hit)?.memory, originalHash);
      if (record) found.set(record.content_hash, record);
    }
    return inChunkOrder([...found.values()]);
  }

  /** Nothing was stored; the similar memory is named (with its text) only when it is the caller's own. */
  async function similarMemoryError(id: string, ctx: CallContext): Promise<SimilarMemoryError> {
    let record: ServiceMemory;
    try {
      record = await calls.fetchRecord(id, ctx);
    } catch {
      return new SimilarMemoryError(undefined, false);
    }
    const own = ownTag(ctx);
    const tags = serviceTags(record);
    const visible = own ? tags.includes(own) : !tags.some(isProjectTag);
    return visible ? new SimilarMemoryError({ id: record.content_hash, content: record.content }, false) : new SimilarMemoryError(undefined, true);
  }
}

/**
 * The POST body: tags normalised as the server will store them, `metadata.tags` merged into them
 * (as the server would, unchecked), reserved tags refused wherever they come from, and the size
 * checked against the server's cap. Returns the user's tags too, for a dedup's tag merge.
 */
function storeBody(input: StoreInput, own: string | undefined, conversationId: string): { body: Record<string, unknown>; tags: string[] } {
  const given = input.tags ?? [];
  const fromMetadata = metadataTags(input.metadata?.tags);
  rejectProjectTags(given, "tags");
  rejectProjectTags(fromMetadata, "metadata.tags");
  const tags = normalizeServiceTags([...given, ...fromMetadata]);
  const allTags = uniqueTags(tags, own ? [own] : []);
  if (allTags.length > MAX_SERVICE_TAGS) {
    throw new UnsupportedArgumentError(SERVICE_NAME, "tags", `the server keeps at most ${MAX_SERVICE_TAGS} tags per memory, counting metadata.tags and the project's own tag.`);
  }
  const { tags: _merged, ...metadata } = input.metadata ?? {};
  // A conversation id of the user's own is kept (the server would overwrite it with ours); it skips semantic dedup as well.
  const usersConversation = typeof metadata.conversation_id === "string" && metadata.conversation_id ? metadata.conversation_id : undefined;
  const body = {
    content: input.content,
    tags: allTags,
    ...(input.type !== undefined && { memory_type: input.type }),
    metadata,
    conversation_id: usersConversation ?? conversationId,
  };
  assertBodyFits(body);
  return { body, tags };
}

function typeChange(requested: string | undefined, stored: string | undefined): Pick<StoreResult, "type" | "requestedType"> {
  return requested !== undefined && stored && stored !== requested ? { type: stored, requestedType: requested } : {};
}

/** `value` when it is a record of one of the chunks `originalHash`'s text was split into. */
function chunkOf(value: unknown, originalHash: string): ServiceMemory | undefined {
  const record = read(ServiceRecord, value);
  return record && read(FIELDS.text, serviceMetadata(record)?.original_hash) === originalHash ? record : undefined;
}

function inChunkOrder(records: ServiceMemory[]): ServiceMemory[] {
  const index = (record: ServiceMemory) => read(FIELDS.chunk_index, serviceMetadata(record)?.chunk_index) ?? Number.MAX_SAFE_INTEGER;
  return records.sort((a, b) => index(a) - index(b));
}

function isAmbiguous(error: unknown): error is TransportError {
  return (error instanceof UnreachableError || error instanceof DeadlineError) && error.maybeSent;
}
