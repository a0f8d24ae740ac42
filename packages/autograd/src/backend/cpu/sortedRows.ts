import type { Storage } from '../backend.js';
import { sortedRowConstants, type SortedRowInput, type SortedRowLoss, type SortedRowLossResult } from '../sortedRows.js';
import { allocate } from '../../dtype.js';
import { CpuStorage, arr } from './storage.js';
import { binary } from './elementwise.js';
import { sort } from './layout.js';

/**
 * The chain rule through θ = atan2(y, x) for stacked coordinates s = [x; y] (2·rows × len) from
 * the angles' gradient g, in s's dtype as the composed graph rounds it: x̄ = −(g·y)/r²,
 * ȳ = (g·x)/r², r² = x² + y², both 0 where r² = 0.
 */
function coordinatesGrad(s: Storage, g: Storage, rows: number, len: number): Storage {
  const c = arr(s), gv = arr(g), m = rows * len;
  const out = allocate(s.dtype, 2 * m);
  const round = s.dtype === 'float32' ? Math.fround : (v: number): number => v;
  for (let i = 0; i < m; i++) {
    const x = c[i]!, y = c[m + i]!, gi = gv[i]!;
    const r2 = round(round(x * x) + round(y * y));
    out[i] = r2 === 0 ? 0 : -round(round(gi * y) / r2);
    out[m + i] = r2 === 0 ? 0 : round(round(gi * x) / r2);
  }
  return new CpuStorage(out);
}

/**
 * The cpu backend's {@link SortedRowKernels.sortedRowLoss}: each row sorted by the backend's sort,
 * then the loss and its gradient in plain loops (float64 sums), written back to the unsorted order;
 * for `coordinates` the angles come from the backend's atan2 and the gradient goes through it.
 */
export function sortedRowLoss(x: Storage, rows: number, len: number, kind: SortedRowLoss, input: SortedRowInput): SortedRowLossResult {
  if (input === 'coordinates') {
    const m = rows * len, c = arr(x);
    const xs = new CpuStorage(c.subarray(0, m)), ys = new CpuStorage(c.subarray(m, 2 * m));
    const r = sortedRowLoss(binary('atan2', ys, [rows, len], xs, [rows, len], [rows, len]), rows, len, kind, 'angles');
    return { loss: r.loss, grad: coordinatesGrad(x, r.grad, rows, len) };
  }
  const theta = x;
  const { values, indices } = sort(theta, rows, len);
  const v = arr(values), ix = arr(indices);
  const c = sortedRowConstants(kind, len);
  const loss = allocate(theta.dtype, rows), grad = allocate(theta.dtype, rows * len);
  const t = new Float64Array(len), g = new Float64Array(len);
  for (let r = 0; r < rows; r++) {
    const o = r * len;
    let s = 0;
    for (let j = 0; j < len; j++) s += v[o + j]!;
    let total = 0, gsum = 0;
    if (kind === 'sliced') {
      const mean = s / len;
      for (let j = 0; j < len; j++) {
        t[j] = v[o + j]! - mean - c[j]!;
        total += t[j]! * t[j]!;
        gsum += t[j]!;
      }
      loss[r] = 0.5 * total;
      for (let j = 0; j < len; j++) g[j] = t[j]! - gsum / len;
    } else {
      // u = (v + π)/(2π), α = mean(u) − ½, a = u − α − (j/n): W = Σ [a³ − (a − 1/n)³]/3
      const h = 1 / len;
      let us = 0;
      for (let j = 0; j < len; j++) us += (v[o + j]! + Math.PI) / (2 * Math.PI);
      const alpha = us / len - 0.5;
      for (let j = 0; j < len; j++) {
        const a = (v[o + j]! + Math.PI) / (2 * Math.PI) - alpha - c[j]!, am = a - h;
        total += a * a * a - am * am * am;
        t[j] = a * a - am * am;
        gsum += t[j]!;
      }
      loss[r] = total / 3;
      for (let j = 0; j < len; j++) g[j] = (t[j]! - gsum / len) / (2 * Math.PI);
    }
    for (let j = 0; j < len; j++) grad[o + ix[o + j]!] = g[j]!;
  }
  return { loss: new CpuStorage(loss), grad: new CpuStorage(grad) };
}
