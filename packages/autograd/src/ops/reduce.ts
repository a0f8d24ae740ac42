import type { ReduceOp } from '../backend/backend.js';
import { KeepdistError, ShapeError, fmtShape } from '../errors.js';
import { checkLive, describe, noGrad, record, wrap } from '../op.js';
import { normalizeAxis } from '../shape.js';
import { Tensor } from '../tensor.js';
import { arange } from './creation.js';
import { normDirectRange } from '../dtype.js';
import { abs, add, div, eq, exp, gt, log, lt, mul, sqrt, square, sub, where } from './elementwise.js';
import { expand, reshape } from './shape.js';

/** Normalised, sorted, distinct reduction dims (all dims when `dim` is undefined). */
function reduceDims(op: string, x: Tensor, dim?: number | readonly number[]): number[] {
  checkInput(op, x);
  if (dim !== undefined && typeof dim !== 'number' && !(Array.isArray(dim) && dim.every((d) => typeof d === 'number'))) {
    throw new ShapeError(`${op}: expected dim to be an axis number, an array of axis numbers or undefined (all dims), got ${describe(dim)}.`);
  }
  if (dim === undefined) return x.shape.map((_, i) => i);
  if (typeof dim === 'number') return [normalizeAxis(op, dim, x.rank)];
  const dims = dim.slice();
  const out = [...new Set(dims.map((d) => normalizeAxis(op, d, x.rank)))].sort((a, b) => a - b);
  if (out.length !== dims.length) throw new ShapeError(`${op}: expected distinct dims, got ${fmtShape(dims)}.`);
  return out;
}

/** Throws naming `op` unless `x` is a live Tensor. */
function checkInput(op: string, x: Tensor): void {
  if (!(x instanceof Tensor)) throw new KeepdistError(`${op}: expected a Tensor, got ${describe(x)}.`);
  checkLive(op, x);
}

/** Throws naming `op` unless `dim` is undefined or a number (the one-axis reductions). */
function checkOneDim(op: string, dim: unknown): void {
  if (dim !== undefined && typeof dim !== 'number') {
    throw new ShapeError(`${op}: expected dim to be an axis number or undefined (all elements), got ${describe(dim)}.`);
  }
}

/** Shape after reducing `dims`, keeping them as size 1 or dropping them. */
function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((s, i) => (dims.includes(i) ? 1 : s)) : shape.filter((_, i) => !dims.includes(i));
}

/** Runs a one-axis reduce kernel (keepdim shape). */
function reduceAxis(op: ReduceOp, x: Tensor, d: number): Tensor {
  return reduceSpan(op, x, d, d);
}

/** Runs a reduce kernel over the adjacent dims d0..d1 at once (keepdim shape). */
function reduceSpan(op: ReduceOp, x: Tensor, d0: number, d1: number): Tensor {
  const shape = x.shape.slice();
  let outer = 1, len = 1, inner = 1;
  for (let i = 0; i < shape.length; i++) {
    const n = shape[i]!;
    if (i < d0) outer *= n;
    else if (i > d1) inner *= n;
    else {
      len *= n;
      shape[i] = 1;
    }
  }
  return wrap(x.backend.reduce(op, x.storage, outer, len, inner), shape, x.backend);
}

/**
 * Σ over `dim` (all dims by default), each run of adjacent dims in one kernel pass (a full sum is
 * one pass over the flat data).  x̄ = z̄ broadcast back to x.shape.
 */
export function sum(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const dims = reduceDims('sum', x, dim);
  let y = x;
  for (let k = 0; k < dims.length;) {
    let j = k;
    while (j + 1 < dims.length && dims[j + 1] === dims[j]! + 1) j++;
    y = reduceSpan('sum', y, dims[k]!, dims[j]!);
    k = j + 1;
  }
  const out = wrap(y.storage, reducedShape(x.shape, dims, keepdim), x.backend);
  return record('sum', [x], out, (gz) => [
    expand(reshape(gz, reducedShape(x.shape, dims, true)), x.shape),
  ]);
}

/** Mean over `dim` (all dims by default): sum / count. */
export function mean(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const dims = reduceDims('mean', x, dim);
  const count = dims.reduce((c, d) => c * x.shape[d]!, 1);
  if (count === 0) {
    throw new ShapeError(`mean: expected a non-empty reduction, got shape ${fmtShape(x.shape)} reduced over dims ${fmtShape(dims)} (0 elements; the mean is 0/0). Check the input is not empty.`);
  }
  return div(sum(x, dims, keepdim), count);
}

/** Flattens when no dim is given, so extreme-value reductions act on one axis. */
function oneAxis(op: string, x: Tensor, dim?: number): { x: Tensor; d: number; all: boolean } {
  checkInput(op, x);
  checkOneDim(op, dim);
  if (x.size === 0) throw new ShapeError(`${op}: expected a non-empty tensor, got shape ${fmtShape(x.shape)}.`);
  if (dim === undefined) return { x: reshape(x, [x.size]), d: 0, all: true };
  const d = normalizeAxis(op, dim, x.rank);
  if (x.shape[d] === 0) throw new ShapeError(`${op}: expected a non-empty dim ${dim}, got shape ${fmtShape(x.shape)}.`);
  return { x, d, all: false };
}

/**
 * max or min along one dim (over everything when `dim` is undefined). The gradient goes to the
 * first position that attains the extreme (ties broken by the lowest index, docs/math.md's convention).
 */
function extreme(op: 'max' | 'min', x0: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  const { x, d, all } = oneAxis(op, x0, dim);
  const values = reduceAxis(op, x, d);
  const at = reduceAxis(op === 'max' ? 'argmax' : 'argmin', x, d);
  const outShape = all ? (keepdim ? x0.shape.map(() => 1) : []) : reducedShape(x0.shape, [d], keepdim);
  const out = wrap(values.storage, outShape, x0.backend);
  return record(op, [x0], out, (gz) => {
    const pos = reshape(arange(x.shape[d]!, undefined, 1, { dtype: x.dtype, backend: x.backend }),
      x.shape.map((s, i) => (i === d ? s : 1)));
    const onehot = noGrad(() => eq(pos, at));
    return [reshape(mul(onehot, reshape(gz, values.shape)), x0.shape)];
  });
}

/** Maximum along `dim` (everything by default); gradient to the first maximal element. */
export function max(x: Tensor, dim?: number, keepdim = false): Tensor {
  return extreme('max', x, dim, keepdim);
}

/** Minimum along `dim` (everything by default); gradient to the first minimal element. */
export function min(x: Tensor, dim?: number, keepdim = false): Tensor {
  return extreme('min', x, dim, keepdim);
}

/** Index (as a float) of the first maximum along `dim` (of the flattened tensor by default). No gradient. */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  const { x: y, d, all } = oneAxis('argmax', x, dim);
  const r = reduceAxis('argmax', y, d);
  return reshape(r, all ? (keepdim ? x.shape.map(() => 1) : []) : reducedShape(x.shape, [d], keepdim));
}

/** Index (as a float) of the first minimum along `dim`. No gradient. */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  const { x: y, d, all } = oneAxis('argmin', x, dim);
  const r = reduceAxis('argmin', y, d);
  return reshape(r, all ? (keepdim ? x.shape.map(() => 1) : []) : reducedShape(x.shape, [d], keepdim));
}

/**
 * log Σ exp(x) along `dim`, stably: m + log Σ exp(x − m) with m = max (held constant, which
 * leaves the value and gradient unchanged). x̄ = z̄ · softmax(x).
 */
export function logsumexp(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const dims = reduceDims('logsumexp', x, dim);
  if (dims.some((d) => x.shape[d] === 0)) throw new KeepdistError(`logsumexp: expected non-empty dims, got shape ${fmtShape(x.shape)}.`);
  const m = noGrad(() => {
    let y = x.detach();
    for (const d of dims) y = reduceAxis('max', y, d);
    return where(eq(abs(y), Infinity), 0, y); // all −∞ (or +∞) rows: shift by 0
  });
  const s = log(sum(exp(sub(x, m)), dims, true));
  return reshape(add(s, m), reducedShape(x.shape, dims, keepdim));
}


/**
 * √Σx² over `dims` (keepdim shape), without overflow or underflow: where m = max |x| lies outside
 * {@link normDirectRange} (and is finite and nonzero), m · √Σ(x/m)²; elsewhere the plain sum, which
 * inside the range is exact to rounding and bit for bit the unscaled formula.
 */
function rootSumSquares(x: Tensor, dims: readonly number[]): Tensor {
  const direct = (): Tensor => sqrt(sum(square(x), dims, true));
  if (x.size === 0) return direct();
  let m = abs(x);
  for (const d of dims) m = reduceAxis('max', m, d);
  const [lo, hi] = normDirectRange[x.dtype];
  const outside = mul(add(gt(m, hi), lt(m, lo)), mul(gt(m, 0), lt(m, Infinity)));
  const scale = where(outside, m, 1);
  // on synchronous backends (cpu, wasm) reading the (small) scale is cheap: skip the division when
  // nothing needs it; device backends always take the scaled path rather than stall on a read
  if (scale.backend.synchronous && scale.readSync('norm').every((v) => v === 1)) return direct();
  return mul(sqrt(sum(square(div(x, scale)), dims, true)), scale);
}

/**
 * Euclidean norm √Σx² along `dim` (all by default), computed without overflow or underflow (rows
 * of 1e200 or 1e-200 have their true norm: see {@link normDirectRange}).  x̄ = z̄ · x / ‖x‖, and 0
 * where ‖x‖ = 0 (the minimum-norm subgradient) rather than 0/0.
 */
export function norm(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const dims = reduceDims('norm', x, dim);
  const r = noGrad(() => rootSumSquares(x.detach(), dims));
  const out = wrap(r.storage, reducedShape(x.shape, dims, keepdim), x.backend);
  return record('norm', [x], out, (gz) => {
    const scale = where(eq(r, 0), 0, div(reshape(gz, r.shape), where(eq(r, 0), 1, r)));
    return [mul(x, scale)];
  });
}
