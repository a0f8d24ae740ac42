import type { Backend, Storage } from './backend.js';

/**
 * The closed-form losses of sorted rows that {@link SortedRowKernels.sortedRowLoss} computes, for
 * a row θ of n angles sorted ascending into v_1 ≤ … ≤ v_n (stable: ties in index order):
 * - `sliced` (docs/math.md §2.7): ½ Σ_r (v_r − mean(v) − φ_r)², φ_r = −π + (2r − 1)π/n;
 * - `ssw` (docs/math.md §2.9): u_r = (v_r + π)/(2π), α = mean(u) − ½, a_r = u_r − α − (r − 1)/n,
 *   W = Σ_r [a_r³ − (a_r − 1/n)³]/3.
 */
export type SortedRowLoss = 'sliced' | 'ssw';

/**
 * What the rows given to {@link SortedRowKernels.sortedRowLoss} hold:
 * - `angles`: θ itself, rows × len;
 * - `coordinates`: stacked slice coordinates [x; y], 2·rows × len (rows 0..rows − 1 the x, then
 *   the y), whose angles θ = atan2(y, x) the pass forms itself (the elementwise atan2's values).
 */
export type SortedRowInput = 'angles' | 'coordinates';

/** What {@link SortedRowKernels.sortedRowLoss} returns. */
export interface SortedRowLossResult {
  /** `rows` values: the loss of each row. */
  readonly loss: Storage;
  /**
   * The gradient of loss_r in the input's own (unsorted) order: ∂ loss_r / ∂ θ_ri (rows × len); for
   * `coordinates` (2·rows × len) x̄ = −(ḡ·y)/r², ȳ = (ḡ·x)/r² with ḡ = ∂ loss_r / ∂ θ_ri and
   * r² = x² + y², both 0 where r² = 0 (the subgradient 0 at the origin of a slice).
   */
  readonly grad: Storage;
}

/**
 * The fused sorted-row pass every backend implements: per row, sort, the closed-form loss of the
 * sorted values and its gradient scattered back to the original positions, in one sweep (the
 * composed graph of sort, means, residuals and their reverse pass is some thirty full-size ops).
 */
export interface SortedRowKernels {
  /**
   * Each row's `kind` loss and its gradient for the rows' angles (`input` `angles`:
   * θ rows × len, row-major) or for their coordinates (`coordinates`: [x; y], 2·rows × len).
   */
  sortedRowLoss(x: Storage, rows: number, len: number, kind: SortedRowLoss, input: SortedRowInput): SortedRowLossResult;
}

/**
 * The gradient for stacked coordinates [x; y] (2·rows × len at s, as `coordinates` rows) from the
 * angles' gradient ḡ (rows × len), composed from a backend's primitives (the chain rule through
 * atan2 of {@link SortedRowLossResult.grad}); temporaries are disposed.
 */
function coordinatesGrad(b: Backend, s: Storage, g: Storage, rows: number, len: number): Storage {
  const dt = s.dtype, R = [rows, len], S: number[] = [];
  const temps: Storage[] = [];
  const keep = (t: Storage): Storage => (temps.push(t), t);
  const x = keep(b.stridedCopy(s, R, [len, 1], 0)), y = keep(b.stridedCopy(s, R, [len, 1], rows * len));
  const zero = keep(b.fill(1, 0, dt));
  const r2 = keep(b.binary('add', keep(b.binary('mul', x, R, x, R, R)), R, keep(b.binary('mul', y, R, y, R, R)), R, R));
  const origin = keep(b.binary('eq', r2, R, zero, S, R));
  const gx = keep(b.where(origin, R, zero, S, keep(b.unary('neg', keep(b.binary('div', keep(b.binary('mul', g, R, y, R, R)), R, r2, R, R)))), R, R));
  const gy = keep(b.where(origin, R, zero, S, keep(b.binary('div', keep(b.binary('mul', g, R, x, R, R)), R, r2, R, R)), R, R));
  const out = b.concat([gx, gy], 1, [rows * len, rows * len], 1);
  for (const t of temps) b.dispose?.(t);
  return out;
}

/** The constants of the last n asked for, per kind (a training loop asks for the same n each step). */
const lastConstants = new Map<SortedRowLoss, Float64Array>();

/**
 * φ_r (r = 1..n) of `sliced`, or (r − 1)/n of `ssw`, as host values. The array is shared between
 * calls with the same kind and n: read it, copy it, never write it.
 */
export function sortedRowConstants(kind: SortedRowLoss, n: number): Float64Array {
  const hit = lastConstants.get(kind);
  if (hit && hit.length === n) return hit;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = kind === 'sliced' ? -Math.PI + ((2 * (i + 1) - 1) * Math.PI) / n : i / n;
  lastConstants.set(kind, out);
  return out;
}

/**
 * {@link SortedRowKernels.sortedRowLoss} composed from a backend's other primitives (sort,
 * broadcasting binary ops, sums, one scatter-add; for `coordinates` first the atan2 of the two
 * halves, then the chain rule through it): what the gpu backend runs. Temporaries are disposed as
 * it goes.
 */
export function composedSortedRowLoss(b: Backend, x: Storage, rows: number, len: number, kind: SortedRowLoss,
  input: SortedRowInput): SortedRowLossResult {
  if (input === 'coordinates') {
    const R = [rows, len];
    const xs = b.stridedCopy(x, R, [len, 1], 0), ys = b.stridedCopy(x, R, [len, 1], rows * len);
    const theta = b.binary('atan2', ys, R, xs, R, R);
    const r = composedSortedRowLoss(b, theta, rows, len, kind, 'angles');
    const grad = coordinatesGrad(b, x, r.grad, rows, len);
    for (const t of [xs, ys, theta, r.grad]) b.dispose?.(t);
    return { loss: r.loss, grad };
  }
  const theta = x, dt = theta.dtype;
  const R = [rows, len], C = [rows, 1], S: number[] = [];
  const temps: Storage[] = [];
  const keep = (s: Storage): Storage => (temps.push(s), s);
  const scalar = (v: number): Storage => keep(b.fill(1, v, dt));
  const op = (o: Parameters<Backend['binary']>[0], x: Storage, xs: number[], y: Storage, ys: number[], out = R): Storage =>
    keep(b.binary(o, x, xs, y, ys, out));
  const rowSum = (x: Storage): Storage => keep(b.reduce('sum', x, rows, len, 1));
  const rowMean = (x: Storage): Storage => op('div', rowSum(x), C, scalar(len), S, C);
  const { values, indices } = b.sort(theta, rows, len);
  keep(values);
  keep(indices);
  const consts = keep(b.upload(sortedRowConstants(kind, len), dt));
  let loss: Storage, gSorted: Storage;
  if (kind === 'sliced') {
    const resid = op('sub', op('sub', values, R, rowMean(values), C), R, consts, [1, len]);
    loss = b.binary('mul', rowSum(op('mul', resid, R, resid, R)), C, scalar(0.5), S, C);
    gSorted = op('sub', resid, R, rowMean(resid), C);
  } else {
    const u = op('div', op('add', values, R, scalar(Math.PI), S), R, scalar(2 * Math.PI), S);
    const alpha = op('sub', rowMean(u), C, scalar(0.5), S, C);
    const a = op('sub', op('sub', u, R, alpha, C), R, consts, [1, len]);
    const am = op('sub', a, R, scalar(1 / len), S);
    const a2 = op('mul', a, R, a, R), am2 = op('mul', am, R, am, R);
    const cubes = op('sub', op('mul', a2, R, a, R), R, op('mul', am2, R, am, R), R);
    loss = b.binary('div', rowSum(cubes), C, scalar(3), S, C);
    const dA = op('sub', a2, R, am2, R);
    gSorted = op('div', op('sub', dA, R, rowMean(dA), C), R, scalar(2 * Math.PI), S);
  }
  // sorted position (r, j) came from (r, indices[r, j]): flat r · len + indices[r, j]
  const idt = b.dtypes.includes('float64') ? 'float64' : dt;
  const idx = indices.dtype === idt ? indices : keep(b.cast(indices, idt));
  const rowStart = keep(b.upload(Float64Array.from({ length: rows }, (_, r) => r * len), idt));
  const flat = keep(b.binary('add', idx, R, rowStart, C, R));
  const grad = b.scatterAdd(gSorted, 1, rows * len, 1, flat);
  for (const t of temps) b.dispose?.(t);
  return { loss, grad };
}
