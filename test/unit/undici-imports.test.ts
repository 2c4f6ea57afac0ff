/**
 * undici's index loads all of undici — fetch, WebSocket, the caches, the mock and proxy agents —
 * and it stays resident (about 8 MB, see src/http/undici-parts.ts). The bundle holds only what it
 * imports, so only undici-parts.ts may import undici's code; everything else imports its types.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");
const PARTS = "http/undici-parts.ts";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Imports of undici (index or deep) that bring code: not `import type`. */
export function undiciValueImports(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\bimport\s+(type\s+)?[^;]*?\bfrom\s+["'](undici(?:\/[^"']*)?)["']/g)) {
    if (match[1] === undefined) found.push(match[2]!);
  }
  for (const match of text.matchAll(/\b(?:import\s*\(|require\s*\()\s*["'](undici(?:\/[^"']*)?)["']/g)) found.push(match[1]!);
  for (const match of text.matchAll(/\bimport\s+["'](undici(?:\/[^"']*)?)["']/g)) found.push(match[1]!);
  return found;
}

describe("undici is imported piece by piece, in one place", () => {
  it("recognizes value imports and ignores type imports", () => {
    expect(undiciValueImports('import { Pool } from "undici";')).toEqual(["undici"]);
    expect(undiciValueImports('import X from "undici/lib/dispatcher/pool.js";')).toEqual(["undici/lib/dispatcher/pool.js"]);
    expect(undiciValueImports('const u = await import("undici");')).toEqual(["undici"]);
    expect(undiciValueImports('import type { Dispatcher } from "undici";')).toEqual([]);
    expect(undiciValueImports('import type * as U from "undici";')).toEqual([]);
  });

  it("only http/undici-parts.ts imports undici's code, and never its index", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const name = relative(SRC, file).split("\\").join("/");
      const imports = undiciValueImports(readFileSync(file, "utf8"));
      if (name === PARTS) {
        expect(imports.length).toBeGreaterThan(0);
        for (const specifier of imports) if (specifier === "undici") offenders.push(`${name}: undici's index`);
      } else {
        for (const specifier of imports) offenders.push(`${name}: ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
