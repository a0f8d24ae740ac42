// What `tammes` measures and reports: one start, one method's row (the best of its starts), the report and its table.
import type { TammesMethodOutput, TammesOptions } from './tammes.js';
import { median } from '../stats.js';
import { formatTable, type TableColumn } from '../table.js';

/** One uniform start of one method: its seed and the minimum angle it reached. */
export interface TammesStart {
  readonly seed: number;
  /** min_i min_{j≠i} θ_ij at the end of this start, in degrees. */
  readonly minAngleDeg: number;
  readonly wallTimeS: number;
  readonly iterations: number;
  /** True for a start cut short by Ctrl-C: its angles after `iterations` of the `--iters` steps. */
  readonly partial?: boolean;
}

/**
 * One method's row of the Tammes results: the best of its starts (largest minimum angle, the lowest
 * seed on ties), with time and iterations summed over all starts.
 */
export interface TammesMethodResult {
  readonly method: string;
  /** The best start's minimum angle (degrees). */
  readonly minAngleDeg: number;
  readonly optimumDeg: number | undefined;
  /** (optimum − reached) / optimum · 100 for the best start; undefined when no optimum is tabulated for n. */
  readonly gapPercent: number | undefined;
  /** Seconds over all starts. */
  readonly wallTimeS: number;
  /** Iterations over all starts. */
  readonly iterations: number;
  readonly iterationsPerS: number;
  /** Seed of the best start. */
  readonly bestSeed: number;
  /** Median of the starts' minimum angles (degrees). */
  readonly medianMinAngleDeg: number;
  /** Every start run, in seed order; fewer than `--restarts` only in partial results (Ctrl-C, error). */
  readonly starts: TammesStart[];
  /** The best start's per-point minimum angles, ascending (degrees). */
  readonly sortedMinAnglesDeg: number[];
}

/** Everything `tammes` measured; written as `results.json`. */
export interface TammesReport {
  readonly command: 'tammes';
  readonly options: TammesOptions;
  readonly preset: string | undefined;
  readonly optimumDeg: number | undefined;
  readonly startedAt: string;
  readonly outDir: string;
  complete: boolean;
  readonly results: TammesMethodResult[];
}

/** File names written by `tammes` into the results directory. */
export const TAMMES_FILES = { json: 'results.json', svg: 'min-angles.svg' } as const;

/** One finished start and its sorted per-point angles (kept for the best start's figure). */
export interface StartRun {
  readonly start: TammesStart;
  readonly sorted: number[];
}

/** One start's measurement from the core's output: its minimum angle and sorted per-point angles (`partial` for a start cut short by Ctrl-C). */
export function measureStart(method: string, seed: number, out: TammesMethodOutput, wallTimeS: number, partial = false): StartRun {
  const sorted = Array.from(out.perPointMinAnglesDeg).sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error(`tammes: expected per-point angles from method '${method}', got none.`);
  const start: TammesStart = { seed, minAngleDeg: sorted[0] as number, wallTimeS, iterations: out.iterations };
  return { start: partial ? { ...start, partial } : start, sorted };
}

/** One method's row from its starts: the best start's angles, time and iterations summed over all starts. */
export function summarize(
  method: string,
  starts: readonly TammesStart[],
  best: StartRun,
  optimumDeg: number | undefined,
): TammesMethodResult {
  const minAngleDeg = best.start.minAngleDeg;
  const wallTimeS = starts.reduce((t, s) => t + s.wallTimeS, 0);
  const iterations = starts.reduce((i, s) => i + s.iterations, 0);
  return {
    method,
    minAngleDeg,
    optimumDeg,
    gapPercent: optimumDeg === undefined ? undefined : ((optimumDeg - minAngleDeg) / optimumDeg) * 100,
    wallTimeS,
    iterations,
    iterationsPerS: wallTimeS > 0 ? iterations / wallTimeS : Number.POSITIVE_INFINITY,
    bestSeed: best.start.seed,
    medianMinAngleDeg: median(starts.map((s) => s.minAngleDeg)),
    starts: [...starts],
    sortedMinAnglesDeg: best.sorted,
  };
}

/**
 * The stdout summary of a Tammes report. With `--restarts` K > 1 a line first says what the rows are, and
 * the columns `starts`, `best seed` and `median (°)` (over starts) follow the gap; with K = 1 they are left out.
 */
export function tammesTable(report: TammesReport): string {
  const { restarts, seed } = report.options;
  const perStart: TableColumn<TammesMethodResult>[] = restarts === 1 ? [] : [
    { header: 'starts', value: (r) => r.starts.length, digits: 0 },
    { header: 'best seed', value: (r) => r.bestSeed, digits: 0 },
    { header: 'median (°)', value: (r) => r.medianMinAngleDeg, digits: 4 },
  ];
  const table = formatTable<TammesMethodResult>(
    [
      { header: 'method', value: (r) => r.method },
      { header: 'min angle (°)', value: (r) => r.minAngleDeg, digits: 4 },
      { header: 'optimum (°)', value: (r) => r.optimumDeg, digits: 4 },
      { header: 'gap (%)', value: (r) => r.gapPercent, digits: 2 },
      ...perStart,
      { header: 'time (s)', value: (r) => r.wallTimeS, digits: 2 },
      { header: 'iter/s', value: (r) => r.iterationsPerS, digits: 1 },
    ],
    report.results,
  );
  if (restarts === 1) return table;
  return (
    `Best of ${restarts} uniform starts per method (seeds ${seed}–${seed + restarts - 1}): min angle and gap are the best start's,\n` +
    `median (°) is the median over the starts; time and iter/s cover all starts.\n${table}`
  );
}
