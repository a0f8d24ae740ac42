// The fused pairwise passes. X (n × d) is packed once into GEMM panels (O(n·d) scratch); the
// sweep visits B × B blocks of the upper block triangle, forms the cosine tile X_I · X_Jᵀ with the
// micro-kernel, maps it through the kernel (k summed in float64, k′ kept in a tile W), and, for
// gradients, adds W · X_J into G_I and Wᵀ · X_I into G_J with the micro-kernel again (symmetry:
// each pair is visited once). float32 kernels run four lanes at a time, float64 ones evaluate k
// per pair with float64 Math. `nearest` sweeps every block of queries × rows keeping the running
// maximum per query. Rows are padded with zeros to a multiple of B, columns to one of NR.
import { at, lanes } from './simd';
import { B, kernelTile, simdKernel, simdTile } from './pairKernels';
import { MR, maxKernel, microKernel, nr, packA, packB, wins } from './gemm';


@inline function roundUp(v: i32, m: i32): i32 {
  return (v + m - 1) / m * m;
}

/**
 * Scratch of the pairwise sum, in elements of T: `shared` holds X packed three ways (read by every
 * thread), each thread's `private` block its gradient rows and tiles.
 */
@inline function sharedElems<T>(n: i32, d: i32): i32 {
  return 2 * roundUp(n, B) * d + roundUp(n, B) * roundUp(d, nr<T>()) + 16;
}
@inline function privateElems<T>(n: i32, d: i32): i32 {
  return roundUp(n, B) * roundUp(d, nr<T>()) + 2 * B * B + MR * B + 16;
}

export function pairwiseShared_f32(n: i32, d: i32): i32 { return sharedElems<f32>(n, d) * 4; }
export function pairwiseShared_f64(n: i32, d: i32): i32 { return sharedElems<f64>(n, d) * 8; }
export function pairwisePrivate_f32(n: i32, d: i32): i32 { return privateElems<f32>(n, d) * 4; }
export function pairwisePrivate_f64(n: i32, d: i32): i32 { return privateElems<f64>(n, d) * 8; }

/** Packs X as A panels (rows, depth d) and as B panels of Xᵀ (columns = rows of X), both nP rows. */
@inline function packRows<T>(x: usize, n: i32, d: i32, nP: i32, aPack: usize, bPack: usize): void {
  for (let r0 = 0; r0 < nP; r0 += MR) packA<T>(x, d, false, n, r0, 0, d, at<T>(aPack, r0 * d));
  const NR = nr<T>();
  for (let c0 = 0; c0 < nP; c0 += NR) packB<T>(x, d, true, n, c0, 0, d, at<T>(bPack, c0 * d));
}

/** C (B × B, row stride B) = rows I of aPack · rows J of bPack (depth d). */
@inline function cosineTile<T>(aPack: usize, bPack: usize, d: i32, i0: i32, j0: i32, c: usize): void {
  const NR = nr<T>();
  for (let ip = 0; ip < B; ip += MR) {
    for (let jp = 0; jp < B; jp += NR) {
      microKernel<T>(at<T>(aPack, (i0 + ip) * d), at<T>(bPack, (j0 + jp) * d), d, at<T>(c, ip * B + jp), B, false);
    }
  }
}

/**
 * The part of cosineTile that rows × cols (from i0, j0) covers, in whole micro-tiles: the scans of
 * nearest's edge blocks read no more (few rows, as Tammes' 24 points, then cost one micro-tile
 * column per NR rows instead of the whole B × B tile).
 */
@inline function cosineTileWithin<T>(aPack: usize, bPack: usize, d: i32, i0: i32, j0: i32, c: usize, rows: i32, cols: i32): void {
  const NR = nr<T>();
  for (let ip = 0; ip < rows; ip += MR) {
    for (let jp = 0; jp < cols; jp += NR) {
      microKernel<T>(at<T>(aPack, (i0 + ip) * d), at<T>(bPack, (j0 + jp) * d), d, at<T>(c, ip * B + jp), B, false);
    }
  }
}

/** g (rows r0.., row stride dP) += op(W) (B × B) · X rows j0.. (xCols: d panels of NR columns, depth nP). */
@inline function addProduct<T>(w: usize, trans: bool, xCols: usize, nP: i32, dP: i32, j0: i32, g: usize, r0: i32, wPack: usize): void {
  const NR = nr<T>();
  for (let ip = 0; ip < B; ip += MR) {
    packA<T>(w, B, trans, B, ip, 0, B, wPack);
    for (let q = 0; q < dP; q += NR) {
      microKernel<T>(wPack, at<T>(xCols, q * nP + j0 * NR), B, at<T>(g, (r0 + ip) * dP + q), dP, true);
    }
  }
}

/** Packs X for the sweep: A panels, B panels of Xᵀ and (for gradients) B panels of X, into `shared`. */
@inline function pairwisePackAll<T>(x: usize, n: i32, d: i32, withGrad: bool, shared: usize): void {
  const NR = nr<T>();
  const nP = roundUp(n, B), dP = roundUp(d, NR);
  const aPack = (shared + 15) & ~15;
  const bPack = at<T>(aPack, nP * d);
  const xCols = at<T>(bPack, nP * d);
  packRows<T>(x, n, d, nP, aPack, bPack);
  if (!withGrad) return;
  for (let q = 0; q < dP; q += NR) {
    const panel = at<T>(xCols, q * nP);
    packB<T>(x, d, false, d, q, 0, n, panel);
    memory.fill(at<T>(panel, n * NR), 0, <usize>((nP - n) * NR) << alignof<T>());
  }
}

export function pairwisePack_f32(x: usize, n: i32, d: i32, withGrad: bool, shared: usize): void { pairwisePackAll<f32>(x, n, d, withGrad, shared); }
export function pairwisePack_f64(x: usize, n: i32, d: i32, withGrad: bool, shared: usize): void { pairwisePackAll<f64>(x, n, d, withGrad, shared); }

/**
 * One thread's share of the sweep: block rows i0 = (part + t · parts) · B of the upper block
 * triangle. Writes its Σ k into sumOut (one float64) and, with withGrad, its gradient rows (nP × dP,
 * zeroed here) at the start of `priv`.
 */
@inline function pairwiseSweepAll<T>(n: i32, d: i32, kind: i32, dist: i32, gamma: f64, s: f64, eps: f64, withGrad: bool,
  shared: usize, priv: usize, part: i32, parts: i32, sumOut: usize): void {
  const NR = nr<T>();
  const nP = roundUp(n, B), dP = roundUp(d, NR);
  const aPack = (shared + 15) & ~15;
  const bPack = at<T>(aPack, nP * d);
  const xCols = at<T>(bPack, nP * d);
  const gPad = (priv + 15) & ~15;
  const c = at<T>(gPad, nP * dP);
  const w = at<T>(c, B * B);
  const wPack = at<T>(w, B * B);
  if (withGrad) memory.fill(gPad, 0, <usize>(nP * dP) << alignof<T>());
  const simd = sizeof<T>() == 4 && simdKernel(dist);
  let total: f64 = 0;
  for (let i0 = part * B; i0 < n; i0 += parts * B) {
    for (let j0 = i0; j0 < n; j0 += B) {
      cosineTile<T>(aPack, bPack, d, i0, j0, c);
      total += simd ? simdTile(c, w, kind, dist, gamma, s, eps, i0, j0, n) : kernelTile<T>(c, w, kind, dist, gamma, s, eps, i0, j0, n);
      if (withGrad) {
        addProduct<T>(w, false, xCols, nP, dP, j0, gPad, i0, wPack);
        addProduct<T>(w, true, xCols, nP, dP, i0, gPad, j0, wPack);
      }
    }
  }
  store<f64>(sumOut, total);
}

export function pairwiseSweep_f32(n: i32, d: i32, kind: i32, dist: i32, gamma: f64, s: f64, eps: f64, withGrad: bool,
  shared: usize, priv: usize, part: i32, parts: i32, sumOut: usize): void {
  pairwiseSweepAll<f32>(n, d, kind, dist, gamma, s, eps, withGrad, shared, priv, part, parts, sumOut);
}
export function pairwiseSweep_f64(n: i32, d: i32, kind: i32, dist: i32, gamma: f64, s: f64, eps: f64, withGrad: bool,
  shared: usize, priv: usize, part: i32, parts: i32, sumOut: usize): void {
  pairwiseSweepAll<f64>(n, d, kind, dist, gamma, s, eps, withGrad, shared, priv, part, parts, sumOut);
}

/** g (n × d) = Σ over `parts` private blocks (stride `privBytes` from priv) of their gradient rows. */
@inline function pairwiseGatherAll<T>(g: usize, n: i32, d: i32, priv: usize, privBytes: i32, parts: i32): void {
  const dP = roundUp(d, nr<T>());
  for (let i = 0; i < n; i++) {
    const dst = at<T>(g, i * d);
    memory.copy(dst, at<T>((priv + 15) & ~15, i * dP), <usize>d << alignof<T>());
    for (let p = 1; p < parts; p++) {
      const src = at<T>((priv + <usize>p * privBytes + 15) & ~15, i * dP);
      for (let t = 0; t < d; t++) store<T>(at<T>(dst, t), load<T>(at<T>(dst, t)) + load<T>(at<T>(src, t)));
    }
  }
}

export function pairwiseGather_f32(g: usize, n: i32, d: i32, priv: usize, privBytes: i32, parts: i32): void { pairwiseGatherAll<f32>(g, n, d, priv, privBytes, parts); }
export function pairwiseGather_f64(g: usize, n: i32, d: i32, priv: usize, privBytes: i32, parts: i32): void { pairwiseGatherAll<f64>(g, n, d, priv, privBytes, parts); }

/** Scratch of nearest in elements of T: the packed queries and rows (shared), one tile per thread. */
@inline function nearestShared<T>(m: i32, n: i32, d: i32): i32 {
  return roundUp(m, B) * d + roundUp(n, B) * d + 16;
}

export function nearestShared_f32(m: i32, n: i32, d: i32): i32 { return nearestShared<f32>(m, n, d) * 4; }
export function nearestShared_f64(m: i32, n: i32, d: i32): i32 { return nearestShared<f64>(m, n, d) * 8; }
/** Bytes of one thread's scratch: a tile, and the running per-lane maxima (values, columns) of B queries. */
export function nearestPrivate_f32(): i32 { return (B * B + 2 * B * nr<f32>()) * 4 + 64; }
export function nearestPrivate_f64(): i32 { return (B * B + 2 * B * nr<f64>()) * 8 + 64; }

/** Packs the queries as A panels and the rows as B panels of Xᵀ into `shared`. */
@inline function nearestPackAll<T>(q: usize, m: i32, x: usize, n: i32, d: i32, shared: usize): void {
  const mP = roundUp(m, B), nP = roundUp(n, B);
  const aPack = (shared + 15) & ~15;
  const bPack = at<T>(aPack, mP * d);
  for (let r0 = 0; r0 < mP; r0 += MR) packA<T>(q, d, false, m, r0, 0, d, at<T>(aPack, r0 * d));
  const NR = nr<T>();
  for (let c0 = 0; c0 < nP; c0 += NR) packB<T>(x, d, true, n, c0, 0, d, at<T>(bPack, c0 * d));
}

export function nearestPack_f32(q: usize, m: i32, x: usize, n: i32, d: i32, shared: usize): void { nearestPackAll<f32>(q, m, x, n, d, shared); }
export function nearestPack_f64(q: usize, m: i32, x: usize, n: i32, d: i32, shared: usize): void { nearestPackAll<f64>(q, m, x, n, d, shared); }

/** max(a, b) with NaN winning (as wasm's max does). */
@inline function maxNaN<T>(a: T, b: T): T {
  return a != a ? a : b != b || b > a ? b : a;
}

/** The largest of row[0..cols), NaN if any is NaN: SIMD over whole vectors, then the tail. */
@inline function rowMax<T>(row: usize, cols: i32): T {
  const L = lanes<T>();
  let mv = v128.splat<T>(<T>-Infinity);
  let j = 0;
  for (; j + L <= cols; j += L) mv = v128.max<T>(mv, v128.load(at<T>(row, j)));
  let m = maxNaN<T>(v128.extract_lane<T>(mv, 0), v128.extract_lane<T>(mv, 1));
  if (L == 4) m = maxNaN<T>(m, maxNaN<T>(v128.extract_lane<T>(mv, 2), v128.extract_lane<T>(mv, 3)));
  for (; j < cols; j++) m = maxNaN<T>(m, load<T>(at<T>(row, j)));
  return m;
}

/**
 * Per query k < m: the largest q_k · x_i over i < n (i ≠ k when excludeSelf) and the lowest i
 * reaching it; a NaN cosine wins (the first NaN). No candidate: −∞ and −1. Full B × B blocks off
 * the diagonal go through maxKernel (the tile stays in registers, folded into running per-lane
 * maxima); blocks at the edge of X or on the diagonal (excludeSelf) form the tile and scan it.
 */
@inline function nearestAll<T>(m: i32, n: i32, d: i32, excludeSelf: bool, values: usize, indices: usize, shared: usize,
  priv: usize, part: i32, parts: i32, rowPart: i32 = 0, rowParts: i32 = 1): void {
  const mP = roundUp(m, B);
  const NR = nr<T>();
  const aPack = (shared + 15) & ~15;
  const bPack = at<T>(aPack, mP * d);
  const c = (priv + 15) & ~15;
  const bestV = at<T>(c, B * B), bestI = at<T>(bestV, B * NR);
  for (let k0 = part * B; k0 < m; k0 += parts * B) {
    for (let k = k0; k < min(m, k0 + B); k++) {
      store<T>(at<T>(values, k), <T>-Infinity);
      store<T>(at<T>(indices, k), <T>-1);
    }
    for (let e = 0; e < B * NR; e++) {
      store<T>(at<T>(bestV, e), <T>-Infinity);
      store<T>(at<T>(bestI, e), <T>-1);
    }
    for (let i0 = rowPart * B; i0 < n; i0 += rowParts * B) {
      const rows = min(B, m - k0), cols = min(B, n - i0);
      if (cols == B && !(excludeSelf && k0 < i0 + B && i0 < k0 + B)) {
        for (let ip = 0; ip < rows; ip += MR) { // the query rows past m are padding
          for (let jp = 0; jp < B; jp += NR) {
            maxKernel<T>(at<T>(aPack, (k0 + ip) * d), at<T>(bPack, (i0 + jp) * d), d, at<T>(bestV, ip * NR), at<T>(bestI, ip * NR), i0 + jp);
          }
        }
        continue;
      }
      cosineTileWithin<T>(aPack, bPack, d, k0, i0, c, rows, cols);
      for (let r = 0; r < rows; r++) {
        const k = k0 + r;
        const best = load<T>(at<T>(values, k));
        if (best != best) continue;
        const row = at<T>(c, r * B);
        if (excludeSelf && k >= i0 && k < i0 + cols) store<T>(at<T>(row, k - i0), <T>-Infinity);
        const top = rowMax<T>(row, cols);
        if (!(top > best || top != top)) continue;
        // the first column holding it: ties go to the lowest index, a NaN to the first NaN
        let j = 0;
        for (; j < cols; j++) {
          const v = load<T>(at<T>(row, j));
          if (v == top || (top != top && v != v)) break;
        }
        store<T>(at<T>(values, k), top);
        store<T>(at<T>(indices, k), <T>(i0 + j));
      }
    }
    // fold each query's running lanes into its scanned result
    for (let r = 0; r < min(B, m - k0); r++) {
      const k = k0 + r;
      let v = load<T>(at<T>(values, k)), i = load<T>(at<T>(indices, k));
      for (let l = 0; l < NR; l++) {
        const lv = load<T>(at<T>(bestV, r * NR + l)), li = load<T>(at<T>(bestI, r * NR + l));
        if (wins<T>(lv, li, v, i)) {
          v = lv;
          i = li;
        }
      }
      store<T>(at<T>(values, k), v);
      store<T>(at<T>(indices, k), i);
    }
  }
}

export function nearest_f32(m: i32, n: i32, d: i32, excludeSelf: bool, values: usize, indices: usize, shared: usize, priv: usize,
  part: i32, parts: i32): void {
  nearestAll<f32>(m, n, d, excludeSelf, values, indices, shared, priv, part, parts);
}
export function nearest_f64(m: i32, n: i32, d: i32, excludeSelf: bool, values: usize, indices: usize, shared: usize, priv: usize,
  part: i32, parts: i32): void {
  nearestAll<f64>(m, n, d, excludeSelf, values, indices, shared, priv, part, parts);
}

/**
 * The sweep of `nearest` split over the rows instead of the queries (few queries, many rows, as
 * Lloyd's samples against the points): part p of P scans every query against the row blocks
 * p, p + P, … and writes its own m values and indices at values + p·m, indices + p·m (T);
 * nearestRowsMerge then keeps, per query, the best of the parts (a NaN, else the largest, ties to
 * the lowest index: the same result as one sweep).
 */
export function nearestRows_f32(m: i32, n: i32, d: i32, excludeSelf: bool, values: usize, indices: usize, shared: usize, priv: usize,
  part: i32, parts: i32): void {
  nearestAll<f32>(m, n, d, excludeSelf, at<f32>(values, part * m), at<f32>(indices, part * m), shared, priv, 0, 1, part, parts);
}
export function nearestRows_f64(m: i32, n: i32, d: i32, excludeSelf: bool, values: usize, indices: usize, shared: usize, priv: usize,
  part: i32, parts: i32): void {
  nearestAll<f64>(m, n, d, excludeSelf, at<f64>(values, part * m), at<f64>(indices, part * m), shared, priv, 0, 1, part, parts);
}

/** out[k] = the best of the parts' candidates of query k (see nearestRows_T; index −1: none). */
@inline function nearestRowsMergeAll<T>(m: i32, values: usize, indices: usize, parts: i32, outV: usize, outI: usize): void {
  for (let k = 0; k < m; k++) {
    let v = <T>-Infinity, i = <T>-1;
    for (let p = 0; p < parts; p++) {
      const pv = load<T>(at<T>(values, p * m + k)), pi = load<T>(at<T>(indices, p * m + k));
      if (wins<T>(pv, pi, v, i)) {
        v = pv;
        i = pi;
      }
    }
    store<T>(at<T>(outV, k), v);
    store<T>(at<T>(outI, k), i);
  }
}
export function nearestRowsMerge_f32(m: i32, values: usize, indices: usize, parts: i32, outV: usize, outI: usize): void {
  nearestRowsMergeAll<f32>(m, values, indices, parts, outV, outI);
}
export function nearestRowsMerge_f64(m: i32, values: usize, indices: usize, parts: i32, outV: usize, outI: usize): void {
  nearestRowsMergeAll<f64>(m, values, indices, parts, outV, outI);
}
