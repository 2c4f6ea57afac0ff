import type { Settings } from "../../config/settings.js";
import { BridgeError } from "../../core/errors.js";
import type { AuthScheme } from "../../core/unions.js";
import type { Logger } from "../../log.js";
import { proxyFailureText } from "../../mcp/proxy-messages.js";
import { authHeadersFor } from "../../proxy/auth-headers.js";
import type { ProxyFact } from "../../proxy/errors.js";
import { checkRemoteToken, detectRemoteMcp } from "../../proxy/probe-remote.js";
import { extraHeaders, probeOptions } from "./remote-mcp.js";

export interface RemoteMcpLogin {
  scheme: AuthScheme;
  headers: Record<string, string>;
  /** "the Mem0 MCP server 1.0.0" */
  about: string;
}

/**
 * login for a remote MCP server: what answers (and so the default scheme), then the token checked
 * with the cheapest authenticated call it offers. `rejected`: the server refused the token (the
 * sentence to show); any other failure throws its sentence. Either way the token must not be stored.
 */
export async function checkRemoteMcpLogin(
  input: { settings: Readonly<Settings>; endpoint: string; token: string; logger: Logger; command: string },
): Promise<RemoteMcpLogin | { rejected: string }> {
  const { settings, endpoint, token, logger, command } = input;
  const probe = probeOptions(settings, endpoint, logger);
  const extra = extraHeaders(settings, token);
  if ("problem" in extra) throw new BridgeError(`${extra.problem} The token was not stored.`);
  const detected = await detectRemoteMcp(probe);
  if (detected.status === "failed") throw notStored(detected.fact, command);
  const scheme = settings.authScheme ?? detected.defaultScheme;
  const auth = authHeadersFor(scheme, token, settings.userId);
  const check = await checkRemoteToken({ ...probe, credentials: { secret: auth.secret, plain: { ...extra.headers, ...auth.plain } } });
  if (check.status === "rejected") {
    const reason = check.fact.reason === undefined ? "" : ` (${firstSentence(check.fact.reason)})`;
    const status = check.fact.status === undefined ? "" : ` ${check.fact.status}`;
    return {
      rejected: `The server at ${endpoint} rejected the token${status}${reason}; the token was not stored. Check it${scheme === "x-mcp-token" ? " and --user-id" : ""} and try again.`,
    };
  }
  if (check.status === "failed") throw notStored(check.fact, command);
  const kind = check.serverKind === "mem0-mcp" ? "the Mem0 MCP server" : "remote MCP server";
  return { scheme, headers: extra.headers, about: `${kind} ${check.serverInfo.name} ${check.serverInfo.version}, ${check.tools} tools` };
}

function notStored(fact: ProxyFact, command: string): BridgeError {
  return new BridgeError(`${proxyFailureText(fact, command)} The token was not stored.`);
}

/** The server's reason up to its first full stop (the Mem0 MCP server goes on about its own env variable). */
function firstSentence(reason: string): string {
  const text = reason.replace(/^❌\s*/, "").replace(/\s+/g, " ").trim();
  const end = text.search(/\.(\s|$)/);
  return (end === -1 ? text : text.slice(0, end)).slice(0, 200);
}
