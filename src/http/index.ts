export { createHttpClient } from "./client.js";
export {
  AuthError,
  CaFileError,
  CancelledError,
  DeadlineError,
  InsecureEndpointError,
  InvalidEndpointError,
  RateLimitedError,
  RedirectError,
  ResponseFormatError,
  ResponseTooLargeError,
  ServerError,
  TlsError,
  TransportError,
  UnreachableError,
  UnsafePathError,
} from "./errors.js";
export type { RedirectProblem, TransportErrorInit } from "./errors.js";
export { assertTransportAllowed, canonicalEndpoint, isLoopbackHost, parseEndpoint } from "./url.js";
export { backoffDelay, isRetryable, mayHaveBeenProcessed, parseRetryAfter } from "./retry.js";
export type { AttemptFailure } from "./retry.js";
export { extractServerReason } from "./server-reason.js";
export type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse, RequestContext, RetryClass } from "./types.js";
