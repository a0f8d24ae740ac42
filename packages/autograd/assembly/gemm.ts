// The packed GEMM micro-kernel and its panels, shared by matmul and the fused pairwise passes.
// A panel holds MR = 4 rows of op(A) interleaved by depth (ap[p·4 + r]); a B panel holds
// NR = 2 vectors of columns of op(B) interleaved by depth (bp[p·NR + c]), NR = 8 for float32 and
// 4 for float64. The micro-kernel keeps the 4 × NR tile of C in eight v128 accumulators.
import { at, lanes } from './simd';

/** Rows of a packed A panel. */
export const MR: i32 = 4;

/** Columns of a packed B panel for T. */
@inline export function nr<T>(): i32 {
  return 2 * lanes<T>();
}

/**
 * Packs rows [r0, r0 + 4) × depth [p0, p0 + kc) of op(A) into dst (zero past m). op(A) is m × k;
 * with `trans` A is stored k × m. `lda` is the stored row length.
 */
@inline export function packA<T>(a: usize, lda: i32, trans: bool, m: i32, r0: i32, p0: i32, kc: i32, dst: usize): void {
  if (trans && r0 + MR <= m) {
    // the 4 rows of a depth step are 4 adjacent elements of A's stored row: vector copies
    for (let p = 0; p < kc; p++) {
      const src = at<T>(a, (p0 + p) * lda + r0), out = at<T>(dst, p * MR);
      v128.store(out, v128.load(src));
      if (sizeof<T>() == 8) v128.store(out, v128.load(src, 16), 16);
    }
    return;
  }
  for (let r = 0; r < MR; r++) {
    const i = r0 + r;
    if (i >= m) {
      for (let p = 0; p < kc; p++) store<T>(at<T>(dst, p * MR + r), <T>0);
    } else if (trans) {
      for (let p = 0; p < kc; p++) store<T>(at<T>(dst, p * MR + r), load<T>(at<T>(a, (p0 + p) * lda + i)));
    } else {
      const row = at<T>(a, i * lda + p0);
      for (let p = 0; p < kc; p++) store<T>(at<T>(dst, p * MR + r), load<T>(at<T>(row, p)));
    }
  }
}

/**
 * Packs columns [c0, c0 + NR) × depth [p0, p0 + kc) of op(B) into dst (zero past n). op(B) is
 * k × n; with `trans` B is stored n × k. `ldb` is the stored row length.
 */
@inline export function packB<T>(b: usize, ldb: i32, trans: bool, n: i32, c0: i32, p0: i32, kc: i32, dst: usize): void {
  const NR = nr<T>();
  if (!trans && c0 + NR <= n) {
    for (let p = 0; p < kc; p++) {
      const src = at<T>(b, (p0 + p) * ldb + c0);
      v128.store(at<T>(dst, p * NR), v128.load(src));
      v128.store(at<T>(dst, p * NR + lanes<T>()), v128.load(src, 16));
    }
    return;
  }
  for (let c = 0; c < NR; c++) {
    const j = c0 + c;
    if (j >= n) {
      for (let p = 0; p < kc; p++) store<T>(at<T>(dst, p * NR + c), <T>0);
    } else if (trans) {
      const row = at<T>(b, j * ldb + p0);
      for (let p = 0; p < kc; p++) store<T>(at<T>(dst, p * NR + c), load<T>(at<T>(row, p)));
    } else {
      for (let p = 0; p < kc; p++) store<T>(at<T>(dst, p * NR + c), load<T>(at<T>(b, (p0 + p) * ldb + j)));
    }
  }
}

/**
 * c + a·b lane by lane: one fused multiply-add in the module built with relaxed SIMD (where the
 * engine has it), a multiply and an add otherwise. The micro-kernel's accumulations use it, and the
 * small nearest path's (nearestSmall.ts), so that the two sweeps of a nearest pass round alike.
 */
@inline export function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(c, v128.mul<T>(a, b));
}

@inline function storeRow<T>(c: usize, lo: v128, hi: v128, add: bool): void {
  if (add) {
    lo = v128.add<T>(lo, v128.load(c));
    hi = v128.add<T>(hi, v128.load(c, 16));
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

/** Lanes where c beats the running best: larger, or a NaN where best is not one yet (NaN sticks). */
@inline export function beats<T>(c: v128, best: v128): v128 {
  return v128.or(v128.gt<T>(c, best), v128.and(v128.ne<T>(c, c), v128.eq<T>(best, best)));
}

/**
 * The better of two (value, index) candidates of a query: a NaN wins (the lower index of two NaNs),
 * else the larger value, ties to the lower index. Returns true when (v, i) beats (bv, bi).
 */
@inline export function better<T>(v: T, i: T, bv: T, bi: T): bool {
  if (v != v) return bv == bv || i < bi;
  if (bv != bv) return false;
  return v > bv || (v == bv && i < bi && i >= 0);
}

/**
 * True when a query's candidate (v, i) replaces its running best (bv, bi): it is a candidate
 * (i ≥ 0), and there is no best yet (bi < 0) or it is {@link better}. Every nearest pass folds its
 * parts, lanes and tails with it.
 */
@inline export function wins<T>(v: T, i: T, bv: T, bi: T): bool {
  return i >= 0 && (bi < 0 || better<T>(v, i, bv, bi));
}

/**
 * One row of a tile into a running per-lane maximum: best (NR values at bv) and the column each
 * came from (NR indices as T at bi); `lo`/`hi` the row's two vectors, `col` the first column's index.
 */
@inline function maxRow<T>(bv: usize, bi: usize, lo: v128, hi: v128, col: v128): void {
  const V = <usize>16; // bytes of one vector
  const colHi = v128.add<T>(col, v128.splat<T>(<T>lanes<T>()));
  const b0 = v128.load(bv), b1 = v128.load(bv, 16);
  const m0 = beats<T>(lo, b0), m1 = beats<T>(hi, b1);
  v128.store(bv, v128.bitselect(lo, b0, m0));
  v128.store(bv + V, v128.bitselect(hi, b1, m1));
  v128.store(bi, v128.bitselect(col, v128.load(bi), m0));
  v128.store(bi + V, v128.bitselect(colHi, v128.load(bi, 16), m1));
}

/**
 * One vector of columns of a 4-row tile (rows row0..row0 + 3 in v0..v3) into the columns' running
 * maxima over rows (values at cv, the row each came from as T at ci): the four rows are folded in
 * registers first, in ascending order, so a tie keeps the lowest row, and the fold replaces the
 * stored best only when it beats it (the stored one comes from lower rows).
 */
@inline function maxCol<T>(cv: usize, ci: usize, v0: v128, v1: v128, v2: v128, v3: v128, row0: v128): void {
  const one = v128.splat<T>(<T>1);
  let m = v0, r = row0, row = v128.add<T>(row0, one);
  let w = beats<T>(v1, m);
  m = v128.bitselect(v1, m, w);
  r = v128.bitselect(row, r, w);
  row = v128.add<T>(row, one);
  w = beats<T>(v2, m);
  m = v128.bitselect(v2, m, w);
  r = v128.bitselect(row, r, w);
  row = v128.add<T>(row, one);
  w = beats<T>(v3, m);
  m = v128.bitselect(v3, m, w);
  r = v128.bitselect(row, r, w);
  const b = v128.load(cv);
  w = beats<T>(m, b);
  v128.store(cv, v128.bitselect(m, b, w));
  v128.store(ci, v128.bitselect(r, v128.load(ci), w));
}

/**
 * The 4 × NR tile Ap · Bp over depth kc in eight v128 accumulators, then either stored to C (at c,
 * row stride ldc elements; added to it when `add`), or, with `toMax`, folded into the running
 * per-lane maxima of its 4 rows (bv, bi: NR values and NR column indices per row, row stride NR;
 * `col0` the tile's first column). `toMax` and `add` are constants where it is inlined.
 */
@inline function tileKernel<T>(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, add: bool, toMax: bool, bv: usize, bi: usize,
  col0: i32, toCols: bool = false, cv: usize = 0, ci: usize = 0, row0: i32 = 0): void {
  let c00 = v128.splat<T>(0), c01 = v128.splat<T>(0), c10 = v128.splat<T>(0), c11 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0), c21 = v128.splat<T>(0), c30 = v128.splat<T>(0), c31 = v128.splat<T>(0);
  const S = <usize>sizeof<T>();
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    const a0 = v128.load_splat<T>(ap);
    c00 = madd<T>(a0, b0, c00);
    c01 = madd<T>(a0, b1, c01);
    const a1 = v128.load_splat<T>(ap + S);
    c10 = madd<T>(a1, b0, c10);
    c11 = madd<T>(a1, b1, c11);
    const a2 = v128.load_splat<T>(ap + 2 * S);
    c20 = madd<T>(a2, b0, c20);
    c21 = madd<T>(a2, b1, c21);
    const a3 = v128.load_splat<T>(ap + 3 * S);
    c30 = madd<T>(a3, b0, c30);
    c31 = madd<T>(a3, b1, c31);
    ap += 4 * S;
    bp += 32;
  }
  if (toMax) {
    const base = sizeof<T>() == 4 ? f32x4(0, 1, 2, 3) : f64x2(0, 1);
    const col = v128.add<T>(base, v128.splat<T>(<T>col0));
    const rowB = <usize>nr<T>() * S;
    maxRow<T>(bv, bi, c00, c01, col);
    maxRow<T>(bv + rowB, bi + rowB, c10, c11, col);
    maxRow<T>(bv + 2 * rowB, bi + 2 * rowB, c20, c21, col);
    maxRow<T>(bv + 3 * rowB, bi + 3 * rowB, c30, c31, col);
    if (toCols) {
      const r0 = v128.splat<T>(<T>row0);
      maxCol<T>(cv, ci, c00, c10, c20, c30, r0);
      maxCol<T>(cv + 16, ci + 16, c01, c11, c21, c31, r0);
    }
    return;
  }
  const row = <usize>ldc * S;
  storeRow<T>(c, c00, c01, add);
  storeRow<T>(c + row, c10, c11, add);
  storeRow<T>(c + 2 * row, c20, c21, add);
  storeRow<T>(c + 3 * row, c30, c31, add);
}

/**
 * C (4 × NR at c, row stride ldc elements) = (or += when `add`) Ap · Bp over depth kc. C must
 * have room for the whole tile (callers pass a scratch tile at the edges).
 */
export function microKernel<T>(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, add: bool): void {
  if (add) tileKernel<T>(ap, bp, kc, c, ldc, true, false, 0, 0, 0);
  else tileKernel<T>(ap, bp, kc, c, ldc, false, false, 0, 0, 0);
}

/**
 * The 4 × NR tile Ap · Bp over depth kc folded into running per-lane maxima (see tileKernel):
 * the nearest pass's micro-kernel, which never stores the tile.
 */
export function maxKernel<T>(ap: usize, bp: usize, kc: i32, bv: usize, bi: usize, col0: i32): void {
  tileKernel<T>(ap, bp, kc, 0, 0, false, true, bv, bi, col0);
}

/**
 * As {@link maxKernel} for the rows, and also folds the tile's columns into their running maxima
 * over rows (NR values at cv and the row of each as T at ci; `row0` the tile's first row): the
 * nearest pass of a set against itself, which visits each pair once.
 */
export function selfMaxKernel<T>(ap: usize, bp: usize, kc: i32, bv: usize, bi: usize, col0: i32, cv: usize, ci: usize, row0: i32): void {
  tileKernel<T>(ap, bp, kc, 0, 0, false, true, bv, bi, col0, true, cv, ci, row0);
}

/**
 * One 4 × NR tile into C at (i0, j0) of an m × n matrix (row stride ldc), keeping only the rows
 * and columns inside it: full tiles go straight to C, edge tiles through `tile` (4 × NR scratch).
 */
@inline export function tileInto<T>(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, i0: i32, j0: i32, m: i32, n: i32,
  add: bool, tile: usize): void {
  const NR = nr<T>();
  if (i0 + MR <= m && j0 + NR <= n) {
    microKernel<T>(ap, bp, kc, at<T>(c, i0 * ldc + j0), ldc, add);
    return;
  }
  microKernel<T>(ap, bp, kc, tile, NR, false);
  const rows = min(MR, m - i0), cols = min(NR, n - j0);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const dst = at<T>(c, (i0 + r) * ldc + j0 + q);
      const v = load<T>(at<T>(tile, r * NR + q));
      store<T>(dst, add ? load<T>(dst) + v : v);
    }
  }
}
