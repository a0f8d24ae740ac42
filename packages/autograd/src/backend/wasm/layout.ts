/**
 * The wasm backend's data movement: strided copy and scatter, concat, gather and scatter-add of
 * rows, row sorts.
 */
import type { Storage } from '../backend.js';
import { ShapeError } from '../../errors.js';
import { sizeOf } from '../../shape.js';
import { alloc, own, planStrided, sameDtype, typed, withScratch, zeros, type WasmContext } from './context.js';
import { bytesOf, type WasmStorage } from './storage.js';

/** Contiguous copy of the strided view (permute, slice, expand). */
export function stridedCopy(ctx: WasmContext, xs: Storage, outShape: readonly number[], strides: readonly number[],
  offset: number): WasmStorage {
  const x = own(ctx, 'stridedCopy', xs);
  const out = alloc(ctx, sizeOf(outShape), x.dtype);
  const w = planStrided(ctx, outShape, strides, offset);
  typed(ctx, x.dtype).stridedCopy(out.ptr, x.ptr, w.rank, w.meta, w.offs);
  return out;
}

/** Zeros of `size` with `src` added at strided positions (the VJP of a slice). */
export function stridedScatter(ctx: WasmContext, srcs: Storage, srcShape: readonly number[], size: number,
  strides: readonly number[], offset: number): WasmStorage {
  const src = own(ctx, 'stridedScatter', srcs);
  const out = zeros(ctx, size, src.dtype);
  const w = planStrided(ctx, srcShape, strides, offset);
  typed(ctx, src.dtype).stridedScatter(out.ptr, src.ptr, w.rank, w.meta, w.offs);
  return out;
}

/** `[outer, lens[i], inner]` pieces joined along the middle axis (block copies within the memory). */
export function concat(ctx: WasmContext, xss: readonly Storage[], outer: number, lens: readonly number[], inner: number): WasmStorage {
  const xs = xss.map((x) => own(ctx, 'concat', x));
  const dtype = sameDtype('concat', xs);
  const total = lens.reduce((s, l) => s + l, 0);
  const out = alloc(ctx, outer * total * inner, dtype);
  const el = bytesOf(dtype);
  const mem = ctx.heap.u8();
  let at = 0;
  xs.forEach((x, k) => {
    const block = lens[k]! * inner * el;
    for (let r = 0; r < outer; r++) {
      const src = x.ptr + r * block;
      mem.copyWithin(out.ptr + r * total * inner * el + at, src, src + block);
    }
    at += block;
  });
  return out;
}

/** Runs `fn(ptr)` with the indices as float64 in memory, each checked (in the kernels) to be an integer in [0, len). */
function withIndices<T>(ctx: WasmContext, op: string, is: Storage, len: number, fn: (ptr: number, m: number) => T): T {
  const idx = own(ctx, op, is);
  const m = idx.size;
  // the scan runs in the kernels (assembly/layout.ts), not over a host copy
  const bad = ctx.kernels.exports[idx.dtype === 'float64' ? 'badIndex_f64' : 'badIndex_f32']!(idx.ptr, m, len);
  if (bad >= 0) throw new ShapeError(`${op}: expected integer indices in [0, ${len}), got ${idx.view()[bad]} at position ${bad}.`);
  if (idx.dtype === 'float64') return fn(idx.ptr, m);
  return withScratch(ctx, m * 8, (p) => {
    ctx.kernels.castUp(p, idx.ptr, m);
    return fn(p, m);
  });
}

/** Index-select along the middle axis of `[outer, len, inner]`. */
export function gather(ctx: WasmContext, xs: Storage, outer: number, len: number, inner: number, is: Storage): WasmStorage {
  const x = own(ctx, 'gather', xs);
  return withIndices(ctx, 'gather', is, len, (idx, m) => {
    const out = alloc(ctx, outer * m * inner, x.dtype);
    typed(ctx, x.dtype).gather(out.ptr, x.ptr, outer, len, inner, idx, m);
    return out;
  });
}

/** Rows of `g` summed into zeros `[outer, len, inner]` at their indices. */
export function scatterAdd(ctx: WasmContext, gs: Storage, outer: number, len: number, inner: number, is: Storage): WasmStorage {
  const g = own(ctx, 'scatterAdd', gs);
  return withIndices(ctx, 'scatterAdd', is, len, (idx, m) => {
    const out = zeros(ctx, outer * len * inner, g.dtype);
    typed(ctx, g.dtype).scatterAdd(out.ptr, g.ptr, outer, len, inner, idx, m);
    return out;
  });
}

/** Stable ascending sort of each row (NaN last); indices as floats of the same dtype. */
export function sort(ctx: WasmContext, xs: Storage, rows: number, len: number): { values: Storage; indices: Storage } {
  const x = own(ctx, 'sort', xs);
  const values = alloc(ctx, rows * len, x.dtype), indices = alloc(ctx, rows * len, x.dtype);
  // two key buffers, two u32 index buffers, a 256-bin histogram per key byte (assembly/sort.ts)
  const el = bytesOf(x.dtype);
  withScratch(ctx, 2 * len * el + 8 * len + 1024 * el, (scratch) => typed(ctx, x.dtype).sort(values.ptr, indices.ptr, x.ptr, rows, len, scratch));
  return { values, indices };
}
