import { readFileSync } from "node:fs";

/** Peak resident set size of a live process, in MB (VmHWM in /proc/<pid>/status; Linux only). */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!kb) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kb[1]) / 1024;
}

/** Every run of `length` characters of `secret`, in each given form of it: none may appear in any output. */
export function secretPieces(forms: string[], length = 8): string[] {
  const pieces = new Set<string>();
  for (const form of forms) for (let i = 0; i + length <= form.length; i++) pieces.add(form.slice(i, i + length));
  return [...pieces];
}

/** The pieces of `secret` found in `text` (compared without regard to case). */
export function leakedPieces(text: string, pieces: string[]): string[] {
  const lower = text.toLowerCase();
  return pieces.filter((piece) => lower.includes(piece.toLowerCase()));
}
