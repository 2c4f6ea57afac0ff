import { detectBackend } from "../discovery/detect.js";
import type { Detection } from "../discovery/types.js";
import { lazyProbeFetch } from "../http/load-probe-fetch.js";

/**
 * Detection as the session and every command run it: the user's --allow-http, and probes sent
 * with the same TLS trust as tool calls (--ca-file). One probe fetch per detector, so its
 * connections are shared between the URLs one discovery run probes.
 */
export function detectorFor(settings: { readonly allowHttp: boolean; readonly caFile?: string | undefined }): (url: string) => Promise<Detection> {
  const fetch = lazyProbeFetch(settings.caFile === undefined ? {} : { caFile: settings.caFile });
  return (url) => detectBackend(url, { allowHttp: settings.allowHttp, fetch });
}
