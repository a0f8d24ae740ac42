/**
 * The pair-angle histogram of the d > 3 view: every θ_ij = acos(x_i · x_j), i < j, of unit rows
 * counted in equal bins of [0°, 180°]. O(n² d) time, O(bins) memory beyond the rows.
 */
import { OptionError, ShapeError } from '@keepdist/autograd';
import type { AngleHistogram } from '../protocol.js';

/**
 * Counts the n(n − 1)/2 pair angles of the row-major n × d `rows` (unit rows; cosines are
 * clamped to [−1, 1]) into `bins` equal bins of [0°, 180°]; 180° falls into the last bin.
 */
export function pairAngleHistogram(rows: ArrayLike<number>, n: number, d: number, bins: number): AngleHistogram {
  if (!Number.isInteger(bins) || bins < 1) throw new OptionError(`pairAngleHistogram: expected bins a positive integer, got ${bins}. Pass e.g. 90 (2° bins).`);
  if (rows.length !== n * d) throw new ShapeError(`pairAngleHistogram: expected ${n} × ${d} = ${n * d} values, got ${rows.length}. Pass the rows of an n × d matrix, row-major.`);
  const x = Float64Array.from(rows);
  const counts = new Array<number>(bins).fill(0);
  const perRadian = bins / Math.PI;
  for (let i = 0; i < n; i++) {
    const a = i * d;
    for (let j = i + 1; j < n; j++) {
      const b = j * d;
      let c = 0;
      for (let k = 0; k < d; k++) c += x[a + k]! * x[b + k]!;
      const theta = Math.acos(Math.min(1, Math.max(-1, c)));
      counts[Math.min(bins - 1, Math.floor(theta * perRadian))]!++;
    }
  }
  return { counts, points: n };
}
