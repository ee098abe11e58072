/**
 * What each benchmark reports. Every figure is compared with a baseline measured in the same
 * run on the same machine: these machines are shared and noisy, so absolute times mean
 * little and ratios are what is judged.
 */
export interface BenchResult {
  metric: string;
  /** Our figure, in `unit`. */
  ours: number;
  /** The baseline measured in the same run, in `unit` (absent for absolute targets). */
  baseline?: number;
  unit: string;
  /** How ours compares: ours/baseline, or baseline/ours when higher is better (`higherIsBetter`). */
  ratio?: number;
  higherIsBetter?: boolean;
  /** The target, as written in the table, e.g. ">= 0.9x" or "p99 < 16 ms". */
  target: string;
  pass: boolean;
  /** Peak resident memory of the process that ran it, in MB. */
  peakMemoryMB?: number;
  notes?: string;
}

/** Prints the results as JSON on the last line, for the runner to collect. */
export function report(results: BenchResult[]): void {
  process.stdout.write(`\nBENCH_RESULTS ${JSON.stringify(results)}\n`);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export function peakMemoryMB(): number {
  // maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
