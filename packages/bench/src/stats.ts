/**
 * Median of a non-empty list: the middle value, or the mean of the two middle values for an even count.
 * @throws Error for an empty list.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: expected at least one value, got none.');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Mean, sample standard deviation, minimum and maximum of a list (see {@link spread}). */
export interface Spread {
  readonly mean: number;
  /** Sample standard deviation √(Σ(v − mean)² / (k − 1)); null for a single value. */
  readonly sd: number | null;
  readonly min: number;
  readonly max: number;
}

/**
 * Mean, sample standard deviation (denominator k − 1), minimum and maximum of k ≥ 1 values.
 * @throws Error for an empty list.
 */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread: expected at least one value, got none.');
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const sd = values.length < 2 ? null : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd, min: Math.min(...values), max: Math.max(...values) };
}
