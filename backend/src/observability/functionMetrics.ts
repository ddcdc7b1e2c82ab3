// Per-function counters and latency percentiles over a sliding window, for
// the admin metrics endpoint. Totals count since the process started; the
// percentiles and the windowed counts cover the last `windowMs` (default five
// minutes), from at most `maxSamples` most recent samples per function so a
// hot function cannot grow memory without bound.

export interface FunctionMetricsSnapshot {
  /** "messages:send", prefixed with "<component>/" for component functions. */
  function: string;
  udfType: string;
  totalSuccesses: number;
  totalFailures: number;
  window: {
    seconds: number;
    count: number;
    successes: number;
    failures: number;
    p50Ms: number | null;
    p95Ms: number | null;
    p99Ms: number | null;
    maxMs: number | null;
  };
}

interface Sample {
  atMs: number;
  durationMs: number;
  success: boolean;
}

class FunctionSeries {
  totalSuccesses = 0;
  totalFailures = 0;
  /** Ring buffer of samples, oldest at `start`. */
  private readonly samples: Sample[] = [];
  private start = 0;

  constructor(
    readonly udfType: string,
    private readonly maxSamples: number,
  ) {}

  add(sample: Sample): void {
    if (sample.success) this.totalSuccesses++;
    else this.totalFailures++;
    if (this.samples.length < this.maxSamples) {
      this.samples.push(sample);
    } else {
      this.samples[this.start] = sample;
      this.start = (this.start + 1) % this.maxSamples;
    }
  }

  inWindow(sinceMs: number): Sample[] {
    return this.samples.filter((s) => s.atMs >= sinceMs);
  }
}

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export class FunctionMetrics {
  private readonly series = new Map<string, FunctionSeries>();

  constructor(
    readonly windowMs = 5 * 60_000,
    private readonly maxSamples = 10_000,
  ) {}

  record(name: string, udfType: string, durationMs: number, success: boolean, atMs = Date.now()): void {
    const key = `${udfType}\u0000${name}`;
    let series = this.series.get(key);
    if (!series) this.series.set(key, (series = new FunctionSeries(udfType, this.maxSamples)));
    series.add({ atMs, durationMs, success });
  }

  snapshot(nowMs = Date.now()): FunctionMetricsSnapshot[] {
    const since = nowMs - this.windowMs;
    const out: FunctionMetricsSnapshot[] = [];
    for (const [key, series] of this.series) {
      const samples = series.inWindow(since);
      const durations = samples.map((s) => s.durationMs).sort((a, b) => a - b);
      const successes = samples.filter((s) => s.success).length;
      out.push({
        function: key.slice(key.indexOf("\u0000") + 1),
        udfType: series.udfType,
        totalSuccesses: series.totalSuccesses,
        totalFailures: series.totalFailures,
        window: {
          seconds: this.windowMs / 1000,
          count: samples.length,
          successes,
          failures: samples.length - successes,
          p50Ms: percentile(durations, 50),
          p95Ms: percentile(durations, 95),
          p99Ms: percentile(durations, 99),
          maxMs: durations.length ? durations[durations.length - 1]! : null,
        },
      });
    }
    return out.sort((a, b) => a.function.localeCompare(b.function) || a.udfType.localeCompare(b.udfType));
  }
}
