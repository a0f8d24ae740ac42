import { DomainError, OptionError, ShapeError, Tensor, cpuBackend, matmulT, maxDrawElements, noGrad, reshape } from '@keepdist/autograd';
import { SPHERE_TOL } from './constants.js';

/**
 * Options every regularizer accepts for the input check of {@link checkPoints}.
 */
export interface InputCheckOptions {
  /**
   * Check that every row has unit norm (default true). The check reads X once, O(n·d), on
   * synchronous backends; asynchronous backends skip it. Pass false inside hot loops whose
   * optimizer keeps X on the sphere.
   */
  checkSphere?: boolean;
  /** Largest allowed max_i |‖x_i‖ − 1| (default 1e-5 for float64, 1e-4 for float32). */
  sphereTol?: number;
}

/**
 * How far |‖x_i‖ − 1| from {@link deviceSquaredNorms} may lie from the exact host sum, for d
 * columns: each square and each of the at most d additions of a dot product in the dtype round
 * within its unit roundoff u of the running sum (≈ 1 near the sphere), so d · u bounds the error
 * of ‖x_i‖², and of ‖x_i‖ too. Rows closer than this to the tolerance are decided by the host sum.
 */
function normSumMargin(dtype: 'float32' | 'float64', d: number): number {
  return (d + 2) * (dtype === 'float32' ? 2 ** -24 : 2 ** -53) + (dtype === 'float32' ? 1e-6 : 1e-12);
}

/**
 * ‖x_i‖² of every row as the batched product x_i · x_iᵀ on X's backend (n products of 1 × d by
 * d × 1, read in place: no n × d temporary) in X's dtype: reads back n numbers, not X.
 */
function deviceSquaredNorms(fn: string, X: Tensor): ArrayLike<number> {
  const [n, d] = X.shape as [number, number];
  return noGrad(() => {
    const rows = reshape(X, [n, 1, d]);
    const sums = matmulT(rows, rows, false, true);
    const out = sums.readSync(fn);
    sums.dispose();
    return out;
  });
}

/** ‖x_i‖² of every row summed on the host in float64 (exact squares of float32 rows, no overflow). */
function hostSquaredNorms(fn: string, X: Tensor): Float64Array {
  const [n, d] = X.shape as [number, number];
  const data = X.readSync(fn), out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = i * d; k < (i + 1) * d; k++) s += data[k]! * data[k]!;
    out[i] = s;
  }
  return out;
}

/** The largest |√(sq_i) − 1| and its row (the first non-finite row, if any, with NaN). */
function worstRow(sq: ArrayLike<number>): { worst: number; at: number } {
  let worst = 0, at = 0;
  for (let i = 0; i < sq.length; i++) {
    const dev = Math.abs(Math.sqrt(sq[i]!) - 1);
    if (!(dev <= worst)) {
      worst = Number.isNaN(dev) ? NaN : dev;
      at = i;
      if (Number.isNaN(dev)) break;
    }
  }
  return { worst, at };
}

/**
 * Checks that X is an n × d tensor with n ≥ 2 rows (and d ≥ `minD` columns) whose rows lie on
 * the unit sphere within the tolerance; returns n and d. Throws ShapeError or DomainError with
 * messages of the form `<fn>: expected <what>, got <what>. <fix>`.
 */
export function checkPoints(fn: string, X: Tensor, opts: InputCheckOptions = {}, minD = 1): { n: number; d: number } {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new OptionError(`${fn}: expected an options object (or none), got ${fmt(opts)}. Pass options as { name: value }.`);
  }
  checkBoolean(fn, 'checkSphere', opts.checkSphere);
  if (!(X instanceof Tensor)) {
    throw new ShapeError(`${fn}: expected X to be a Tensor of shape [n, d], got ${X === null ? 'null' : typeof X}. Wrap the data with tensor(data, { shape: [n, d] }).`);
  }
  if (X.rank !== 2) {
    throw new ShapeError(`${fn}: expected X of rank 2 (n × d), got shape [${X.shape.join(',')}]. Reshape it to [n, d].`);
  }
  const [n, d] = X.shape as [number, number];
  if (n < 2) throw new ShapeError(`${fn}: expected at least 2 rows (points), got n = ${n}. Dispersion needs two or more points.`);
  if (d < minD) {
    throw new ShapeError(`${fn}: expected at least ${minD} columns (ambient dimension d), got d = ${d}.`);
  }
  if (opts.checkSphere === false || !X.backend.synchronous) return { n, d };
  const tol = opts.sphereTol ?? SPHERE_TOL[X.dtype];
  checkNumber(fn, 'sphereTol', tol, { min: 0, exclusive: true });
  // the cpu backend's rows are host memory already (read without a copy): scan them in place.
  // Elsewhere the backend's sums settle the rows that are clearly on the sphere; near or past the
  // tolerance (and for the message) the exact host sums decide, so the verdict is the host scan's
  const onHost = X.backend === cpuBackend;
  let { worst, at } = worstRow(onHost ? hostSquaredNorms(fn, X) : deviceSquaredNorms(fn, X));
  if (!onHost && !(worst <= tol - normSumMargin(X.dtype, d))) ({ worst, at } = worstRow(hostSquaredNorms(fn, X)));
  if (!(worst <= tol)) {
    throw new DomainError(
      `${fn}: expected rows on the unit sphere (max |‖x_i‖ − 1| ≤ ${tol}), got ${Number.isNaN(worst) ? 'a non-finite row' : worst.toExponential(2)} at row ${at}. ` +
      'Normalize X first (projx / normalize), or pass checkSphere: false.',
    );
  }
  return { n, d };
}

/** Constraints for {@link checkNumber}. */
export interface NumberConstraint {
  /** Lower bound. */
  min?: number;
  /** Whether the lower bound is excluded (x > min rather than x ≥ min). */
  exclusive?: boolean;
  /** Upper bound (inclusive). */
  max?: number;
  /** Require an integer. */
  integer?: boolean;
}

/** Throws an OptionError unless `value` is a finite number within the constraints. */
export function checkNumber(fn: string, name: string, value: unknown, c: NumberConstraint = {}, why = ''): number {
  const ok = typeof value === 'number' && Number.isFinite(value)
    && (!c.integer || Number.isInteger(value))
    && (c.min === undefined || (c.exclusive ? value > c.min : value >= c.min))
    && (c.max === undefined || value <= c.max);
  if (!ok) {
    const bounds: string[] = [];
    if (c.min !== undefined) bounds.push(`${c.exclusive ? '>' : '≥'} ${c.min}`);
    if (c.max !== undefined) bounds.push(`≤ ${c.max}`);
    const what = c.min !== undefined && c.min === c.max && !c.exclusive
      ? `= ${c.min}`
      : `${c.integer ? 'an integer' : 'a finite number'}${bounds.length ? ` ${bounds.join(' and ')}` : ''}`;
    throw new OptionError(`${fn}: expected ${name} ${what}${why ? ` ${why}` : ''}, got ${fmt(value)}.`);
  }
  return value as number;
}

/** Throws an OptionError unless `value` is one of `allowed`. */
export function checkEnum<T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new OptionError(`${fn}: expected ${name} ${allowed.map((a) => `'${a}'`).join(' | ')}, got ${fmt(value)}.`);
  }
  return value as T;
}

/** Throws an OptionError unless `value` is undefined or a boolean. */
export function checkBoolean(fn: string, name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new OptionError(`${fn}: expected ${name} true or false, got ${fmt(value)}.`);
  return value;
}

/**
 * Checks a minibatch size (docs/math.md §2.10): undefined (no batching) or an integer in [2, n].
 */
export function checkBatchSize(fn: string, batchSize: unknown, n: number): number | undefined {
  if (batchSize === undefined) return undefined;
  if (typeof batchSize === 'number' && Number.isInteger(batchSize) && batchSize > n) {
    throw new OptionError(`${fn}: expected batchSize ≤ n = ${n}, got ${batchSize}. Use a smaller batch or omit batchSize for the full set.`);
  }
  return checkNumber(fn, 'batchSize', batchSize, { min: 2, integer: true });
}

/**
 * Checks a per-call draw count (Lloyd samples, slices, projections) against what one call may hold:
 * `count` draws of `perDraw` values each (their n- and d-wide rows) must fit in `maxDrawElements`
 * (2^28), so that `samples: 1e9` is an OptionError at once instead of gigabytes of allocation.
 */
export function checkDrawCount(fn: string, name: string, count: number, perDraw: number): number {
  const most = Math.floor(maxDrawElements / Math.max(1, perDraw));
  if (count > most) {
    throw new OptionError(
      `${fn}: expected ${name} ≤ ${most} (${name} × (n + d) ≤ 2^28 values held at once), got ${count}. ` +
      `Use fewer ${name} per call (the regularizer draws fresh ones at every call).`,
    );
  }
  return count;
}

/** A short rendering of an option value for error messages. */
export function fmt(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Tensor) return value.toString();
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return String(value);
}
