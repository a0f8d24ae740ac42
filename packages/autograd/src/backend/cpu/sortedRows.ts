import type { Storage } from '../backend.js';
import { sortedRowConstants, type SortedRowLoss, type SortedRowLossResult } from '../sortedRows.js';
import { allocate } from '../../dtype.js';
import { CpuStorage, arr } from './storage.js';
import { sort } from './layout.js';

/**
 * The cpu backend's {@link SortedRowKernels.sortedRowLoss}: each row sorted by the backend's sort,
 * then the loss and its gradient in plain loops (float64 sums), written back to the unsorted order.
 */
export function sortedRowLoss(theta: Storage, rows: number, len: number, kind: SortedRowLoss): SortedRowLossResult {
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
