/** Small helpers shared by the benchmark's main thread and its workers. */

/** Wall-clock milliseconds with sub-millisecond precision (consistent across worker threads). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Poll `check` every `everyMs` until it is true or `timeoutMs` passed; returns whether it held. */
export async function until(
  check: () => boolean,
  timeoutMs: number,
  everyMs = 10,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

/** Run `fn` over `items` with at most `concurrency` promises in flight; results keep order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, () =>
    (async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    })(),
  );
  await Promise.all(lanes);
  return out;
}

/** Summary of a latency sample, in milliseconds. */
export interface Dist {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Percentiles of `values` (sorted in place; nearest-rank). */
export function dist(values: Float64Array | number[]): Dist {
  const a = values instanceof Float64Array ? values : Float64Array.from(values);
  a.sort();
  const n = a.length;
  if (n === 0) return { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const at = (q: number): number => a[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  let sum = 0;
  for (const v of a) sum += v;
  return { n, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: a[n - 1]!, mean: sum / n };
}

/** Concatenate Float64Arrays. */
export function concat(parts: readonly Float64Array[]): Float64Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Float64Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A growable Float64Array (no per-sample allocation on hot paths). */
export class Samples {
  private buf: Float64Array;
  length = 0;

  constructor(initial = 1024) {
    this.buf = new Float64Array(initial);
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  /** A copy of the samples (safe to transfer). */
  take(): Float64Array {
    return this.buf.slice(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}

/** Round for reports: 3 significant digits for small numbers, integers for big ones. */
export function round(v: number, digits = 3): number {
  if (!Number.isFinite(v)) return v;
  if (Math.abs(v) >= 1000) return Math.round(v);
  return Number(v.toPrecision(digits));
}

export function errorText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
