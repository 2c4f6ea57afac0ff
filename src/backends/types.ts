import type { AuthScheme, BackendFlavour } from "../core/unions.js";
import type { HttpClient } from "../http/types.js";
import type { ProjectResolution } from "../project/types.js";

/** The canonical memory shape shared by mcp/ and every backend (contracts/tools.md). */
export interface Memory {
  id: string;
  content: string;
  tags: string[];
  type?: string;
  metadata?: Record<string, unknown>;
  created_at?: string;
  updated_at?: string;
  score?: number;
  /** What could not be read of the server's record (those fields are left out). */
  note?: string;
}

/** Per tool call: one deadline across every HTTP attempt, and the MCP cancellation signal. */
export interface CallContext {
  /** Absolute time (ms since epoch, same clock as Date.now()) by which the whole call must end. */
  deadline: number;
  /** Aborted when the client cancels the call (notifications/cancelled). */
  signal: AbortSignal;
  /** The configured per-call timeout behind `deadline` (for messages). */
  timeoutMs?: number;
  /** The project in force for this call. id null = global mode (no scoping). */
  project: ProjectResolution;
  /** Keeps a large answer's memory permit until the call's reply is written (see RequestContext). */
  retain?: (release: () => void) => void;
}

export interface StoreInput {
  content: string;
  tags?: string[];
  type?: string;
  metadata?: Record<string, unknown>;
}
/**
 * What one store did. mem0 backends report every memory the server's fact extraction created,
 * changed or removed; `ids` then lists the ADD and UPDATE ones, `changes` all of them.
 */
export interface StoreResult {
  id: string;
  deduplicated: boolean;
  /** Never set: tells a finished store from a PendingStore. */
  pending?: undefined;
  /** Every memory the text became, when the server split it (its chunks), in order. */
  ids?: string[];
  /** How many parts the server says it split the text into (may be more than `ids` found). */
  chunks?: number;
  /** The type the server stored, when it is not the one asked for (`requestedType`). */
  type?: string;
  requestedType?: string;
  /** Each memory the server's extraction added, updated or deleted, in its order (mem0). */
  changes?: StoreChange[];
}

/** One change a store made, as mem0 reports it (`results[].event`). */
export interface StoreChange {
  id: string;
  event: "ADD" | "UPDATE" | "DELETE";
  /** The memory's text after the change; for DELETE the text that was removed. */
  content?: string;
  /** UPDATE: the text it replaced. */
  previous?: string;
}

/**
 * An asynchronous store (the mem0 platform) still running when the call's deadline came: the
 * server accepted it as `eventId`; the memories appear once it finishes.
 */
export interface PendingStore {
  pending: true;
  eventId: string;
}

export type StoreOutcome = StoreResult | PendingStore;

export interface SearchInput {
  query: string;
  limit: number;
  tags?: string[];
  scope: "project" | "all";
}

export interface ListInput {
  page: number;
  page_size: number;
  tags?: string[];
}
export interface ListResult {
  memories: Memory[];
  has_more: boolean;
  total?: number;
  /** Records left out because they had no readable id or text. */
  skipped?: number;
  /**
   * Set when the server could not list everything: it returns at most this many records in one
   * listing (mem0: 1,000; its older server: 100), so pages past them, or records it left out, are missing.
   */
  cappedAt?: number;
}

/** Search hits, best first; `skipped` counts records left out because they had no readable id or text. */
export type SearchResults = Memory[] & { skipped?: number };

export interface UpdateInput {
  id: string;
  content?: string;
  tags?: string[];
  type?: string;
  metadata?: Record<string, unknown>;
}

export interface HistoryEvent {
  event: string;
  old_content?: string;
  new_content?: string;
  at: string;
}

export interface BackendStatus {
  reachable: boolean;
  latency_ms?: number;
  /** What the server says about itself: version, storage backend, memory count. */
  server?: Record<string, unknown>;
  /** true: an authenticated call succeeded; false: it was refused; undefined: not checked (unreachable). */
  tokenAccepted?: boolean;
  /** The failure behind reachable: false or tokenAccepted: false. */
  error?: Error;
}

export interface BackendCapabilities {
  history: boolean;
  /** Whether update_memory may change `content`. */
  updateContent: boolean;
}

/**
 * One server flavour's HTTP API, seen through canonical operations. `Stored` is what a store can
 * come back with: only asynchronous servers (the mem0 platform) answer a PendingStore, so callers
 * that handle one take a `MemoryBackend<StoreOutcome>`.
 */
export interface MemoryBackend<Stored extends StoreOutcome = StoreResult> {
  readonly flavour: BackendFlavour;
  readonly capabilities: BackendCapabilities;
  /** Throws NothingStoredError when the server kept nothing, AmbiguousStoreError when the outcome is unknown. */
  store(input: StoreInput, ctx: CallContext): Promise<Stored>;
  search(input: SearchInput, ctx: CallContext): Promise<SearchResults>;
  list(input: ListInput, ctx: CallContext): Promise<ListResult>;
  /** Throws MemoryNotFoundError / WrongProjectError (OtherUserMemoryError where records have owners). */
  get(id: string, ctx: CallContext): Promise<Memory>;
  update(input: UpdateInput, ctx: CallContext): Promise<Memory>;
  delete(id: string, ctx: CallContext): Promise<void>;
  history?(id: string, ctx: CallContext): Promise<HistoryEvent[]>;
  /** Reachability (public health check) and whether the token is accepted. Never throws. */
  status(ctx: Omit<CallContext, "project">): Promise<BackendStatus>;
  /** One authenticated call that proves the token works; returns what the server says about itself. Throws AuthError etc. */
  verifyToken(ctx: Omit<CallContext, "project">): Promise<Record<string, unknown>>;
  /**
   * Whether the token may write, found out without writing anything (`server`: what verifyToken
   * returned). Absent when the server has no way to tell short of a write.
   */
  checkWriteAccess?(ctx: Omit<CallContext, "project">, server: Readonly<Record<string, unknown>>): Promise<WriteAccess>;
}

/**
 * granted / denied: the server said so (`how`: how that is known, e.g. "asked with GET …"). unchecked: it could not be asked — `old-server` (a version
 * whose read-only probe needs no write scope), `no-probe` (the probe's route is not there), or
 * `probe-failed` (it answered something else; `detail` says what).
 */
export type WriteAccess = { result: "granted" | "denied"; how: string } | { result: "unchecked"; reason: "old-server" | "no-probe" | "probe-failed"; detail?: string };



/** The settings a backend may read when it is created (mem0's user id and fact extraction). */
export interface BackendOptions {
  userId: string;
  mem0Infer: boolean;
}

/** What the bridge needs to know about one server flavour: its line in registry.ts (see README.md). */
export interface BackendDefinition {
  /** The header scheme the server expects when --auth-scheme does not say (contracts/backends.md). */
  defaultAuthScheme: AuthScheme;
  /** The endpoint when none is configured (the mem0 platform's public address); else mcp-memory-service's default. */
  defaultEndpoint?: string;
  /** What the flavour's backend can do, known before it is opened (decides the tool list). */
  capabilities: BackendCapabilities;
  /** The header the token goes in, when the flavour restricts the scheme's generic one (mem0: Bearer only for a JWT). */
  authHeader?(scheme: AuthScheme, token: string): { header: string; value: string };
  /** The backend over a client for the server's endpoint. */
  create(http: HttpClient, options: BackendOptions): MemoryBackend<StoreOutcome>;
}
