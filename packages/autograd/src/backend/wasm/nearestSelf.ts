/**
 * The wasm backend's nearest-neighbour pass of a set against itself (assembly/nearestSelf.ts): the
 * upper block triangle only, each pair formed once, block rows split over the threads, each
 * thread's row and column maxima merged at the end. Same result as the general sweep of
 * `nearest` with excludeSelf (largest cosine, lowest index on ties, a NaN wins), half the work.
 */
import type { NearestResult } from '../pairwise.js';
import { alloc, typed, withScratch, type WasmContext } from './context.js';
import type { WasmStorage } from './storage.js';

/** Rows per block of the sweep (assembly/pairKernels.ts B). */
const BLOCK = 64;

/** Rounds a byte count up to 64. */
const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/** Per row k of x (n × d): the largest x_k · x_i over i ≠ k and the lowest i reaching it. */
export function nearestSelf(ctx: WasmContext, x: WasmStorage, n: number, d: number): NearestResult {
  const dtype = x.dtype, sfx = dtype === 'float64' ? 'f64' : 'f32';
  const kt = typed(ctx, dtype), ex = ctx.kernels.exports;
  const values = alloc(ctx, n, dtype), indices = alloc(ctx, n, dtype);
  const blocks = Math.ceil(n / BLOCK);
  const parts = blocks >= 4 ? Math.min(ctx.parts, Math.floor(blocks / 2)) : 1;
  const sharedBytes = align(kt.nearestShared(n, n, d)), privBytes = align(ex[`nearestSelfPrivate_${sfx}`]!(n));
  withScratch(ctx, sharedBytes + parts * privBytes, (shared) => {
    const priv = shared + sharedBytes;
    kt.nearestPack(x.ptr, n, x.ptr, n, d, shared);
    ctx.parallel(`nearestSelf_${sfx}`, parts, (p) => [n, d, shared, priv + p * privBytes, p, parts]);
    ex[`nearestSelfMerge_${sfx}`]!(n, priv, privBytes, parts, values.ptr, indices.ptr);
  });
  return { values, indices };
}
