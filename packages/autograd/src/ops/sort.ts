import { checkTensor, record, wrap } from '../op.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { tensor } from './creation.js';
import { add } from './elementwise.js';
import { cast, indexSelect, permute, reshape } from './shape.js';

/** Moves `d` to the last dim and back (the sort kernel acts on contiguous rows). */
function lastDimPerm(rank: number, d: number): number[] {
  const p = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== d);
  p.push(d);
  return p;
}

/** The sorted values and indices of `x` along `dim` (not recorded), in x's layout, via a row sort of the permuted view. */
function sortRows(x: Tensor, d: number): { xp: Tensor; values: Tensor; indices: Tensor; inv: number[] } {
  const perm = lastDimPerm(x.rank, d);
  const xp = permute(x, perm);
  const len = xp.shape[xp.rank - 1]!;
  const { values, indices } = x.backend.sort(xp.storage, len === 0 ? 0 : xp.size / len, len);
  const inv = new Array<number>(perm.length);
  perm.forEach((a, i) => (inv[a] = i));
  return { xp, values: wrap(values, xp.shape, x.backend), indices: wrap(indices, xp.shape, x.backend), inv };
}

/** Stable ascending argsort along `dim` (last by default), ties by index; indices as floats. No gradient. */
export function argsort(x: Tensor, dim = -1): Tensor {
  checkTensor('argsort', x);
  if (x.rank === 0) return wrap(x.backend.fill(1, 0, x.dtype), [], x.backend);
  const { indices, inv } = sortRows(x.detach(), normalizeAxis('argsort', dim, x.rank));
  return permute(indices, inv);
}

/**
 * The VJP of a row sort: the cotangent `gz` of the sorted rows (rows × len, row-major) added back
 * at each row's sorted indices, as one scatter over the flat positions r · len + indices[r, j].
 */
function unsortRows(gz: Tensor, indices: Tensor): Tensor {
  const len = indices.shape[indices.rank - 1]!, size = indices.size;
  const rows = len === 0 ? 0 : size / len;
  const dtype = indices.backend.dtypes.includes('float64') ? 'float64' : indices.dtype;
  const rowStart = tensor(Float64Array.from({ length: rows }, (_, r) => r * len), { shape: [rows, 1], dtype, backend: indices.backend });
  const flat = reshape(add(reshape(cast(indices, dtype), [rows, len]), rowStart), [size]);
  return reshape(scatterFlat(reshape(gz, [size]), flat), gz.shape);
}

/**
 * `g` (flat) added into zeros at the positions `flat`, a permutation from a sort: the backend's
 * scatter-add without indexAdd's host check of indices that are valid by construction. Its VJP is
 * the gather at the same positions.
 */
function scatterFlat(g: Tensor, flat: Tensor): Tensor {
  const out = wrap(g.backend.scatterAdd(g.storage, 1, g.size, 1, flat.storage), [g.size], g.backend);
  return record('scatterAdd', [g], out, (gz) => [indexSelect(gz, 0, flat)]);
}

/**
 * Sorts along `dim` (ascending, stable). `values` is differentiable: its cotangent is scattered
 * back to the sorted positions (the VJP of a gather). Returns `{ values, indices }`.
 */
export function sort(x: Tensor, dim = -1): { values: Tensor; indices: Tensor } {
  checkTensor('sort', x);
  if (x.rank === 0) return { values: x, indices: argsort(x, dim) };
  const { xp, values, indices, inv } = sortRows(x, normalizeAxis('sort', dim, x.rank));
  const sorted = record('sort', [xp], values, (gz) => [unsortRows(gz, indices)]);
  return { values: permute(sorted, inv), indices: permute(indices, inv) };
}

/** Reverses along `dim` (a gather with descending indices). */
export function flip(x: Tensor, dim: number): Tensor {
  checkTensor('flip', x);
  const d = normalizeAxis('flip', dim, x.rank);
  const n = x.shape[d]!;
  return indexSelect(x, d, Array.from({ length: n }, (_, i) => n - 1 - i));
}

