import type { OpenedBackend } from "../backends/open-backend.js";
import type { MemoryBackend } from "../backends/types.js";
import type { SessionToken } from "./token.js";

export interface BackendConnectionDeps {
  /** Opens the backend (and its connection pool) with a token: openBackend with the settings bound. */
  open(token: string | undefined): Promise<OpenedBackend>;
  token: SessionToken;
  /** How long a call may still run on a pool that was replaced. */
  timeoutMs: number;
}

/**
 * The backend and its connection pool, opened on first use with the token in force and kept. A
 * failed open (no endpoint, a refused http:// URL) is not kept, so the next call tries again.
 * When the token changes, the next call gets a new pool; the old one closes once the calls still
 * running on it have passed their deadline.
 */
export class BackendConnection {
  private opened?: Promise<OpenedBackend>;
  private openedFor = 0;

  constructor(private readonly deps: BackendConnectionDeps) {}

  async get(): Promise<MemoryBackend> {
    if (this.opened && this.openedFor !== this.deps.token.version) this.retire();
    if (!this.opened) {
      this.openedFor = this.deps.token.version;
      const opening = this.deps.token.get().then(({ token }) => this.deps.open(token));
      opening.catch(() => {
        if (this.opened === opening) this.opened = undefined;
      });
      this.opened = opening;
    }
    return (await this.opened).backend;
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    await (await opened?.catch(() => undefined))?.close();
  }

  private retire(): void {
    const old = this.opened;
    this.opened = undefined;
    setTimeout(() => void old?.then((backend) => backend.close()).catch(() => undefined), this.deps.timeoutMs + 1_000).unref();
  }
}
