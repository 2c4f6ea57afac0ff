/** Edit distance (insert, delete, substitute, swap of neighbours), bounded by the word lengths. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The candidate nearest to `word` when it is a plausible typo (at most a third of it differs). */
export function closestWord(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; cost: number } | undefined;
  for (const candidate of candidates) {
    const cost = distance(word, candidate);
    if (cost <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || cost < best.cost)) best = { candidate, cost };
  }
  // "claude" is a prefix of two clients: say both rather than guess.
  if (!best) {
    const prefixed = candidates.filter((candidate) => candidate.startsWith(word) && word.length >= 3);
    if (prefixed.length > 0) return prefixed.join(" or ");
  }
  return best?.candidate;
}
