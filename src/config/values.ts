import { z } from "zod";

/**
 * The kinds of value a setting can take, as zod schemas: each accepts the text of a flag or an
 * environment variable (and the value of a saved profile) and yields the setting's type, with the
 * words that end a ConfigError when it does not fit.
 */

/** "use a, b or c" */
export function listChoices(values: readonly string[]): string {
  const quoted = [...values];
  const last = quoted.pop();
  return quoted.length === 0 ? `use ${last}` : `use ${quoted.join(", ")} or ${last}`;
}

export const text = z.string().trim().min(1);

/** One of `values`, in any case and with spaces around it. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.string().trim().toLowerCase().pipe(z.enum(values));

const SWITCH_ON = ["1", "true", "yes", "on"] as const;
const SWITCH_OFF = ["0", "false", "no", "off"] as const;

/** A boolean, or one of the switch words. */
export const onOff = z.union([
  z.boolean(),
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum([...SWITCH_ON, ...SWITCH_OFF]))
    .transform((word) => (SWITCH_ON as readonly string[]).includes(word)),
]);
export const switchChoices = `use ${SWITCH_ON.join(", ")} (on) or ${SWITCH_OFF.join(", ")} (off)`;

/** A whole number in [min, max]: `json` as a profile stores it, `text` also from digits in a string. */
export function wholeNumber(min: number, max: number) {
  const json = z.number().int().min(min).max(max);
  return { json, text: z.union([json, z.string().trim().regex(/^\d+$/).transform(Number)]).pipe(json) };
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const headerRecord = z.record(z.string().regex(HEADER_NAME), z.string());

/**
 * Extra HTTP headers, by name: `Name: value` lines (repeated --header), a JSON object's text
 * (MEMORY_BRIDGE_HEADERS) or the object itself (the profile). Only their form is checked here;
 * which names may be sent is the proxy's rule (checkExtraHeaders).
 */
export const headerList = z.union([
  z.array(z.string()).transform((lines, ctx) => {
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      const name = colon > 0 ? line.slice(0, colon).trim() : "";
      if (!HEADER_NAME.test(name)) {
        ctx.addIssue({ code: "custom", message: "not Name: value" });
        return z.NEVER;
      }
      headers[name] = line.slice(colon + 1).trim();
    }
    return headers;
  }),
  z
    .string()
    .transform((json, ctx) => {
      try {
        return JSON.parse(json) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "not JSON" });
        return z.NEVER;
      }
    })
    .pipe(headerRecord),
  headerRecord,
]);
