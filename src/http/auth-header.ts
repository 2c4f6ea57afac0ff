import type { AuthScheme } from "../core/unions.js";

/** The header a token is sent in, for each scheme (contracts/backends.md). */
export function authHeader(scheme: AuthScheme, token: string): { header: string; value: string } {
  switch (scheme) {
    case "bearer":
      return { header: "authorization", value: `Bearer ${token}` };
    case "token":
      return { header: "authorization", value: `Token ${token}` };
    case "x-api-key":
      return { header: "x-api-key", value: token };
    case "x-mcp-token":
      return { header: "x-mcp-token", value: token };
  }
}
