import { isObject, parseJson } from "./json.js";

/**
 * `info.title` and `info.version` of an openapi.json, from at most the first bytes of it.
 * mcp-memory-service's document is larger than a probe reads, but FastAPI writes `info` right
 * after `openapi`, so the object is cut out of the prefix and parsed alone.
 */

export interface OpenapiInfo {
  title?: string;
  version?: string;
}

const INFO_KEY = /"info"\s*:\s*\{/;

export function openapiInfo(text: string): OpenapiInfo {
  const whole = parseJson(text);
  if (isObject(whole)) return infoFields(whole.info);
  const match = INFO_KEY.exec(text);
  if (match === null) return {};
  const start = match.index + match[0].length - 1;
  const end = endOfObject(text, start);
  return end === undefined ? {} : infoFields(parseJson(text.slice(start, end)));
}

function infoFields(info: unknown): OpenapiInfo {
  if (!isObject(info)) return {};
  const out: OpenapiInfo = {};
  if (typeof info.title === "string") out.title = info.title;
  if (typeof info.version === "string") out.version = info.version;
  return out;
}

/** Index just past the `}` closing the object that opens at `start`, or undefined when the text ends first. */
function endOfObject(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}
