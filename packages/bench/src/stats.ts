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
