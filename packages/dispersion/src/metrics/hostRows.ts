import { DomainError, ShapeError, Tensor, type NestedArray, type TypedArray } from '@keepdist/autograd';

/** What the metrics accept: a Tensor (any backend) or nested arrays of numbers, n × d. */
export type MetricInput = Tensor | readonly (readonly number[])[];

/** The points as a host float64 copy with unit rows (row-major n × d). */
export interface UnitRows {
  /** Normalised rows, row-major. */
  rows: Float64Array;
  /** Number of points. */
  n: number;
  /** Ambient dimension. */
  d: number;
}

/**
 * Copies X to a float64 host array with every row divided by its norm (the metrics measure angles
 * between directions), checking rank 2, n ≥ `minRows`, finite values and non-zero rows.
 */
export function unitRowsOf(fn: string, data: ArrayLike<number>, shape: readonly number[], minRows: number): UnitRows {
  if (shape.length !== 2) throw new ShapeError(`${fn}: expected X of rank 2 (n × d), got shape [${shape.join(',')}]. Reshape it to [n, d].`);
  const [n, d] = shape as [number, number];
  if (n < minRows) throw new ShapeError(`${fn}: expected at least ${minRows} rows (points), got n = ${n}.`);
  if (d < 1) throw new ShapeError(`${fn}: expected at least 1 column, got d = ${d}.`);
  const rows = Float64Array.from(data);
  for (let i = 0; i < n; i++) {
    // divide by max |x_ik| first (as hypot does), so rows of 1e200 or 1e-200 normalise exactly
    let m = 0;
    for (let k = i * d; k < (i + 1) * d; k++) m = Math.max(m, Math.abs(rows[k]!));
    if (!(m > 0) || !Number.isFinite(m)) {
      throw new DomainError(`${fn}: expected finite non-zero rows, got ${Number.isNaN(m) ? 'NaN in' : m === 0 ? 'a zero' : 'an infinite value in'} row ${i}. Remove or fix that point.`);
    }
    let s = 0;
    for (let k = i * d; k < (i + 1) * d; k++) s += (rows[k]! / m) ** 2;
    const r = m * Math.sqrt(s);
    for (let k = i * d; k < (i + 1) * d; k++) rows[k] = rows[k]! / r;
  }
  return { rows, n, d };
}

/** Nested rows → flat data and shape (ShapeError when ragged). */
function fromNested(fn: string, X: readonly (readonly number[])[]): { data: number[]; shape: number[] } {
  const n = X.length, d = n > 0 && Array.isArray(X[0]) ? X[0]!.length : 0;
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = X[i];
    if (!Array.isArray(row) || row.length !== d) throw new ShapeError(`${fn}: expected a rectangular n × d array, got row ${i} of length ${Array.isArray(row) ? row.length : typeof row} (d = ${d}).`);
    for (const v of row as NestedArray[]) {
      if (typeof v !== 'number') {
        throw new ShapeError(`${fn}: expected numbers in X, got ${Array.isArray(v) ? 'an array' : typeof v === 'string' ? `the string '${v}'` : typeof v} in row ${i}. Convert the rows to numbers first.`);
      }
      data.push(v);
    }
  }
  return { data, shape: [n, d] };
}

/**
 * Runs `compute` on the unit rows of X: synchronously (returning its value) for nested arrays and
 * tensors on synchronous backends, through `await X.data()` (returning a Promise) elsewhere.
 */
export function withUnitRows<T>(fn: string, X: MetricInput, minRows: number, compute: (u: UnitRows) => T): T | Promise<T> {
  if (X instanceof Tensor) {
    if (X.backend.synchronous) return compute(unitRowsOf(fn, X.readSync(fn), X.shape, minRows));
    return X.data().then((data: TypedArray) => compute(unitRowsOf(fn, data, X.shape, minRows)));
  }
  if (!Array.isArray(X)) throw new ShapeError(`${fn}: expected X to be a Tensor or nested arrays (n × d), got ${X === null ? 'null' : typeof X}.`);
  const { data, shape } = fromNested(fn, X);
  return compute(unitRowsOf(fn, data, shape, minRows));
}

/**
 * The angle between unit vectors x_i and x_j computed stably at every angle:
 * θ = 2 · atan2(‖x_i − x_j‖, ‖x_i + x_j‖) (exact to rounding also near 0 and π, unlike acos(x_i·x_j)).
 */
export function stableAngle(rows: Float64Array, d: number, i: number, j: number): number {
  let dm = 0, dp = 0;
  for (let k = 0; k < d; k++) {
    const a = rows[i * d + k]!, b = rows[j * d + k]!;
    dm += (a - b) * (a - b);
    dp += (a + b) * (a + b);
  }
  return 2 * Math.atan2(Math.sqrt(dm), Math.sqrt(dp));
}
