/** The benchmark's one table: aligned columns, a blank line between sections, ✓/✗ where a target is judged. */

export const COLUMNS = ["what", "way", "p50", "p99", "c=16", "CPU/call", "result", "target"] as const;
export type Column = (typeof COLUMNS)[number];

export interface Row {
  section: string;
  cells: Partial<Record<Column, string>>;
  /** Whether the row's target is met; undefined when it has none. */
  ok?: boolean;
}

const HEADERS: Record<Column, string> = {
  what: "workload / measurement",
  way: "way",
  p50: "p50",
  p99: "p99",
  "c=16": "c=16 calls/s",
  "CPU/call": "CPU µs/call",
  result: "result",
  target: "target",
};
const RIGHT = new Set<Column>(["p50", "p99", "c=16", "CPU/call", "result"]);

export function renderTable(rows: Row[]): string {
  const width = (c: Column) => Math.max(HEADERS[c].length, ...rows.map((r) => (r.cells[c] ?? "").length));
  const widths = COLUMNS.map(width);
  const line = (cells: Partial<Record<Column, string>>, mark: string) =>
    (COLUMNS.map((c, i) => (RIGHT.has(c) ? (cells[c] ?? "").padStart(widths[i]!) : (cells[c] ?? "").padEnd(widths[i]!))).join("  ") + `  ${mark}`).trimEnd();
  const out = [line(HEADERS, ""), "─".repeat(widths.reduce((a, b) => a + b + 2, 0) + 1)];
  let last: string | undefined;
  for (const row of rows) {
    if (last !== undefined && row.section !== last) out.push("");
    last = row.section;
    out.push(line(row.cells, row.ok === undefined ? "" : row.ok ? "✓" : "✗"));
  }
  return out.join("\n");
}

export const fmt = {
  ms: (v: number, digits = 3) => (Number.isFinite(v) ? `${v.toFixed(digits)} ms` : "n/a"),
  signedMs: (v: number, digits = 3) => (Number.isFinite(v) ? `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(digits)} ms` : "n/a"),
  mb: (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : "n/a"),
  signedMb: (bytes: number) => (Number.isFinite(bytes) ? `${bytes >= 0 ? "+" : "−"}${(Math.abs(bytes) / 1024 / 1024).toFixed(1)} MB` : "n/a"),
  rate: (v: number) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString("en-US")}` : "n/a"),
  int: (v: number) => v.toLocaleString("en-US"),
  us: (v: number) => (Number.isFinite(v) ? `${Math.round(v)}` : "n/a"),
  ratio: (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} ×` : "n/a"),
  percent: (v: number) => (Number.isFinite(v) ? `${Math.round(v * 100)} %` : "n/a"),
};
