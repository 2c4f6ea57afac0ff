import type * as Undici from "undici";
import AgentClass from "undici/lib/dispatcher/agent.js";
import DispatcherClass from "undici/lib/dispatcher/dispatcher.js";
import PoolClass from "undici/lib/dispatcher/pool.js";
import dispatcherApi from "undici/lib/api/index.js";

/**
 * The parts of undici the bridge uses, imported one by one. undici's index loads all of it as it
 * loads — fetch, WebSocket, EventSource, the caches, the mock agents, the proxy agents — and that
 * stays resident: about 8 MB of RSS after one request (measured: 62 MB through the index, 54 MB
 * through these modules, bare node 42 MB).
 *
 * `request()` and the other methods of a dispatcher are added to its prototype by undici's index;
 * without the index, this module adds them, as the index does.
 */
Object.assign(DispatcherClass.prototype, dispatcherApi);

export const Pool: typeof Undici.Pool = PoolClass;
export const Agent: typeof Undici.Agent = AgentClass;
export type Pool = Undici.Pool;
export type Agent = Undici.Agent;
