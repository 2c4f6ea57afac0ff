// undici's own types describe only its index; these are the modules http/undici-parts.ts loads
// directly, typed as the index exports them.
declare module "undici/lib/dispatcher/agent.js" {
  const Agent: typeof import("undici").Agent;
  export default Agent;
}
declare module "undici/lib/dispatcher/dispatcher.js" {
  const Dispatcher: typeof import("undici").Dispatcher;
  export default Dispatcher;
}
declare module "undici/lib/dispatcher/pool.js" {
  const Pool: typeof import("undici").Pool;
  export default Pool;
}
declare module "undici/lib/api/index.js" {
  const api: Pick<import("undici").Dispatcher, "request" | "stream" | "pipeline" | "connect" | "upgrade">;
  export default api;
}
