import type { Backend, Storage } from './backend.js';

/**
 * The closed-form losses of sorted rows that {@link SortedRowKernels.sortedRowLoss} computes, for
 * a row θ of n angles sorted ascending into v_1 ≤ … ≤ v_n (stable: ties in index order):
 * - `sliced` (docs/math.md §2.7): ½ Σ_r (v_r − mean(v) − φ_r)², φ_r = −π + (2r − 1)π/n;
 * - `ssw` (docs/math.md §2.9): u_r = (v_r + π)/(2π), α = mean(u) − ½, a_r = u_r − α − (r − 1)/n,
 *   W = Σ_r [a_r³ − (a_r − 1/n)³]/3.
 */
export type SortedRowLoss = 'sliced' | 'ssw';

/** What {@link SortedRowKernels.sortedRowLoss} returns. */
export interface SortedRowLossResult {
  /** `rows` values: the loss of each row. */
  readonly loss: Storage;
  /** rows × len, row-major: ∂ loss_r / ∂ θ_ri, in θ's own (unsorted) order. */
  readonly grad: Storage;
}

/**
 * The fused sorted-row pass every backend implements: per row, sort, the closed-form loss of the
 * sorted values and its gradient scattered back to the original positions, in one sweep (the
 * composed graph of sort, means, residuals and their reverse pass is some thirty full-size ops).
 */
export interface SortedRowKernels {
  /** Each row's `kind` loss and its gradient for θ (rows × len, row-major). */
  sortedRowLoss(theta: Storage, rows: number, len: number, kind: SortedRowLoss): SortedRowLossResult;
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
 * broadcasting binary ops, sums, one scatter-add): what the gpu backend runs. Temporaries are
 * disposed as it goes.
 */
export function composedSortedRowLoss(b: Backend, theta: Storage, rows: number, len: number, kind: SortedRowLoss): SortedRowLossResult {
  const dt = theta.dtype;
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
