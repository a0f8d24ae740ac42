// Each row's nearest other row by cosine, using symmetry: X (n × d, packed once by nearestPack_T
// as both the A panels and the B panels of Xᵀ) is swept over the B × B blocks of the upper block
// triangle only, so every pair i < j is formed once (half the products of the general `nearest`
// sweep). A tile updates two running maxima: row i's best over the columns j > i (in this
// thread's `rowBest`) and column j's best over the rows i < j (in its `colBest`). Each direction
// visits its candidates in ascending index, so keeping the first maximum gives the lowest index
// on ties; `nearestSelfMerge` then combines every thread's two arrays per row with the same rule.
// A NaN cosine wins (the lowest-index NaN), as in `nearest`. Best values are stored as T, indices
// as float64 (−1: none yet).
import { at, lanes } from './simd';
import { B } from './pairKernels';
import { MR, microKernel, nr } from './gemm';

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

/** True when candidate (v, j) beats (best, bestJ): NaN first (lowest index), then larger, then lower index. */
@inline function beats<T>(v: T, j: f64, best: T, bestJ: f64): bool {
  if (bestJ < 0) return true;
  if (v != v) return best == best || j < bestJ;
  if (best != best) return false;
  return v > best || (v == best && j < bestJ);
}

/** Offers candidate (v, j) to slot k of (vals, idx) when it beats what is there. */
@inline function offer<T>(vals: usize, idx: usize, k: i32, v: T, j: f64): void {
  const best = load<T>(at<T>(vals, k)), bestJ = load<f64>(at<f64>(idx, k));
  if (beats<T>(v, j, best, bestJ)) {
    store<T>(at<T>(vals, k), v);
    store<f64>(at<f64>(idx, k), j);
  }
}

/** Bytes of one thread's private block: a tile, a column-max row, and row and column bests (values and indices) for nP rows. */
@inline function privateBytes<T>(n: i32): i32 {
  const nP = roundUp(n, B);
  return B * B * sizeof<T>() + B * sizeof<T>() + 2 * nP * (sizeof<T>() + 8) + 64;
}
export function nearestSelfPrivate_f32(n: i32): i32 { return privateBytes<f32>(n); }
export function nearestSelfPrivate_f64(n: i32): i32 { return privateBytes<f64>(n); }

/** Where the parts of a private block lie: the tile, column maxima, row bests (values, indices), column bests. */
@inline function tileAt(priv: usize): usize {
  return (priv + 15) & ~15;
}
@inline function colMaxAt<T>(priv: usize): usize {
  return at<T>(tileAt(priv), B * B);
}
@inline function rowValAt<T>(priv: usize): usize {
  return at<T>(colMaxAt<T>(priv), B);
}
@inline function rowIdxAt<T>(priv: usize, nP: i32): usize {
  return (at<T>(rowValAt<T>(priv), nP) + 7) & ~7;
}
@inline function colValAt<T>(priv: usize, nP: i32): usize {
  return at<f64>(rowIdxAt<T>(priv, nP), nP);
}
@inline function colIdxAt<T>(priv: usize, nP: i32): usize {
  return (at<T>(colValAt<T>(priv, nP), nP) + 7) & ~7;
}

@inline function sweep<T>(n: i32, d: i32, shared: usize, priv: usize, part: i32, parts: i32): void {
  const nP = roundUp(n, B);
  const aPack = (shared + 15) & ~15;
  const bPack = at<T>(aPack, nP * d);
  const c = tileAt(priv), colMax = colMaxAt<T>(priv), rowVal = rowValAt<T>(priv), rowIdx = rowIdxAt<T>(priv, nP);
  const colVal = colValAt<T>(priv, nP), colIdx = colIdxAt<T>(priv, nP);
  for (let k = 0; k < n; k++) {
    store<T>(at<T>(rowVal, k), <T>-Infinity);
    store<f64>(at<f64>(rowIdx, k), -1);
    store<T>(at<T>(colVal, k), <T>-Infinity);
    store<f64>(at<f64>(colIdx, k), -1);
  }
  const VL = lanes<T>();
  for (let i0 = part * B; i0 < n; i0 += parts * B) {
    const rows = min(B, n - i0);
    for (let j0 = i0; j0 < n; j0 += B) {
      const cols = min(B, n - j0);
      tile<T>(aPack, bPack, d, i0, j0, c);
      if (j0 == i0) {
        // the diagonal block: pairs r < q only, scalar
        for (let r = 0; r < rows; r++) {
          for (let q = r + 1; q < cols; q++) {
            const v = load<T>(at<T>(c, r * B + q));
            offer<T>(rowVal, rowIdx, i0 + r, v, <f64>(j0 + q));
            offer<T>(colVal, colIdx, j0 + q, v, <f64>(i0 + r));
          }
        }
        continue;
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
        if (!(top > best || top != top)) continue;
        let j = 0;
        for (; j < cols; j++) {
          const v = load<T>(at<T>(row, j));
          if (v == top || (top != top && v != v)) break;
        }
        store<T>(at<T>(rowVal, k), top);
        store<f64>(at<f64>(rowIdx, k), <f64>(j0 + j));
      }
      // columns: each column's maximum over the tile's rows, then its first row
      for (let q = 0; q < B; q += VL) v128.store(at<T>(colMax, q), v128.splat<T>(<T>-Infinity));
      for (let r = 0; r < rows; r++) {
        const row = at<T>(c, r * B);
        for (let q = 0; q < B; q += VL) v128.store(at<T>(colMax, q), v128.max<T>(v128.load(at<T>(colMax, q)), v128.load(at<T>(row, q))));
      }
      for (let q = 0; q < cols; q++) {
        const k = j0 + q;
        const best = load<T>(at<T>(colVal, k));
        const top = load<T>(at<T>(colMax, q));
        if (best != best || !(top > best || top != top)) continue;
        let r = 0;
        for (; r < rows; r++) {
          const v = load<T>(at<T>(c, r * B + q));
          if (v == top || (top != top && v != v)) break;
        }
        store<T>(at<T>(colVal, k), top);
        store<f64>(at<f64>(colIdx, k), <f64>(i0 + r));
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
    let best = <T>-Infinity, bestJ: f64 = -1;
    for (let p = 0; p < parts; p++) {
      const pp = priv + <usize>p * privBytes;
      for (let s = 0; s < 2; s++) {
        const vals = s == 0 ? rowValAt<T>(pp) : colValAt<T>(pp, nP), idx = s == 0 ? rowIdxAt<T>(pp, nP) : colIdxAt<T>(pp, nP);
        const v = load<T>(at<T>(vals, k)), j = load<f64>(at<f64>(idx, k));
        if (j >= 0 && beats<T>(v, j, best, bestJ)) {
          best = v;
          bestJ = j;
        }
      }
    }
    store<T>(at<T>(values, k), best);
    store<T>(at<T>(indices, k), <T>bestJ);
  }
}

export function nearestSelfMerge_f32(n: i32, priv: usize, privBytes: i32, parts: i32, values: usize, indices: usize): void {
  merge<f32>(n, priv, privBytes, parts, values, indices);
}
export function nearestSelfMerge_f64(n: i32, priv: usize, privBytes: i32, parts: i32, values: usize, indices: usize): void {
  merge<f64>(n, priv, privBytes, parts, values, indices);
}
