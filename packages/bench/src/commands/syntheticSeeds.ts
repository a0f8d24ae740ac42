// `synthetic --seeds`: the per-method statistics over seeds of the final records, and their table.
import { spread, type Spread } from '../stats.js';
import { formatTable } from '../table.js';
import type { SyntheticMethodResult, SyntheticRecord } from './synthetic.js';

/** One method's final metrics over the seeds it ran: mean, sample sd, min and max of each. */
export interface SyntheticSeedSummary {
  readonly method: string;
  /** The seeds whose runs have at least one record, in run order (the statistics are over these). */
  readonly seeds: number[];
  /** Whether every one of those runs finished. */
  readonly complete: boolean;
  /** Final minimum angle (degrees) of each run. */
  readonly minAngleDeg: Spread;
  /** Final circular variance of each run. */
  readonly circularVariance: Spread;
  /** Final loss of each run. */
  readonly loss: Spread;
  /** Wall time (s) of each run. */
  readonly wallTimeS: Spread;
}

const lastRecord = (r: SyntheticMethodResult): SyntheticRecord => r.records[r.records.length - 1] as SyntheticRecord;

/**
 * Groups the runs by method (in order of first appearance) and takes, over each method's runs with
 * records, the statistics of the last record's minimum angle, circular variance and loss and of the wall time.
 */
export function summarizeSeeds(results: readonly SyntheticMethodResult[]): SyntheticSeedSummary[] {
  const byMethod = new Map<string, SyntheticMethodResult[]>();
  for (const r of results) {
    if (r.records.length === 0) continue;
    byMethod.set(r.method, [...(byMethod.get(r.method) ?? []), r]);
  }
  return [...byMethod].map(([method, runs]) => ({
    method,
    seeds: runs.map((r) => r.seed),
    complete: runs.every((r) => r.complete),
    minAngleDeg: spread(runs.map((r) => lastRecord(r).minAngleDeg)),
    circularVariance: spread(runs.map((r) => lastRecord(r).circularVariance)),
    loss: spread(runs.map((r) => lastRecord(r).loss)),
    wallTimeS: spread(runs.map((r) => r.wallTimeS)),
  }));
}

/** `mean ± sd` with `digits` after the point (the mean alone for a single seed). */
export function formatSpread(s: Spread, digits: number): string {
  const mean = s.mean.toFixed(digits);
  return s.sd === null ? mean : `${mean} ± ${s.sd.toFixed(digits)}`;
}

/** The stdout table of a seeds run: per method the seed count and mean ± sd of each final metric and of time. */
export function seedsTable(summaries: readonly SyntheticSeedSummary[]): string {
  return formatTable<SyntheticSeedSummary>(
    [
      { header: 'method', value: (s) => s.method },
      { header: 'seeds', value: (s) => s.seeds.length, digits: 0 },
      { header: 'min angle (°)', value: (s) => formatSpread(s.minAngleDeg, 3), align: 'right' },
      { header: 'circ. var.', value: (s) => formatSpread(s.circularVariance, 4), align: 'right' },
      { header: 'loss', value: (s) => formatSpread(s.loss, 5), align: 'right' },
      { header: 'time (s)', value: (s) => formatSpread(s.wallTimeS, 2), align: 'right' },
    ],
    summaries,
  );
}
