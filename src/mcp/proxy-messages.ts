import type { ProxyFact } from "../proxy/errors.js";
import { tokenOwnerIn } from "../proxy/mem0-mcp.js";
import type { ProxyStatus, ProxyWords } from "../proxy/types.js";

/**
 * The sentences a person or a model reads about a remote MCP server (--backend mcp): each says
 * what failed and what to do next, never a token. `command` names the bridge as this run was
 * started (invocationOf(ctx).name), so the commands printed run as printed.
 */

export function proxyFailureText(fact: ProxyFact, command: string): string {
  const at = fact.endpoint;
  const login = `Run: ${command} login ${at}`;
  switch (fact.code) {
    case "unavailable":
      return `The memory server at ${at} is not reachable${fact.cause ? ` (${fact.cause})` : ""}; nothing was sent. Check that it is running, then try again (${command} status shows what the bridge sees).`;
    case "auth-rejected":
      return authText(fact, login);
    case "outcome-unknown":
      return `The connection to ${at} broke after the ${fact.method === "tools/call" ? "call" : `${fact.method} request`} was sent${fact.cause ? ` (${fact.cause})` : ""}: it may or may not have run. Check its effect before repeating it.`;
    case "deadline":
      return fact.sent
        ? `The memory server at ${at} did not answer within ${seconds(fact.timeoutMs)}: the call may or may not have run. Check its effect before repeating it, or raise --timeout.`
        : `No connection to the memory server at ${at} within ${seconds(fact.timeoutMs)}; nothing was sent. Check that it is running, then try again.`;
    case "too-large":
      return `The answer from ${at} was larger than ${Math.round(fact.limitBytes / 1024)} KiB and was cut off; ask for less (a narrower search or a smaller limit), or raise --max-response-bytes.`;
    case "redirect-refused":
      return fact.targetOrigin === undefined
        ? `The memory server at ${at} redirected too many times; set the endpoint to the final URL.`
        : `The memory server at ${at} redirected to another origin (${fact.targetOrigin}); the bridge does not follow it, so that the token stays with its endpoint. Set the endpoint to the final URL instead.`;
    case "http-status":
      return `The memory server at ${at} answered HTTP ${fact.status}${fact.reason ? ` (${clip(fact.reason)})` : ""}; check the endpoint URL (an MCP endpoint usually ends in /mcp).`;
    case "protocol":
      return `The server at ${at} does not speak MCP as the bridge expects (${clip(fact.detail)}); check the endpoint URL and --backend.`;
  }
}

function authText(fact: Extract<ProxyFact, { code: "auth-rejected" }>, login: string): string {
  const at = fact.endpoint;
  if (!fact.tokenSent) {
    return `Authentication required at ${at}: no token is stored for this endpoint, so none was sent. ${login}`;
  }
  const owner = fact.reason === undefined ? undefined : tokenOwnerIn(fact.reason);
  if (owner !== undefined) {
    return `The memory server at ${at} accepted the token but not the user id: the token belongs to '${owner}'. Set --user-id ${owner} (or MEMORY_BRIDGE_USER_ID), or ${login.charAt(0).toLowerCase()}${login.slice(1)} with a token of your own.`;
  }
  const said = fact.reason === undefined ? "" : ` (${firstSentence(fact.reason)})`;
  const status = fact.status === undefined ? "" : ` (${fact.status})`;
  return `Authentication failed${status} at ${at}: the server rejected the token${said}. ${login}`;
}

export function proxyStatusText(status: ProxyStatus, command: string): string {
  const kind = status.server_kind === "mem0-mcp" ? "the Mem0 MCP server" : "a remote MCP server";
  const lines = [`Endpoint: ${status.endpoint} (${kind}, proxied by mcp-memory-bridge ${status.version})`];
  if (status.session) {
    const latency = status.latency_ms === undefined ? "" : `, ${status.latency_ms} ms`;
    lines.push(`Reachable: yes${latency}; MCP session established over ${status.transport === "sse" ? "the legacy SSE transport" : "Streamable HTTP"}`);
  } else {
    lines.push(`Reachable: ${status.reachable ? "yes, but no MCP session" : "no"}`);
  }
  if (status.server) lines.push(`Server: ${status.server.name} ${status.server.version}`);
  if (status.tools !== undefined) lines.push(`Tools: ${status.tools} from the server, plus memory_status`);
  const token = status.token_accepted === undefined ? "not checked" : status.token_accepted ? "accepted" : "rejected";
  lines.push(`Token: ${token}`);
  if (status.problem) lines.push(`Problem: ${proxyFailureText(status.problem, command)}`);
  return lines.join("\n");
}

export function proxyWordsFor(command: string): ProxyWords {
  return { failure: (fact) => proxyFailureText(fact, command), status: (status) => proxyStatusText(status, command) };
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return clip(end === -1 ? text : text.slice(0, end));
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 199)}…` : oneLine;
}
