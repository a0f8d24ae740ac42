// Nearest neighbours by cosine against few rows of few dimensions (d ≤ 8, n ≤ 32: Tammes' points on S²):
// no packing into panels and no B × B tiles, whose fixed costs (zero-padded tiles, per-block
// running maxima) outweigh the d products of a cosine there. X is transposed once into d rows
// (xt, n rounded up to whole vectors); each query then forms its cosines with a vector of rows
// at a time, summed over p = 0..d−1 from 0 in the micro-kernel's order (so each cosine is the
// same float as the tiled sweep's), and keeps per-lane running maxima that a fold and the tail
// rows finish: a NaN wins (the lowest-index one), else the largest, ties to the lowest index.
import { at, lanes } from './simd';
import { beats, madd, wins } from './gemm';

@inline function roundUp(v: i32, m: i32): i32 {
  return (v + m - 1) / m * m;
}

/** Lane l (0 ≤ l < lanes) of v. */
@inline function laneOf<T>(v: v128, l: i32): T {
  if (l == 0) return v128.extract_lane<T>(v, 0);
  if (l == 1) return v128.extract_lane<T>(v, 1);
  if (sizeof<T>() == 8) return <T>0;
  return l == 2 ? v128.extract_lane<T>(v, 2) : v128.extract_lane<T>(v, 3);
}

/** Bytes of the transposed rows for n × d of T. */
export function nearestSmallScratch_f32(n: i32, d: i32): i32 { return d * roundUp(n, 4) * 4 + 16; }
export function nearestSmallScratch_f64(n: i32, d: i32): i32 { return d * roundUp(n, 2) * 8 + 16; }

/** xt (d × roundUp(n, lanes), 16-byte aligned in scratch) = xᵀ. */
@inline function transposeAll<T>(x: usize, n: i32, d: i32, scratch: usize): void {
  const nP = roundUp(n, lanes<T>()), xt = (scratch + 15) & ~15;
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < d; p++) store<T>(at<T>(xt, p * nP + i), load<T>(at<T>(x, i * d + p)));
  }
}
export function nearestSmallPack_f32(x: usize, n: i32, d: i32, scratch: usize): void { transposeAll<f32>(x, n, d, scratch); }
export function nearestSmallPack_f64(x: usize, n: i32, d: i32, scratch: usize): void { transposeAll<f64>(x, n, d, scratch); }

/** Queries k0 ≤ k < k1 of q (m × d) against the n rows transposed in scratch (i ≠ k with excludeSelf). */
@inline function sweep<T>(n: i32, d: i32, excludeSelf: bool, q: usize, values: usize, indices: usize, scratch: usize,
  k0: i32, k1: i32): void {
  const L = lanes<T>(), nP = roundUp(n, L), nV = n / L * L;
  const xt = (scratch + 15) & ~15;
  const first = sizeof<T>() == 4 ? f32x4(0, 1, 2, 3) : f64x2(0, 1);
  const step = v128.splat<T>(<T>L), none = v128.splat<T>(<T>-Infinity);
  for (let k = k0; k < k1; k++) {
    const qk = at<T>(q, k * d), self = v128.splat<T>(<T>k);
    let bv = none, bi = v128.splat<T>(<T>-1), iv = first;
    for (let i = 0; i < nV; i += L) {
      let c = v128.splat<T>(<T>0);
      for (let p = 0; p < d; p++) c = madd<T>(v128.splat<T>(load<T>(at<T>(qk, p))), v128.load(at<T>(xt, p * nP + i)), c);
      if (excludeSelf && k >= i && k < i + L) c = v128.bitselect(none, c, v128.eq<T>(iv, self));
      const w = beats<T>(c, bv);
      bv = v128.bitselect(c, bv, w);
      bi = v128.bitselect(iv, bi, w);
      iv = v128.add<T>(iv, step);
    }
    let best = v128.extract_lane<T>(bv, 0), bestI = v128.extract_lane<T>(bi, 0);
    for (let l = 1; l < L; l++) {
      const lv = laneOf<T>(bv, l), li = laneOf<T>(bi, l);
      if (wins<T>(lv, li, best, bestI)) {
        best = lv;
        bestI = li;
      }
    }
    if (nV < n) {
      // the last rows as one more vector (its lanes past n read the padding and are left out), so
      // that every cosine is the same multiply-adds in both builds of the kernels
      let c = v128.splat<T>(<T>0);
      for (let p = 0; p < d; p++) c = madd<T>(v128.splat<T>(load<T>(at<T>(qk, p))), v128.load(at<T>(xt, p * nP + nV)), c);
      for (let l = 0; l < n - nV; l++) {
        const i = nV + l, v = laneOf<T>(c, l);
        if (excludeSelf && i == k) continue;
        if (wins<T>(v, <T>i, best, bestI)) {
          best = v;
          bestI = <T>i;
        }
      }
    }
    store<T>(at<T>(values, k), best);
    store<T>(at<T>(indices, k), bestI);
  }
}

export function nearestSmall_f32(n: i32, d: i32, excludeSelf: bool, q: usize, values: usize, indices: usize, scratch: usize, k0: i32, k1: i32): void {
  sweep<f32>(n, d, excludeSelf, q, values, indices, scratch, k0, k1);
}
export function nearestSmall_f64(n: i32, d: i32, excludeSelf: bool, q: usize, values: usize, indices: usize, scratch: usize, k0: i32, k1: i32): void {
  sweep<f64>(n, d, excludeSelf, q, values, indices, scratch, k0, k1);
}
