import { checkTensor, wrap } from '../op.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { indexSelect, permute, takeAlongDim } from './shape.js';

/** Moves `d` to the last dim and back (the sort kernel acts on contiguous rows). */
function lastDimPerm(rank: number, d: number): number[] {
  const p = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== d);
  p.push(d);
  return p;
}

/** Stable ascending argsort along `dim` (last by default), ties by index; indices as floats. No gradient. */
export function argsort(x: Tensor, dim = -1): Tensor {
  checkTensor('argsort', x);
  if (x.rank === 0) return wrap(x.backend.fill(1, 0, x.dtype), [], x.backend);
  const d = normalizeAxis('argsort', dim, x.rank);
  const perm = lastDimPerm(x.rank, d);
  const xp = permute(x.detach(), perm);
  const len = xp.shape[xp.rank - 1]!;
  const { indices } = x.backend.sort(xp.storage, len === 0 ? 0 : xp.size / len, len);
  const inv = new Array<number>(perm.length);
  perm.forEach((a, i) => (inv[a] = i));
  return permute(wrap(indices, xp.shape, x.backend), inv);
}

/**
 * Sorts along `dim` (ascending, stable). `values` is differentiable: its cotangent is scattered
 * back to the sorted positions (the VJP of a gather). Returns `{ values, indices }`.
 */
export function sort(x: Tensor, dim = -1): { values: Tensor; indices: Tensor } {
  checkTensor('sort', x);
  if (x.rank > 0) normalizeAxis('sort', dim, x.rank);
  const indices = argsort(x, dim);
  if (x.rank === 0) return { values: x, indices };
  return { values: takeAlongDim(x, indices, normalizeAxis('sort', dim, x.rank)), indices };
}

/** Reverses along `dim` (a gather with descending indices). */
export function flip(x: Tensor, dim: number): Tensor {
  checkTensor('flip', x);
  const d = normalizeAxis('flip', dim, x.rank);
  const n = x.shape[d]!;
  return indexSelect(x, d, Array.from({ length: n }, (_, i) => n - 1 - i));
}

