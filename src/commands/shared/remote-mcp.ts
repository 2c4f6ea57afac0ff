import type { Settings } from "../../config/settings.js";
import { PROXY_BACKEND } from "../../core/unions.js";
import type { Logger } from "../../log.js";
import { authHeadersFor, checkExtraHeaders, type HeaderProblem } from "../../proxy/auth-headers.js";
import type { ProbeOptions } from "../../proxy/probe-remote.js";
import type { ProxyCredentials } from "../../proxy/types.js";
import type { SessionToken } from "../../session/token.js";

/**
 * The remote MCP server mode (--backend mcp) as the commands see it: when it applies, the extra
 * headers checked, and the credentials read from the session's token lookup.
 */

/** --backend mcp, or auto with an endpoint whose path ends in /mcp (mcp-memory-service's and the Mem0 MCP server's). */
export function usesRemoteMcp(settings: Pick<Settings, "backend" | "endpoint">): boolean {
  if (settings.backend === PROXY_BACKEND) return true;
  if (settings.backend !== "auto" || settings.endpoint === undefined) return false;
  return /\/mcp\/?$/.test(new URL(settings.endpoint).pathname);
}

/** How login, status and doctor look at the server: the settings' transport rules and deadline. */
export function probeOptions(settings: Pick<Settings, "allowHttp" | "timeoutMs" | "caFile">, endpoint: string, logger: Logger): ProbeOptions {
  return {
    endpoint,
    logger,
    allowHttp: settings.allowHttp,
    timeoutMs: settings.timeoutMs,
    ...(settings.caFile === undefined ? {} : { caFile: settings.caFile }),
  };
}

/** The sentence for a header --header or MEMORY_BRIDGE_HEADERS may not send. */
export function headerProblemText(problem: HeaderProblem): string {
  switch (problem.kind) {
    case "malformed":
      return `Invalid header "${problem.input}": write it as --header "Name: value".`;
    case "invalid-value":
      return `Invalid header ${problem.name}: its value may not contain line breaks.`;
    case "reserved":
      return problem.use === undefined
        ? `The header ${problem.name} is set by the bridge itself and cannot be given with --header.`
        : `The header ${problem.name} is set by the bridge from the stored token: use ${problem.use} instead of --header.`;
    case "credential":
      return `The header ${problem.name} looks like a credential: tokens are kept in the keychain (login URL), never given with --header.`;
    case "carries-token":
      return `The header ${problem.name} contains the token: tokens are kept in the keychain (login URL), never given with --header.`;
  }
}

/** The extra headers, or the sentence saying why one of them cannot be sent. */
export function extraHeaders(settings: Pick<Settings, "headers">, token?: string): { headers: Record<string, string> } | { problem: string } {
  const checked = checkExtraHeaders(settings.headers ?? {}, token);
  return checked.ok ? { headers: checked.headers } : { problem: headerProblemText(checked.problem) };
}

/**
 * The proxy's credentials from the session's token (env > keychain > file); `refresh` looks again,
 * for a token stored by a `login` since. A header that would carry the token is left out.
 */
export function proxyCredentials(
  token: SessionToken,
  settings: Pick<Settings, "userId" | "headers" | "authScheme" | "backend">,
  scheme: NonNullable<Settings["authScheme"]>,
  logger: Logger,
): (options?: { refresh?: boolean }) => Promise<ProxyCredentials> {
  return async ({ refresh } = {}) => {
    if (refresh) await token.refresh(token.version);
    const { token: value } = await token.get();
    const extra = extraHeaders(settings, value);
    if ("problem" in extra) logger.warn(`${extra.problem} The extra headers are not sent.`);
    const plainExtra = "headers" in extra ? extra.headers : {};
    if (value === undefined) return { secret: {}, plain: { ...plainExtra } };
    const auth = authHeadersFor(scheme, value, settings.userId);
    return { secret: auth.secret, plain: { ...plainExtra, ...auth.plain } };
  };
}
