import type { ReduceOp, Storage } from '../backend.js';
import { allocate } from '../../dtype.js';
import { CpuStorage, arr } from './storage.js';

/**
 * Reduces the middle axis of `[outer, len, inner]`. Sums accumulate in float64; max/min propagate
 * NaN; argmax/argmin give the first index of the extreme value (NaN counts as extreme).
 */
export function reduce(op: ReduceOp, xs: Storage, outer: number, len: number, inner: number): Storage {
  const x = arr(xs);
  const out = allocate(xs.dtype, outer * inner);
  if (op === 'sum') {
    const acc = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      acc.fill(0);
      const base = o * len * inner;
      if (inner === 1) {
        let s = 0;
        for (let l = 0; l < len; l++) s += x[base + l]!;
        acc[0] = s;
      } else {
        for (let l = 0; l < len; l++) {
          const row = base + l * inner;
          for (let i = 0; i < inner; i++) acc[i]! += x[row + i]!;
        }
      }
      out.set(acc, o * inner);
    }
    return new CpuStorage(out);
  }
  const wantMax = op === 'max' || op === 'argmax';
  const wantIndex = op === 'argmax' || op === 'argmin';
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let best = x[base]!;
      let at = 0;
      for (let l = 1; l < len && best === best; l++) {
        const v = x[base + l * inner]!;
        if (v !== v || (wantMax ? v > best : v < best)) {
          best = v;
          at = l;
        }
      }
      out[o * inner + i] = wantIndex ? at : best;
    }
  }
  return new CpuStorage(out);
}
