// Each row's nearest other row by cosine, using symmetry: X (n × d, packed once by nearestPack_T
// as both the A panels and the B panels of Xᵀ) is swept over the B × B blocks of the upper block
// triangle only, so every pair i < j is formed once (half the products of the general `nearest`
// sweep). A block updates two running maxima: row i's best over the columns j > i and column j's
// best over the rows i < j, both in this thread's private block. Full blocks go through
// selfMaxKernel (the tile stays in registers: rows into per-lane maxima, folded into the row's
// best at the end; columns folded over the tile's rows, then into the column's best), on the
// diagonal only the micro-tiles above it, the ones across it formed and offered pair by pair;
// edge blocks form the tile and scan it. Each direction keeps the first maximum in
// ascending index, or compares indices, so ties go to the lowest index; `nearestSelfMerge` then
// combines every thread's two candidates per row with the same rule. A NaN cosine wins (the
// lowest-index NaN), as in `nearest`. Values and indices are stored as T (index −1: none yet).
import { at, lanes } from './simd';
import { B } from './pairKernels';
import { MR, microKernel, nr, selfMaxKernel, wins } from './gemm';

@inline function roundUp(v: i32, m: i32): i32 {
  return (v + m - 1) / m * m;
}

/** C (B × B, row stride B) = rows i0.. of aPack · columns j0.. of bPack (depth d). */
@inline function tile<T>(aPack: usize, bPack: usize, d: i32, i0: i32, j0: i32, c: usize): void {
  const NR = nr<T>();
  for (let ip = 0; ip < B; ip += MR) {
    for (let jp = 0; jp < B; jp += NR) {
      microKernel<T>(at<T>(aPack, (i0 + ip) * d), at<T>(bPack, (j0 + jp) * d), d, at<T>(c, ip * B + jp), B, false);
    }
  }
}

/** max(a, b) with NaN winning (as wasm's max does). */
@inline function maxNaN<T>(a: T, b: T): T {
  return a != a ? a : b != b || b > a ? b : a;
}

/** Offers candidate (v, j) to slot k of (vals, idx) when it wins over what is there (gemm.ts' order). */
@inline function offer<T>(vals: usize, idx: usize, k: i32, v: T, j: T): void {
  if (wins<T>(v, j, load<T>(at<T>(vals, k)), load<T>(at<T>(idx, k)))) {
    store<T>(at<T>(vals, k), v);
    store<T>(at<T>(idx, k), j);
  }
}

/**
 * Element offsets in one thread's private block (16-byte aligned, all of T): a tile, a
 * column-max row, the row bests (values, indices), the column bests (values, indices), for nP
 * rows each, then the rows' per-lane maxima of selfMaxKernel (values, indices, NR per row).
 */
@inline function colMaxAt(): i32 { return B * B; }
@inline function rowValAt(): i32 { return B * B + B; }
@inline function rowIdxAt(nP: i32): i32 { return rowValAt() + nP; }
@inline function colValAt(nP: i32): i32 { return rowValAt() + 2 * nP; }
@inline function colIdxAt(nP: i32): i32 { return rowValAt() + 3 * nP; }
@inline function laneValAt(nP: i32): i32 { return rowValAt() + 4 * nP; }
@inline function laneIdxAt<T>(nP: i32): i32 { return laneValAt(nP) + nP * nr<T>(); }
@inline function privateElements<T>(nP: i32): i32 { return laneIdxAt<T>(nP) + nP * nr<T>(); }

/** Bytes of one thread's private block (see privateElements) for n rows. */
@inline function privateBytes<T>(n: i32): i32 {
  return privateElements<T>(roundUp(n, B)) * sizeof<T>() + 64;
}
export function nearestSelfPrivate_f32(n: i32): i32 { return privateBytes<f32>(n); }
export function nearestSelfPrivate_f64(n: i32): i32 { return privateBytes<f64>(n); }

/** The scanned block (i0, j0): the diagonal one (pairs r < q only, scalar) or one at the edge of X. */
@inline function scanBlock<T>(c: usize, colMax: usize, rowVal: usize, rowIdx: usize, colVal: usize, colIdx: usize,
  i0: i32, j0: i32, rows: i32, cols: i32): void {
  const VL = lanes<T>();
  if (j0 == i0) {
    for (let r = 0; r < rows; r++) {
      for (let q = r + 1; q < cols; q++) {
        const v = load<T>(at<T>(c, r * B + q));
        offer<T>(rowVal, rowIdx, i0 + r, v, <T>(j0 + q));
        offer<T>(colVal, colIdx, j0 + q, v, <T>(i0 + r));
      }
    }
    return;
  }
  // rows: each row's maximum over the tile's columns, then its first column
  for (let r = 0; r < rows; r++) {
    const k = i0 + r;
    const best = load<T>(at<T>(rowVal, k));
    if (best != best) continue;
    const row = at<T>(c, r * B);
    let mv = v128.splat<T>(<T>-Infinity);
    let q = 0;
    for (; q + VL <= cols; q += VL) mv = v128.max<T>(mv, v128.load(at<T>(row, q)));
    let top = maxNaN<T>(v128.extract_lane<T>(mv, 0), v128.extract_lane<T>(mv, 1));
    if (VL == 4) top = maxNaN<T>(top, maxNaN<T>(v128.extract_lane<T>(mv, 2), v128.extract_lane<T>(mv, 3)));
    for (; q < cols; q++) top = maxNaN<T>(top, load<T>(at<T>(row, q)));
    let j = 0;
    for (; j < cols; j++) {
      const v = load<T>(at<T>(row, j));
      if (v == top || (top != top && v != v)) break;
    }
    offer<T>(rowVal, rowIdx, k, top, <T>(j0 + j));
  }
  // columns: each column's maximum over the tile's rows, then its first row
  for (let q = 0; q < B; q += VL) v128.store(at<T>(colMax, q), v128.splat<T>(<T>-Infinity));
  for (let r = 0; r < rows; r++) {
    const row = at<T>(c, r * B);
    for (let q = 0; q < B; q += VL) v128.store(at<T>(colMax, q), v128.max<T>(v128.load(at<T>(colMax, q)), v128.load(at<T>(row, q))));
  }
  for (let q = 0; q < cols; q++) {
    const top = load<T>(at<T>(colMax, q));
    let r = 0;
    for (; r < rows; r++) {
      const v = load<T>(at<T>(c, r * B + q));
      if (v == top || (top != top && v != v)) break;
    }
    offer<T>(colVal, colIdx, j0 + q, top, <T>(i0 + r));
  }
}

@inline function sweep<T>(n: i32, d: i32, shared: usize, priv: usize, part: i32, parts: i32): void {
  const nP = roundUp(n, B), NR = nr<T>();
  const aPack = (shared + 15) & ~15;
  const bPack = at<T>(aPack, nP * d);
  const c = (priv + 15) & ~15;
  const colMax = at<T>(c, colMaxAt()), rowVal = at<T>(c, rowValAt()), rowIdx = at<T>(c, rowIdxAt(nP));
  const colVal = at<T>(c, colValAt(nP)), colIdx = at<T>(c, colIdxAt(nP));
  const laneVal = at<T>(c, laneValAt(nP)), laneIdx = at<T>(c, laneIdxAt<T>(nP));
  for (let k = 0; k < nP; k++) {
    store<T>(at<T>(rowVal, k), <T>-Infinity);
    store<T>(at<T>(rowIdx, k), <T>-1);
    store<T>(at<T>(colVal, k), <T>-Infinity);
    store<T>(at<T>(colIdx, k), <T>-1);
  }
  for (let e = 0; e < nP * NR; e++) {
    store<T>(at<T>(laneVal, e), <T>-Infinity);
    store<T>(at<T>(laneIdx, e), <T>-1);
  }
  for (let i0 = part * B; i0 < n; i0 += parts * B) {
    const rows = min(B, n - i0);
    for (let j0 = i0; j0 < n; j0 += B) {
      const cols = min(B, n - j0);
      if (cols == B) {
        // a full block (so rows == B too): its micro-tiles in registers, except, on the diagonal,
        // those below it (no pair i < j: skipped) and those across it (formed, pairs r < q offered)
        const diagonal = j0 == i0;
        for (let ip = 0; ip < B; ip += MR) {
          const a = at<T>(aPack, (i0 + ip) * d), lv = at<T>(laneVal, (i0 + ip) * NR), li = at<T>(laneIdx, (i0 + ip) * NR);
          for (let jp = 0; jp < B; jp += NR) {
            const b = at<T>(bPack, (j0 + jp) * d);
            if (diagonal && jp < ip + MR) {
              if (jp + NR <= ip) continue;
              microKernel<T>(a, b, d, c, NR, false);
              for (let r = 0; r < MR; r++) {
                for (let q = max(0, ip + r + 1 - jp); q < NR; q++) {
                  const v = load<T>(at<T>(c, r * NR + q));
                  offer<T>(rowVal, rowIdx, i0 + ip + r, v, <T>(j0 + jp + q));
                  offer<T>(colVal, colIdx, j0 + jp + q, v, <T>(i0 + ip + r));
                }
              }
              continue;
            }
            selfMaxKernel<T>(a, b, d, lv, li, j0 + jp, at<T>(colVal, j0 + jp), at<T>(colIdx, j0 + jp), i0 + ip);
          }
        }
        continue;
      }
      tile<T>(aPack, bPack, d, i0, j0, c);
      scanBlock<T>(c, colMax, rowVal, rowIdx, colVal, colIdx, i0, j0, rows, cols);
    }
    // fold the block row's per-lane maxima into its rows' bests
    for (let k = i0; k < i0 + rows; k++) {
      for (let l = 0; l < NR; l++) {
        const j = load<T>(at<T>(laneIdx, k * NR + l));
        if (j >= 0) offer<T>(rowVal, rowIdx, k, load<T>(at<T>(laneVal, k * NR + l)), j);
      }
    }
  }
}

export function nearestSelf_f32(n: i32, d: i32, shared: usize, priv: usize, part: i32, parts: i32): void { sweep<f32>(n, d, shared, priv, part, parts); }
export function nearestSelf_f64(n: i32, d: i32, shared: usize, priv: usize, part: i32, parts: i32): void { sweep<f64>(n, d, shared, priv, part, parts); }

/** values[k], indices[k] (T) = the best of every part's row and column candidates for k (privBytes apart from priv). */
@inline function merge<T>(n: i32, priv: usize, privBytes: i32, parts: i32, values: usize, indices: usize): void {
  const nP = roundUp(n, B);
  for (let k = 0; k < n; k++) {
    let best = <T>-Infinity, bestJ = <T>-1;
    for (let p = 0; p < parts; p++) {
      const c = (priv + <usize>p * privBytes + 15) & ~15;
      for (let s = 0; s < 2; s++) {
        const vals = at<T>(c, s == 0 ? rowValAt() : colValAt(nP)), idx = at<T>(c, s == 0 ? rowIdxAt(nP) : colIdxAt(nP));
        const v = load<T>(at<T>(vals, k)), j = load<T>(at<T>(idx, k));
        if (wins<T>(v, j, best, bestJ)) {
          best = v;
          bestJ = j;
        }
      }
    }
    store<T>(at<T>(values, k), best);
    store<T>(at<T>(indices, k), bestJ);
  }
}

export function nearestSelfMerge_f32(n: i32, priv: usize, privBytes: i32, parts: i32, values: usize, indices: usize): void {
  merge<f32>(n, priv, privBytes, parts, values, indices);
}
export function nearestSelfMerge_f64(n: i32, priv: usize, privBytes: i32, parts: i32, values: usize, indices: usize): void {
  merge<f64>(n, priv, privBytes, parts, values, indices);
}
