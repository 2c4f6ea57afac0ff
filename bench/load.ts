/** Bounded load generation and the statistics the report prints. */

export interface LoadOptions {
  /** Calls to make in total. */
  calls: number;
  concurrency: number;
  /** Stop issuing calls after this long, even if fewer than `calls` were made. */
  timeCapMs: number;
}

export interface LoadResult {
  /** Per-call latencies in milliseconds, in completion order. */
  latencies: Float64Array;
  completed: number;
  elapsedMs: number;
  capped: boolean;
}

/** Runs `call` `calls` times with `concurrency` workers; the first error stops every worker and is thrown. */
export async function runLoad(call: () => Promise<unknown>, options: LoadOptions): Promise<LoadResult> {
  const latencies = new Float64Array(options.calls);
  let issued = 0;
  let completed = 0;
  let failed = false;
  let capped = false;
  const started = performance.now();
  const deadline = started + options.timeCapMs;

  async function worker(): Promise<void> {
    while (!failed && issued < options.calls) {
      const t0 = performance.now();
      if (t0 >= deadline) {
        capped = true;
        return;
      }
      issued++;
      try {
        await call();
      } catch (error) {
        failed = true;
        throw error;
      }
      latencies[completed++] = performance.now() - t0;
    }
  }

  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, options.calls)) }, worker);
  await Promise.all(workers);
  const elapsedMs = performance.now() - started;
  return { latencies: latencies.subarray(0, completed), completed, elapsedMs, capped };
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: ArrayLike<number>, p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function median(samples: ArrayLike<number>): number {
  return percentile(samples, 50);
}

/** Concatenates sample arrays. */
export function concat(parts: ArrayLike<number>[]): Float64Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Float64Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part as ArrayLike<number>, at);
    at += part.length;
  }
  return out;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
