// Batched matmul C = op(A) · op(B): a GotoBLAS-style blocked GEMM over the packed panels of
// gemm.ts (depth blocks of KC, row blocks of MC), and a thin path for few output columns
// (n ≤ 4, A not transposed: the n × d by d × k products of projections), which takes SIMD dot
// products of A's rows with op(B)'s columns instead of padding B panels to NR columns, and a shallow
// path for a small inner dimension (k ≤ 4: their backward, n × k by k × d), where each row of C is
// a short sum of op(B)'s rows, and a wide path for a few rows against a matrix stored row-wise
// (m ≤ 4, B transposed: p · Xᵀ), where packing panels would cost more than the product.
import { at, lanes } from './simd';
import { MR, nr, packA, packB, tileInto } from './gemm';

/** Depth of one block: a B micro-panel (KC · NR) stays in L1. */
const KC: i32 = 256;
/** Rows of one A block: MC · KC elements stay in L2. */
const MC: i32 = 64;
/** Output columns up to which the thin path runs. */
export const THIN_MAX: i32 = 4;
/** Inner dimension up to which the shallow path runs. */
export const SHALLOW_MAX: i32 = 4;
/** Rows of op(A) up to which the wide path runs. */
export const WIDE_MAX: i32 = 4;

/**
 * Bytes of scratch one product needs: the packed columns of op(B) on the thin path; else packed B
 * for KC × n, packed A for MC × KC and one edge tile.
 */
export function matmulScratch_f32(k: i32, n: i32, transA: bool): i32 { return scratchBytes<f32>(k, n, transA); }
export function matmulScratch_f64(k: i32, n: i32, transA: bool): i32 { return scratchBytes<f64>(k, n, transA); }

@inline function scratchBytes<T>(k: i32, n: i32, transA: bool): i32 {
  if (n <= THIN_MAX && !transA) return n * k * sizeof<T>() + 16;
  const NR = nr<T>();
  const panels = (n + NR - 1) / NR;
  return (panels * NR * KC + MC * KC + MR * NR) * sizeof<T>() + 64;
}

/**
 * One product (no batch): c (m × n) = op(a) · op(b), op(a) m × k, op(b) k × n; lda is the
 * stored row length of a (a row block of a larger product passes the full one).
 */
@inline function gemm<T>(a: usize, lda: i32, b: usize, c: usize, m: i32, k: i32, n: i32, transA: bool, transB: bool, scratch: usize): void {
  const NR = nr<T>();
  const panels = (n + NR - 1) / NR;
  const bPack = (scratch + 15) & ~15;
  const aPack = bPack + (<usize>(panels * NR * KC) << alignof<T>());
  const tile = aPack + (<usize>(MC * KC) << alignof<T>());
  const ldb = transB ? k : n;
  if (k == 0) {
    memory.fill(c, 0, <usize>(m * n) << alignof<T>());
    return;
  }
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    for (let jp = 0; jp < panels; jp++) packB<T>(b, ldb, transB, n, jp * NR, p0, kc, at<T>(bPack, jp * NR * kc));
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = min(MC, m - i0);
      for (let ip = 0; ip < mc; ip += MR) packA<T>(a, lda, transA, m, i0 + ip, p0, kc, at<T>(aPack, ip * kc));
      for (let jp = 0; jp < panels; jp++) {
        const bp = at<T>(bPack, jp * NR * kc);
        for (let ip = 0; ip < mc; ip += MR) {
          tileInto<T>(at<T>(aPack, ip * kc), bp, kc, c, n, i0 + ip, jp * NR, m, n, p0 > 0, tile);
        }
      }
    }
  }
}

/** Σ_p x[p] y[p] over k contiguous elements, in T, two vector accumulators. */
@inline function dot<T>(x: usize, y: usize, k: i32): T {
  const L = lanes<T>();
  let s0 = v128.splat<T>(0), s1 = v128.splat<T>(0);
  let p = 0;
  for (; p + 2 * L <= k; p += 2 * L) {
    s0 = v128.add<T>(s0, v128.mul<T>(v128.load(at<T>(x, p)), v128.load(at<T>(y, p))));
    s1 = v128.add<T>(s1, v128.mul<T>(v128.load(at<T>(x, p + L)), v128.load(at<T>(y, p + L))));
  }
  const s = v128.add<T>(s0, s1);
  let t: T = v128.extract_lane<T>(s, 0) + v128.extract_lane<T>(s, 1);
  if (L == 4) t += v128.extract_lane<T>(s, 2) + v128.extract_lane<T>(s, 3);
  for (; p < k; p++) t += load<T>(at<T>(x, p)) * load<T>(at<T>(y, p));
  return t;
}

/** One SIMD dot product per C entry: c_ij = a_i · col_j, with A's rows and op(B)'s columns contiguous (length k). */
@inline function dots<T>(a: usize, cols: usize, c: usize, m: i32, k: i32, n: i32): void {
  for (let i = 0; i < m; i++) {
    const row = at<T>(a, i * k);
    for (let j = 0; j < n; j++) store<T>(at<T>(c, i * n + j), dot<T>(row, at<T>(cols, j * k), k));
  }
}

/**
 * Thin product (n ≤ 4 columns) or wide product (m ≤ 4 rows, B stored n × k, as a projection p · Xᵀ):
 * one dot per C entry. op(B)'s columns are B's rows when `transB`, read in place; else they are first
 * packed contiguous into scratch (only the thin case, n ≤ 4, takes that branch).
 */
@inline function thin<T>(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, transB: bool, scratch: usize): void {
  if (transB) {
    dots<T>(a, b, c, m, k, n);
    return;
  }
  const cols = (scratch + 15) & ~15;
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < k; p++) store<T>(at<T>(cols, j * k + p), load<T>(at<T>(b, p * n + j)));
  }
  dots<T>(a, cols, c, m, k, n);
}

/**
 * Shallow product (k ≤ 4): row i of C is Σ_p a_ip · op(b)_p, SIMD over the n columns. a_ip is read
 * in place (stored m × k, or k × m with row length lda when `transA`); op(b)'s k rows are read in
 * place (B stored k × n) or first gathered into scratch (B stored n × k, `transB`; the gemm path's
 * scratch, KC ≥ k rows of packed B for every column, is large enough).
 */
@inline function shallow<T>(a: usize, lda: i32, b: usize, c: usize, m: i32, k: i32, n: i32, transA: bool, transB: bool, scratch: usize): void {
  const L = lanes<T>();
  let rows = b;
  if (transB) {
    rows = (scratch + 15) & ~15;
    for (let p = 0; p < k; p++) {
      for (let j = 0; j < n; j++) store<T>(at<T>(rows, p * n + j), load<T>(at<T>(b, j * k + p)));
    }
  }
  for (let i = 0; i < m; i++) {
    const ci = at<T>(c, i * n);
    let j = 0;
    for (; j + L <= n; j += L) {
      let s = v128.splat<T>(0);
      for (let p = 0; p < k; p++) {
        const aip = load<T>(at<T>(a, transA ? p * lda + i : i * k + p));
        s = v128.add<T>(s, v128.mul<T>(v128.splat<T>(aip), v128.load(at<T>(rows, p * n + j))));
      }
      v128.store(at<T>(ci, j), s);
    }
    for (; j < n; j++) {
      let t: T = 0;
      for (let p = 0; p < k; p++) t += load<T>(at<T>(a, transA ? p * lda + i : i * k + p)) * load<T>(at<T>(rows, p * n + j));
      store<T>(at<T>(ci, j), t);
    }
  }
}

/** Rows [r0, r1) of every product of the batch (threads split the rows; one thread passes 0, m). */
@inline function matmulAll<T>(a: usize, b: usize, c: usize, batch: i32, m: i32, k: i32, n: i32, transA: bool, transB: bool,
  r0: i32, r1: i32, scratch: usize): void {
  if (r1 <= r0) return;
  for (let t = 0; t < batch; t++) {
    const at_ = at<T>(a, t * m * k + (transA ? r0 : r0 * k)), bt = at<T>(b, t * k * n), ct = at<T>(c, t * m * n + r0 * n);
    if (n <= THIN_MAX && !transA) thin<T>(at_, bt, ct, r1 - r0, k, n, transB, scratch);
    else if (m <= WIDE_MAX && !transA && transB) thin<T>(at_, bt, ct, r1 - r0, k, n, transB, scratch);
    else if (k <= SHALLOW_MAX) shallow<T>(at_, transA ? m : k, bt, ct, r1 - r0, k, n, transA, transB, scratch);
    else gemm<T>(at_, transA ? m : k, bt, ct, r1 - r0, k, n, transA, transB, scratch);
  }
}

export function matmul_f32(a: usize, b: usize, c: usize, batch: i32, m: i32, k: i32, n: i32, transA: bool, transB: bool,
  r0: i32, r1: i32, scratch: usize): void {
  matmulAll<f32>(a, b, c, batch, m, k, n, transA, transB, r0, r1, scratch);
}
export function matmul_f64(a: usize, b: usize, c: usize, batch: i32, m: i32, k: i32, n: i32, transA: bool, transB: bool,
  r0: i32, r1: i32, scratch: usize): void {
  matmulAll<f64>(a, b, c, batch, m, k, n, transA, transB, r0, r1, scratch);
}
