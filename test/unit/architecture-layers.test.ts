/**
 * The import graph of src/ follows the layers of DESIGN.md: a folder (or top-level file) imports
 * only itself and folders of a lower rank, never one above it nor a sibling of the same rank. So
 * config/, credentials/, http/ and project/ share nothing but core/ and log.ts, and none of them
 * knows about backends/, the session, mcp/ or the commands.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");

/** Lower imports higher never; equal ranks are siblings that must not import each other. */
const RANK: Record<string, number> = {
  core: 0,
  version: 0,
  log: 1,
  config: 2,
  credentials: 2,
  http: 2,
  project: 2,
  discovery: 2,
  invocation: 2,
  backends: 3,
  clients: 3,
  proxy: 3,
  session: 4,
  mcp: 5,
  commands: 6,
  host: 7,
  cli: 8,
  "serve-start": 9,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The folder under src/ a file belongs to, or the name of a top-level file without its extension. */
function unitOf(file: string): string {
  return relative(SRC, file).split(/[\\/]/)[0]!.replace(/\.[jt]s$/, "");
}

/** Relative specifiers of static imports, re-exports and dynamic import()s. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)["'](\.[^"']+)["']/g)) found.push(match[1]!);
  return found;
}

interface Edge {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(SRC)) continue; // package.json (version.ts)
      out.push({ from: unitOf(file), to: unitOf(target), file: relative(SRC, file), specifier });
    }
  }
  return out;
}

describe("the import graph of src/", () => {
  const all = edges();

  it("is read from every source file (the checker itself works)", () => {
    expect(all.length).toBeGreaterThan(100);
    expect(importsOf(`import a from "./a.js";\nexport { b } from "../b.js";\nconst c = await import("./c.js");\nimport "./d.js";`)).toEqual([
      "./a.js",
      "../b.js",
      "./c.js",
      "./d.js",
    ]);
  });

  it("places every folder and top-level file in a layer", () => {
    const units = new Set(all.flatMap((edge) => [edge.from, edge.to]));
    expect([...units].filter((unit) => RANK[unit] === undefined)).toEqual([]);
  });

  it("has no import of a folder above, or of a sibling at the same level", () => {
    const wrong = all
      .filter((edge) => edge.from !== edge.to && RANK[edge.from]! <= RANK[edge.to]!)
      .map((edge) => `${edge.file} imports ${edge.specifier} (${edge.from} → ${edge.to})`);
    expect(wrong).toEqual([]);
  });
});
