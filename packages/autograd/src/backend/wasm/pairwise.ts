/** The wasm backend's fused pairwise passes (the kernels' tiled sweeps over pairs of rows). */
import type { Storage } from '../backend.js';
import type { NearestResult, PairDistance, PairKernel, PairKernelKind, PairwiseSumResult } from '../pairwise.js';
import { KeepdistError, OptionError, ShapeError } from '../../errors.js';
import { alloc, own, sameDtype, typed, withScratch, type WasmContext } from './context.js';

/** Rows per block of the kernels' sweeps (assembly/pairwise.ts): parts below two blocks stay on one thread. */
const PAIR_BLOCK = 64;

/**
 * Products q_k · x_i (m · n · d) from which few queries (fewer than two blocks per thread) split
 * their rows over the threads instead: below it one thread is faster than starting the others.
 */
const NEAREST_ROWS_SPLIT = 1 << 21;

/**
 * Widths d and row counts n up to which `nearest` skips the panels and tiles (assembly/nearestSmall.ts):
 * there the tiles' fixed costs (zero-padded edge tiles, per-block maxima) outweigh their register
 * blocking, which wins from about half a block of rows (float64, d = 3, 100 queries: 13 µs tiled
 * and 23 direct against 128 rows; 32 µs tiled and 16 direct against 24).
 */
const NEAREST_SMALL_D = 8, NEAREST_SMALL_N = 32;

/** Rounds a byte count up to 64. */
const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

const kinds: readonly PairKernelKind[] = ['gaussian', 'laplace', 'riesz', 'identity'];
const distances: readonly PairDistance[] = ['angle', 'chord', 'chordAuthors', 'chordSquared'];

/** Throws naming `op` unless x holds n × d elements. */
function checkRows(op: string, what: string, x: Storage, n: number, d: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 0 || x.size !== n * d) {
    throw new ShapeError(`${op}: expected ${what} of ${n} × ${d} = ${n * d} elements, got ${x.size}.`);
  }
}

/** The kernel's codes and parameters, or an OptionError naming the bad field. */
function kernelCodes(k: PairKernel): [kind: number, dist: number, gamma: number, s: number, eps: number] {
  const kind = kinds.indexOf(k.kernel), dist = distances.indexOf(k.distance);
  if (kind < 0) throw new OptionError(`pairwiseSum: expected kernel in ${kinds.join(', ')}, got '${String(k.kernel)}'.`);
  if (dist < 0) throw new OptionError(`pairwiseSum: expected distance in ${distances.join(', ')}, got '${String(k.distance)}'.`);
  for (const f of ['gamma', 's', 'eps'] as const) {
    if (!Number.isFinite(k[f])) throw new OptionError(`pairwiseSum: expected a finite ${f}, got ${k[f]}.`);
  }
  return [kind, dist, k.gamma, k.s, k.eps];
}

/** Σ_{i<j} k(c_ij) (float64 accumulation) and, with `withGrad`, G_i = Σ_{j≠i} k′(c_ij) x_j. */
export function pairwiseSum(ctx: WasmContext, xs: Storage, n: number, d: number, kernel: PairKernel, withGrad: boolean): PairwiseSumResult {
  const x = own(ctx, 'pairwiseSum', xs);
  checkRows('pairwiseSum', 'rows', x, n, d);
  const codes = kernelCodes(kernel);
  const kt = typed(ctx, x.dtype);
  const sfx = x.dtype === 'float64' ? 'f64' : 'f32';
  const grad = withGrad ? alloc(ctx, n * d, x.dtype) : null;
  const parts = n > 2 * PAIR_BLOCK ? Math.min(ctx.parts, Math.ceil(n / PAIR_BLOCK)) : 1;
  const sharedBytes = kt.pairwiseShared(n, d), privBytes = align(kt.pairwisePrivate(n, d));
  const total = withScratch(ctx, 64 + align(sharedBytes) + parts * privBytes, (scratch) => {
    const sums = scratch, shared = scratch + 64, priv = shared + align(sharedBytes); // part p's float64 sum at sums + 8p
    kt.pairwisePack(x.ptr, n, d, withGrad ? 1 : 0, shared);
    ctx.parallel(`pairwiseSweep_${sfx}`, parts, (p) => [n, d, ...codes, withGrad ? 1 : 0, shared, priv + p * privBytes, p, parts, sums + 8 * p]);
    if (grad) kt.pairwiseGather(grad.ptr, n, d, priv, privBytes, parts);
    const f64 = ctx.heap.f64();
    let t = 0;
    for (let p = 0; p < parts; p++) t += f64[sums / 8 + p]!;
    return t;
  });
  const sum = alloc(ctx, 1, x.dtype);
  sum.view()[0] = total;
  return { sum, grad };
}

/** Per query row of q (m × d): the largest q_k · x_i over rows of x (n × d), i ≠ k with excludeSelf. */
export function nearest(ctx: WasmContext, qs: Storage, m: number, xs: Storage, n: number, d: number, excludeSelf: boolean): NearestResult {
  const q = own(ctx, 'nearest', qs), x = own(ctx, 'nearest', xs);
  const dtype = sameDtype('nearest', [q, x]);
  checkRows('nearest', 'queries', q, m, d);
  checkRows('nearest', 'rows', x, n, d);
  if (excludeSelf && m !== n) throw new KeepdistError(`nearest: expected the queries to be the rows (m = n) with excludeSelf, got m = ${m}, n = ${n}.`);
  const kt = typed(ctx, dtype);
  const sfx = dtype === 'float64' ? 'f64' : 'f32';
  const values = alloc(ctx, m, dtype), indices = alloc(ctx, m, dtype);
  if (d <= NEAREST_SMALL_D && n <= NEAREST_SMALL_N) {
    // few dimensions and rows: each query against the transposed rows, no panels and tiles
    const parts = m * n * d >= NEAREST_ROWS_SPLIT ? Math.min(ctx.parts, m) : 1, per = Math.ceil(m / parts);
    withScratch(ctx, ctx.kernels.exports[`nearestSmallScratch_${sfx}`]!(n, d), (xt) => {
      ctx.kernels.exports[`nearestSmallPack_${sfx}`]!(x.ptr, n, d, xt);
      ctx.parallel(`nearestSmall_${sfx}`, parts, (p) => [n, d, excludeSelf ? 1 : 0, q.ptr, values.ptr, indices.ptr, xt, Math.min(m, p * per), Math.min(m, (p + 1) * per)]);
    });
    return { values, indices };
  }
  const sharedBytes = align(kt.nearestShared(m, n, d)), privBytes = align(kt.nearestPrivate());
  const queryBlocks = Math.ceil(m / PAIR_BLOCK), rowBlocks = Math.ceil(n / PAIR_BLOCK);
  if (ctx.parts > 1 && queryBlocks < 2 * ctx.parts && rowBlocks >= 2 * ctx.parts && m * n * d >= NEAREST_ROWS_SPLIT) {
    // few queries, many rows (Lloyd's samples against the points): split the rows, merge per query
    const parts = ctx.parts, outBytes = align(m * (dtype === 'float64' ? 8 : 4));
    withScratch(ctx, sharedBytes + parts * (privBytes + 2 * outBytes), (shared) => {
      const priv = shared + sharedBytes, partV = priv + parts * privBytes, partI = partV + parts * outBytes;
      kt.nearestPack(q.ptr, m, x.ptr, n, d, shared);
      ctx.parallel(`nearestRows_${sfx}`, parts, (p) => [m, n, d, excludeSelf ? 1 : 0, partV, partI, shared, priv + p * privBytes, p, parts]);
      ctx.kernels.exports[`nearestRowsMerge_${sfx}`]!(m, partV, partI, parts, values.ptr, indices.ptr);
    });
    return { values, indices };
  }
  const parts = m > 2 * PAIR_BLOCK ? Math.min(ctx.parts, queryBlocks) : 1;
  withScratch(ctx, sharedBytes + parts * privBytes, (shared) => {
    kt.nearestPack(q.ptr, m, x.ptr, n, d, shared);
    ctx.parallel(`nearest_${sfx}`, parts, (p) => [m, n, d, excludeSelf ? 1 : 0, values.ptr, indices.ptr, shared, shared + sharedBytes + p * privBytes, p, parts]);
  });
  return { values, indices };
}
