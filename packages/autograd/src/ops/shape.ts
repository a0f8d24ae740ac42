import type { DType } from '../dtype.js';
import { KeepdistError, ShapeError, fmtShape } from '../errors.js';
import { checkTensor, commonBackend, describe, readForCheck, record, wrap } from '../op.js';
import { broadcastShapes, broadcastStrides, checkShape, normalizeAxis, sameShape, sizeOf, splitAt, stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { arange, tensor } from './creation.js';
import { add, mul } from './elementwise.js';
import { sum } from './reduce.js';
import type { Backend } from '../backend/backend.js';

/** Throws a ShapeError naming `op` unless `shape` is an array of numbers. */
function checkShapeArg(op: string, shape: unknown, what = 'a shape, an array of integers'): void {
  if (!Array.isArray(shape) || !shape.every((s) => typeof s === 'number')) {
    throw new ShapeError(`${op}: expected ${what}, got ${describe(shape)}.`);
  }
}

/** Same data, new shape (one entry may be −1 and is inferred).  x̄ = reshape(z̄, x.shape). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('reshape', x);
  checkShapeArg('reshape', shape);
  const known = shape.filter((s) => s !== -1);
  const infer = shape.length - known.length;
  checkShape('reshape', known);
  let target = shape.slice();
  if (infer > 1) throw new ShapeError(`reshape: expected at most one -1 in the shape, got ${fmtShape(shape)}.`);
  if (infer === 1) {
    const k = sizeOf(known);
    if (k === 0 || x.size % k !== 0) throw new ShapeError(`reshape: cannot infer -1 in ${fmtShape(shape)} for ${x.size} elements of ${fmtShape(x.shape)}.`);
    target = shape.map((s) => (s === -1 ? x.size / k : s));
  }
  if (sizeOf(target) !== x.size) {
    throw new ShapeError(`reshape: expected ${x.size} elements (from ${fmtShape(x.shape)}), got shape ${fmtShape(shape)} with ${sizeOf(target)}.`);
  }
  if (sameShape(target, x.shape)) return x;
  const out = wrap(x.storage, target, x.backend);
  return record('reshape', [x], out, (gz) => [reshape(gz, x.shape)]);
}

/** Inserts a size-1 dim at `dim`. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkTensor('unsqueeze', x);
  const d = normalizeAxis('unsqueeze', dim, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

/** Removes size-1 dims (all of them, or just `dim`). */
export function squeeze(x: Tensor, dim?: number): Tensor {
  checkTensor('squeeze', x);
  if (dim === undefined) return reshape(x, x.shape.filter((s) => s !== 1));
  const d = normalizeAxis('squeeze', dim, x.rank);
  if (x.shape[d] !== 1) throw new ShapeError(`squeeze: expected dim ${dim} of size 1, got ${x.shape[d]} in ${fmtShape(x.shape)}.`);
  return reshape(x, x.shape.filter((_, i) => i !== d));
}

/** Flattens to one dim. */
export function flatten(x: Tensor): Tensor {
  checkTensor('flatten', x);
  return reshape(x, [x.size]);
}

/** Reorders dims: out.shape[i] = x.shape[perm[i]].  x̄ = permute(z̄, perm⁻¹). */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  checkTensor('permute', x);
  checkShapeArg('permute', perm, 'perm, an array of axes');
  const p = perm.map((a) => normalizeAxis('permute', a, x.rank));
  if (p.length !== x.rank || new Set(p).size !== p.length) {
    throw new ShapeError(`permute: expected a permutation of ${x.rank} dims, got ${fmtShape(perm)} for shape ${fmtShape(x.shape)}.`);
  }
  if (p.every((a, i) => a === i)) return x;
  const st = stridesOf(x.shape);
  const shape = p.map((a) => x.shape[a]!);
  const out = wrap(x.backend.stridedCopy(x.storage, shape, p.map((a) => st[a]!), 0), shape, x.backend);
  const inv = new Array<number>(p.length);
  p.forEach((a, i) => (inv[a] = i));
  return record('permute', [x], out, (gz) => [permute(gz, inv)]);
}

/** Swaps two dims (the last two by default). */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  checkTensor('transpose', x);
  const a = normalizeAxis('transpose', dim0, x.rank), b = normalizeAxis('transpose', dim1, x.rank);
  const perm = x.shape.map((_, i) => i);
  [perm[a], perm[b]] = [b, a];
  return permute(x, perm);
}

/** Broadcasts to `shape` (NumPy rules).  x̄ = z̄ summed over the broadcast dims. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('expand', x);
  checkShapeArg('expand', shape);
  checkShape('expand', shape);
  const target = broadcastShapes('expand', x.shape, shape);
  if (!sameShape(target, shape)) {
    throw new ShapeError(`expand: expected a shape that ${fmtShape(x.shape)} broadcasts to, got ${fmtShape(shape)}.`);
  }
  if (sameShape(shape, x.shape)) return x;
  const out = wrap(x.backend.stridedCopy(x.storage, shape, broadcastStrides(x.shape, shape), 0), shape.slice(), x.backend);
  return record('expand', [x], out, (gz) => [unbroadcast(gz, x.shape)]);
}

/** Sums a broadcast cotangent back to `shape` (the VJP half of broadcasting). */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  return reshape(sum(g, dims, true), shape);
}

/**
 * Elements `start, start+step, …` (< end) along `dim`; negative start/end count from the end.
 * x̄ = z̄ placed back into zeros.
 */
export function slice(x: Tensor, dim: number, start: number, end?: number, step = 1): Tensor {
  checkTensor('slice', x);
  const d = normalizeAxis('slice', dim, x.rank);
  const n = x.shape[d]!;
  if (!Number.isInteger(step) || step < 1) throw new KeepdistError(`slice: expected a positive integer step, got ${step}.`);
  const norm = (v: number): number => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const s = norm(start), e = norm(end ?? n);
  const len = Math.max(0, Math.ceil((e - s) / step));
  const st = stridesOf(x.shape);
  const shape = x.shape.slice();
  shape[d] = len;
  const strides = st.slice();
  strides[d] = st[d]! * step;
  const offset = len > 0 ? s * st[d]! : 0;
  const out = wrap(x.backend.stridedCopy(x.storage, shape, strides, offset), shape, x.backend);
  return record('slice', [x], out, (gz) => [
    wrap(gz.backend.stridedScatter(gz.storage, gz.shape, x.size, strides, offset), x.shape, gz.backend),
  ]);
}

/**
 * Indices from a Tensor or plain numbers, validated against `len`, on `like`'s backend. They are
 * float64 wherever the backend stores it (exact up to 2^53), so a float32 tensor can be indexed
 * past 2^24 elements; float32-only backends keep float32 indices (exact up to 2^24).
 */
function indexTensor(op: string, idx: Tensor | ArrayLike<number>, len: number, like: Tensor): Tensor {
  const dtype = like.backend.dtypes.includes('float64') ? 'float64' : like.dtype;
  if (!(idx instanceof Tensor)) {
    // an array is checked as it is (no upload and read back)
    const ok = Array.isArray(idx) || ArrayBuffer.isView(idx);
    const list = idx as ArrayLike<unknown>;
    for (let i = 0; ok && i < list.length; i++) {
      if (typeof list[i] !== 'number') throw new ShapeError(`${op}: expected indices, a Tensor or an array of integers, got ${describe(idx)}.`);
    }
    if (!ok) throw new ShapeError(`${op}: expected indices, a Tensor or an array of integers, got ${describe(idx)}.`);
    checkIndices(op, idx, len);
    return tensor(Array.isArray(idx) ? idx : Array.from(idx), { dtype, backend: like.backend });
  }
  const t = idx;
  if (t.dtype !== dtype && t.backend.synchronous) return indexTensor(op, t.readSync(op), len, like);
  if (t.backend.synchronous) checkIndices(op, readForCheck(t, op), len);
  return t;
}

/** Throws a ShapeError naming `op` unless every index is an integer in [0, len). */
function checkIndices(op: string, d: ArrayLike<number>, len: number): void {
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= len) throw new ShapeError(`${op}: expected integer indices in [0, ${len}), got ${v} at position ${i}.`);
  }
}

/** Selects entries `idx` along `dim` (PyTorch's index_select).  x̄ = z̄ scatter-added at idx (repeats sum). */
export function indexSelect(x: Tensor, dim: number, idx: Tensor | ArrayLike<number>): Tensor {
  checkTensor('indexSelect', x);
  const d = normalizeAxis('indexSelect', dim, x.rank);
  const [outer, len, inner] = splitAt(x.shape, d);
  const it = indexTensor('indexSelect', idx, len, x);
  const shape = x.shape.slice();
  shape[d] = it.size;
  const out = wrap(x.backend.gather(x.storage, outer, len, inner, it.storage), shape, x.backend);
  return record('indexSelect', [x], out, (gz) => [scatterAddRows(gz, x.shape, d, it)]);
}

/**
 * PyTorch's index_add into zeros: a tensor of `src`'s shape with `len` entries along `dim`, where
 * out[…, idx[k], …] = Σ of src[…, k, …] over the k with that index (repeats sum, other entries 0).
 * The VJP of {@link indexSelect}.  src̄ = indexSelect(z̄, dim, idx).
 */
export function indexAdd(src: Tensor, dim: number, idx: Tensor | ArrayLike<number>, len: number): Tensor {
  const d = normalizeAxis('indexAdd', dim, src.rank);
  if (!Number.isInteger(len) || len < 0) throw new ShapeError(`indexAdd: expected a length ≥ 0 along dim ${dim}, got ${len}.`);
  const it = indexTensor('indexAdd', idx, len, src);
  if (it.size !== src.shape[d]) {
    throw new ShapeError(`indexAdd: expected ${src.shape[d]} indices (src's dim ${dim}), got ${it.size}.`);
  }
  const shape = src.shape.slice();
  shape[d] = len;
  return scatterAddRows(src, shape, d, it);
}

/** The VJP of indexSelect as a differentiable op (its own VJP is indexSelect). */
function scatterAddRows(g: Tensor, shape: readonly number[], d: number, it: Tensor): Tensor {
  const [outer, len, inner] = splitAt(shape, d);
  const out = wrap(g.backend.scatterAdd(g.storage, outer, len, inner, it.storage), shape, g.backend);
  return record('scatterAdd', [g], out, (gz) => [indexSelect(gz, d, it)]);
}

/**
 * PyTorch's gather / NumPy's take_along_axis: out[…, j, …] = x[…, idx[…, j, …], …] along `dim`,
 * where `idx` has x's shape except along `dim`. Differentiable in x.
 */
export function takeAlongDim(x: Tensor, idx: Tensor, dim: number): Tensor {
  checkTensor('takeAlongDim', x);
  checkTensor('takeAlongDim', idx);
  const d = normalizeAxis('takeAlongDim', dim, x.rank);
  if (idx.rank !== x.rank || idx.shape.some((s, i) => i !== d && s !== x.shape[i])) {
    throw new ShapeError(`takeAlongDim: expected indices shaped like ${fmtShape(x.shape)} except dim ${dim}, got ${fmtShape(idx.shape)}.`);
  }
  const [outer, len, inner] = splitAt(x.shape, d);
  const m = idx.shape[d]!;
  if (!idx.backend.synchronous) {
    // indices stay on the device (no sync read): flat = (o·len + idx)·inner + i from index ramps
    const opts = { dtype: idx.dtype, backend: idx.backend };
    const o = reshape(arange(outer, undefined, 1, opts), [outer, 1, 1]);
    const i = reshape(arange(inner, undefined, 1, opts), [1, 1, inner]);
    const flat = add(mul(add(mul(o, len), reshape(idx.detach(), [outer, m, inner])), inner), i);
    return reshape(indexSelect(reshape(x, [x.size]), 0, reshape(flat, [idx.size])), idx.shape);
  }
  const ix = idx.readSync('takeAlongDim');
  const flat = new Float64Array(idx.size);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < inner; i++) {
        const at = (o * m + j) * inner + i;
        const v = ix[at]!;
        if (!Number.isInteger(v) || v < 0 || v >= len) throw new ShapeError(`takeAlongDim: expected integer indices in [0, ${len}), got ${v}.`);
        flat[at] = (o * len + v) * inner + i;
      }
    }
  }
  return reshape(indexSelect(reshape(x, [x.size]), 0, flat), idx.shape);
}

/** Joins tensors along an existing dim.  Each input's cotangent is its slice of z̄. */
export function concat(xs: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new KeepdistError(`concat: expected a non-empty array of tensors, got ${Array.isArray(xs) ? 'none' : describe(xs)}.`);
  const backend = commonBackend('concat', xs);
  const d = normalizeAxis('concat', dim, xs[0]!.rank);
  for (const x of xs) {
    if (x.rank !== xs[0]!.rank || x.shape.some((s: number, i: number) => i !== d && s !== xs[0]!.shape[i])) {
      throw new ShapeError(`concat: expected shapes equal except dim ${dim}, got ${fmtShape(xs[0]!.shape)} and ${fmtShape(x.shape)}.`);
    }
  }
  const [outer, , inner] = splitAt(xs[0]!.shape, d);
  const lens = xs.map((x) => x.shape[d]!);
  const shape = xs[0]!.shape.slice();
  shape[d] = lens.reduce((a, b) => a + b, 0);
  const out = wrap(backend.concat(xs.map((x) => x.storage), outer, lens, inner), shape, backend);
  return record('concat', xs, out, (gz) => {
    let at = 0;
    return xs.map((x) => {
      const g = x.requiresGrad ? slice(gz, d, at, at + x.shape[d]!) : null;
      at += x.shape[d]!;
      return g;
    });
  });
}

/** Joins tensors of one shape along a new dim. */
export function stack(xs: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new KeepdistError(`stack: expected a non-empty array of tensors, got ${Array.isArray(xs) ? 'none' : describe(xs)}.`);
  commonBackend('stack', xs);
  for (const x of xs) {
    if (x.rank !== xs[0]!.rank || x.shape.some((s: number, i: number) => s !== xs[0]!.shape[i])) {
      throw new ShapeError(`stack: expected tensors of one shape, got ${fmtShape(xs[0]!.shape)} and ${fmtShape(x.shape)}.`);
    }
  }
  const d = normalizeAxis('stack', dim, xs[0]!.rank + 1);
  return concat(xs.map((x) => unsqueeze(x, d)), d);
}

/** Converts to another dtype.  x̄ = cast(z̄, x.dtype). */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor('cast', x);
  if (dtype !== 'float32' && dtype !== 'float64') throw new KeepdistError(`cast: expected dtype 'float32' or 'float64', got ${describe(dtype)}.`);
  if (x.dtype === dtype) return x;
  if (!x.backend.dtypes.includes(dtype)) {
    throw new KeepdistError(`cast: expected a dtype the '${x.backend.name}' backend stores (${x.backend.dtypes.join(', ')}), got ${dtype}.`);
  }
  const out = wrap(x.backend.cast(x.storage, dtype), x.shape, x.backend);
  return record('cast', [x], out, (gz) => [cast(gz, x.dtype)]);
}

/** Copies a tensor to another backend (synchronous backends only; differentiable). */
export function toBackend(x: Tensor, backend: Backend): Tensor {
  if (!(x instanceof Tensor)) throw new KeepdistError(`toBackend: expected a Tensor, got ${describe(x)}.`);
  if (typeof backend !== 'object' || backend === null || typeof backend.upload !== 'function') {
    throw new KeepdistError(`toBackend: expected a Backend (cpuBackend, a GpuBackend), got ${describe(backend)}.`);
  }
  if (x.backend === backend) return x;
  const out = wrap(backend.upload(x.readSync('toBackend'), x.dtype), x.shape, backend);
  return record('toBackend', [x], out, (gz) => [toBackend(gz, x.backend)]);
}
