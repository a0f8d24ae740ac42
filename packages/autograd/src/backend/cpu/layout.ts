import type { Storage } from '../backend.js';
import { allocate, type TypedArray } from '../../dtype.js';
import { sizeOf, stridesOf } from '../../shape.js';
import { CpuStorage, arr, collapseDims, forEachRun } from './storage.js';

/** Contiguous copy of a strided view (permute, slice, expand). */
export function stridedCopy(xs: Storage, outShape: readonly number[], strides: readonly number[], offset: number): Storage {
  const x = arr(xs);
  const o = allocate(xs.dtype, sizeOf(outShape));
  const { shape, strides: st } = collapseDims(outShape, [stridesOf(outShape), strides]);
  const s = shape.length ? st[1]![shape.length - 1]! : 0;
  forEachRun(shape, st, [0, offset], (off, n) => {
    const oo = off[0]!, xo = off[1]!;
    if (s === 1) o.set(x.subarray(xo, xo + n), oo);
    else for (let i = 0; i < n; i++) o[oo + i] = x[xo + i * s]!;
  });
  return new CpuStorage(o);
}

/** Adds `src` into a zero buffer of `size` at strided positions (the VJP of a slice). */
export function stridedScatter(src: Storage, srcShape: readonly number[], size: number, strides: readonly number[],
  offset: number): Storage {
  const x = arr(src);
  const o = allocate(src.dtype, size);
  const { shape, strides: st } = collapseDims(srcShape, [stridesOf(srcShape), strides]);
  const s = shape.length ? st[1]![shape.length - 1]! : 0;
  forEachRun(shape, st, [0, offset], (off, n) => {
    const xo = off[0]!, oo = off[1]!;
    for (let i = 0; i < n; i++) o[oo + i * s]! += x[xo + i]!;
  });
  return new CpuStorage(o);
}

/** Concatenation of `[outer, lens[i], inner]` blocks along the middle axis. */
export function concat(xs: readonly Storage[], outer: number, lens: readonly number[], inner: number): Storage {
  const total = lens.reduce((s, l) => s + l, 0);
  const o = allocate(xs[0]!.dtype, outer * total * inner);
  let at = 0;
  xs.forEach((xs_, k) => {
    const x = arr(xs_);
    const block = lens[k]! * inner;
    for (let r = 0; r < outer; r++) o.set(x.subarray(r * block, (r + 1) * block), r * total * inner + at);
    at += block;
  });
  return new CpuStorage(o);
}

/** Index-select along the middle axis of `[outer, len, inner]`. */
export function gather(xs: Storage, outer: number, len: number, inner: number, is: Storage): Storage {
  const x = arr(xs), idx = arr(is);
  const m = idx.length;
  const o = allocate(xs.dtype, outer * m * inner);
  for (let r = 0; r < outer; r++) {
    for (let j = 0; j < m; j++) {
      const src = (r * len + idx[j]!) * inner;
      o.set(x.subarray(src, src + inner), (r * m + j) * inner);
    }
  }
  return new CpuStorage(o);
}

/** VJP of gather: rows of `g` summed into zeros `[outer, len, inner]` at their indices. */
export function scatterAdd(gs: Storage, outer: number, len: number, inner: number, is: Storage): Storage {
  const g = arr(gs), idx = arr(is);
  const m = idx.length;
  const o = allocate(gs.dtype, outer * len * inner);
  for (let r = 0; r < outer; r++) {
    for (let j = 0; j < m; j++) {
      const dst = (r * len + idx[j]!) * inner, src = (r * m + j) * inner;
      for (let i = 0; i < inner; i++) o[dst + i]! += g[src + i]!;
    }
  }
  return new CpuStorage(o);
}

/** Rows up to this long are sorted by insertion (a comparator called from the engine's sort costs more there). */
const INSERTION_MAX = 32;

/** True when `a` sorts strictly before `b`: smaller, or a number before NaN. */
function before(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

/** Stable insertion sort of `order[0..len)` (indices into the row of `x` at `base`) by value, NaN last. */
function insertionSort(x: TypedArray, base: number, order: Uint32Array, len: number): void {
  for (let i = 1; i < len; i++) {
    const k = order[i]!, v = x[base + k]!;
    let j = i - 1;
    while (j >= 0 && before(v, x[base + order[j]!]!)) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = k;
  }
}

/** Stable ascending sort of each row (NaN last); indices returned as floats of the same dtype. */
export function sort(xs: Storage, rows: number, len: number): { values: Storage; indices: Storage } {
  const x = arr(xs);
  const values = allocate(xs.dtype, rows * len);
  const indices = allocate(xs.dtype, rows * len);
  const order = new Uint32Array(len);
  for (let r = 0; r < rows; r++) {
    const base = r * len;
    for (let i = 0; i < len; i++) order[i] = i;
    if (len <= INSERTION_MAX) insertionSort(x, base, order, len);
    else {
      order.sort((i, j) => {
        const a = x[base + i]!, b = x[base + j]!;
        if (a < b) return -1;
        if (a > b) return 1;
        if (a !== a && b === b) return 1;
        if (b !== b && a === a) return -1;
        return i - j;
      });
    }
    for (let i = 0; i < len; i++) {
      values[base + i] = x[base + order[i]!]!;
      indices[base + i] = order[i]!;
    }
  }
  return { values: new CpuStorage(values), indices: new CpuStorage(indices) };
}
