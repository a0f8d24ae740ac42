// `prototypes` results: the angles one run reaches, the report, the bound each size is measured against, the table.
import { formatTable } from '../table.js';

/** Angles of a set of prototypes, in degrees (docs/math.md §3). */
export interface PrototypeAngles {
  /** min_{i<j} θ_ij: the margin between the two closest classes. */
  readonly minAngleDeg: number;
  /** mean_{i<j} θ_ij over all pairs. */
  readonly meanAngleDeg: number;
  /** mean_i min_{j≠i} θ_ij: how far each class is from its nearest other class, on average. */
  readonly meanNearestDeg: number;
}

/** One method on one size (k prototypes in dimension d). */
export interface PrototypesResult {
  readonly k: number;
  readonly d: number;
  readonly method: string;
  /** The uniform random start (the same for every method of this size). */
  readonly start: PrototypeAngles;
  /** After the iterations. */
  readonly final: PrototypeAngles;
  readonly iterations: number;
  /** Seconds spent optimizing (the metrics excluded). */
  readonly optimiseS: number;
}

/** Everything `prototypes` measured; written as `results.json`. */
export interface PrototypesReport {
  readonly command: 'prototypes';
  readonly options: Readonly<Record<string, unknown>>;
  readonly startedAt: string;
  readonly outDir: string;
  complete: boolean;
  /** One result per size and method: sizes k-major in the order given, methods in order. */
  readonly results: PrototypesResult[];
}

/** The files `prototypes` writes into its results folder. */
export const PROTOTYPES_FILES = { json: 'results.json', table: 'table.txt' } as const;

/**
 * The largest minimum angle k points on S^{d−1} can have, where it is known in closed form: the regular
 * simplex's arccos(−1/(k − 1)) for k ≤ d + 1, and 90° (Rankin 1955; attained at k = 2d by ±eᵢ) for
 * d + 1 < k ≤ 2d; undefined beyond (there arccos(−1/(k − 1)) still bounds it, but loosely).
 */
export function minAngleBoundDeg(k: number, d: number): number | undefined {
  if (k <= d + 1) return (Math.acos(-1 / (k - 1)) * 180) / Math.PI;
  return k <= 2 * d ? 90 : undefined;
}

/** A row of the table: a method's result or, first in each size, its start. */
interface Row {
  readonly k: number;
  readonly d: number;
  readonly label: string;
  readonly angles: PrototypeAngles;
  readonly optimiseS: number | undefined;
}

/** The table of a report: per size, its start's angles and then each method's, with the bound and the time. */
export function prototypesTable(report: Pick<PrototypesReport, 'results'>): string {
  const rows: Row[] = [];
  let size = '';
  for (const r of report.results) {
    if (`${r.k}x${r.d}` !== size) {
      size = `${r.k}x${r.d}`;
      rows.push({ k: r.k, d: r.d, label: '(start)', angles: r.start, optimiseS: undefined });
    }
    rows.push({ k: r.k, d: r.d, label: r.method, angles: r.final, optimiseS: r.optimiseS });
  }
  return formatTable<Row>(
    [
      { header: 'k', value: (r) => r.k, digits: 0 },
      { header: 'd', value: (r) => r.d, digits: 0 },
      { header: 'method', value: (r) => r.label },
      { header: 'min angle (°)', value: (r) => r.angles.minAngleDeg, digits: 2 },
      { header: 'bound (°)', value: (r) => minAngleBoundDeg(r.k, r.d), digits: 2 },
      { header: 'mean NN (°)', value: (r) => r.angles.meanNearestDeg, digits: 2 },
      { header: 'mean angle (°)', value: (r) => r.angles.meanAngleDeg, digits: 2 },
      { header: 'time (s)', value: (r) => r.optimiseS, digits: 2 },
    ],
    rows,
  );
}
