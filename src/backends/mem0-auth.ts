import { NotAJwtError } from "./errors.js";

/**
 * The one auth header for mem0's self-hosted server: `X-API-Key` by default (the ADMIN_API_KEY or a
 * per-user `m0sk_` key), `Authorization: Bearer` only for a JWT. Generation B reads any Bearer
 * token as a JWT, and a Bearer header wins over X-API-Key, so an API key sent as Bearer would be
 * refused as "Invalid or expired token": never both headers, never a key as Bearer.
 */
export function mem0AuthHeader(token: string, scheme: "x-api-key" | "bearer" = "x-api-key"): { header: string; value: string } {
  if (scheme === "x-api-key") return { header: "x-api-key", value: token };
  if (!looksLikeJwt(token)) throw new NotAJwtError(token.startsWith("m0sk_"));
  return { header: "authorization", value: `Bearer ${token}` };
}

/** Three base64url parts whose first decodes to a JSON header naming an algorithm. */
export function looksLikeJwt(token: string): boolean {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8"));
    return typeof header === "object" && header !== null && typeof (header as { alg?: unknown }).alg === "string";
  } catch {
    return false;
  }
}
