/**
 * The fused pairwise passes of the cpu backend ({@link PairwiseKernels}): plain TypeScript loops in
 * float64 over row tiles, using the symmetry c_ij = c_ji, never storing the n × n matrix.
 */
import type { Storage } from '../backend.js';
import type { NearestResult, PairKernel, PairwiseSumResult } from '../pairwise.js';
import { CpuStorage, arr } from './storage.js';
import { allocate } from '../../dtype.js';

/** Rows per tile edge of the sweeps: a J-block of 256 rows × d stays in cache. */
export const PAIRWISE_TILE = 256;

/** Writes [k(c), k′(c)] to `out`. */
type KernelOfCosine = (c: number, out: Float64Array) => void;

/** r(c) and r′(c) of a {@link PairKernel}'s distance, written to `rr` ([r, r′]). */
function distanceOf(kernel: PairKernel, rr: Float64Array): (c: number) => void {
  const { eps } = kernel;
  const lo = -1 + eps, hi = 1 - eps;
  switch (kernel.distance) {
    case 'angle':
      return (c) => {
        const cc = c < lo ? lo : c > hi ? hi : c;
        rr[0] = Math.acos(cc);
        rr[1] = c >= lo && c <= hi ? -1 / Math.sqrt(1 - cc * cc) : 0;
      };
    case 'chord':
      return (c) => {
        const u = 2 - 2 * c;
        const e = Math.sqrt((u > 0 ? u : 0) + eps);
        rr[0] = e;
        rr[1] = u >= 0 ? -1 / e : 0;
      };
    case 'chordAuthors':
      return (c) => {
        const e = Math.sqrt(2 - c);
        rr[0] = e;
        rr[1] = -1 / (2 * e);
      };
    case 'chordSquared':
      return (c) => {
        rr[0] = 2 - 2 * c;
        rr[1] = -2;
      };
  }
}

/**
 * k(c) = kernel(r(c)) and its derivative k′(c) = kernel′(r) · r′(c), the one reverse mode gives for
 * the composed graph (see {@link PairKernel}).
 */
export function kernelOfCosine(kernel: PairKernel): KernelOfCosine {
  const rr = new Float64Array(2);
  const dist = distanceOf(kernel, rr);
  const { gamma, s } = kernel;
  switch (kernel.kernel) {
    case 'gaussian':
      return (c, out) => {
        dist(c);
        const r = rr[0]!, k = Math.exp(-gamma * r * r);
        out[0] = k;
        out[1] = -2 * gamma * r * k * rr[1]!;
      };
    case 'laplace':
      return (c, out) => {
        dist(c);
        const k = Math.exp(-gamma * rr[0]!);
        out[0] = k;
        out[1] = -gamma * k * rr[1]!;
      };
    case 'identity':
      return (c, out) => {
        dist(c);
        out[0] = rr[0]!;
        out[1] = rr[1]!;
      };
    case 'riesz': {
      if (s === 0) {
        return (c, out) => {
          dist(c);
          out[0] = -Math.log(rr[0]!);
          out[1] = -rr[1]! / rr[0]!;
        };
      }
      const sign = s > 0 ? 1 : -1;
      return (c, out) => {
        dist(c);
        const r = rr[0]!, p = Math.pow(r, -s - 1);
        out[0] = sign * p * r;
        out[1] = -sign * s * p * rr[1]!;
      };
    }
  }
}

/**
 * Σ_{i<j} k(c_ij) over the rows of `X` (row-major n × d, float64) and, when `G` is given, adds
 * G_i += Σ_{j≠i} k′(c_ij) x_j. The pairs are visited in tile × tile blocks of the upper block
 * triangle, each cosine once (its k′ feeds both G_i and G_j).
 */
export function pairwiseSweep(X: Float64Array, n: number, d: number, kernel: PairKernel, G: Float64Array | null,
  tile = PAIRWISE_TILE): number {
  const k = kernelOfCosine(kernel);
  const kk = new Float64Array(2);
  const gi = new Float64Array(d);
  let total = 0;
  for (let i0 = 0; i0 < n; i0 += tile) {
    const i1 = Math.min(n, i0 + tile);
    for (let j0 = i0; j0 < n; j0 += tile) {
      const j1 = Math.min(n, j0 + tile);
      let blockSum = 0;
      for (let i = i0; i < i1; i++) {
        const oi = i * d;
        if (G) gi.fill(0);
        let rowSum = 0;
        let j = j0 === i0 ? i + 1 : j0;
        // Two columns j, j + 1 at a time: x_i and g_i are loaded once for both.
        for (; j + 1 < j1; j += 2) {
          const oa = j * d, ob = oa + d;
          let a0 = 0, a1 = 0, b0 = 0, b1 = 0, t = 0;
          for (; t + 1 < d; t += 2) {
            const x0 = X[oi + t]!, x1 = X[oi + t + 1]!;
            a0 += x0 * X[oa + t]!;
            a1 += x1 * X[oa + t + 1]!;
            b0 += x0 * X[ob + t]!;
            b1 += x1 * X[ob + t + 1]!;
          }
          if (t < d) {
            a0 += X[oi + t]! * X[oa + t]!;
            b0 += X[oi + t]! * X[ob + t]!;
          }
          k(a0 + a1, kk);
          const ka = kk[0]!, wa = kk[1]!;
          k(b0 + b1, kk);
          rowSum += ka + kk[0]!;
          if (G) {
            const wb = kk[1]!;
            for (let u = 0; u < d; u++) {
              const x = X[oi + u]!;
              gi[u]! += wa * X[oa + u]! + wb * X[ob + u]!;
              G[oa + u]! += wa * x;
              G[ob + u]! += wb * x;
            }
          }
        }
        if (j < j1) {
          const oj = j * d;
          let c = 0;
          for (let t = 0; t < d; t++) c += X[oi + t]! * X[oj + t]!;
          k(c, kk);
          rowSum += kk[0]!;
          if (G) {
            const w = kk[1]!;
            for (let u = 0; u < d; u++) {
              gi[u]! += w * X[oj + u]!;
              G[oj + u]! += w * X[oi + u]!;
            }
          }
        }
        blockSum += rowSum;
        if (G) for (let t = 0; t < d; t++) G[oi + t]! += gi[t]!;
      }
      total += blockSum;
    }
  }
  return total;
}

/** {@link PairwiseKernels.pairwiseSum} on cpu storages: float64 accumulation, results in x's dtype. */
export function pairwiseSum(x: Storage, n: number, d: number, kernel: PairKernel, withGrad: boolean): PairwiseSumResult {
  const X = Float64Array.from(arr(x));
  const G = withGrad ? new Float64Array(n * d) : null;
  const total = pairwiseSweep(X, n, d, kernel, G);
  const sum = allocate(x.dtype, 1);
  sum[0] = total;
  if (!G) return { sum: new CpuStorage(sum), grad: null };
  const grad = allocate(x.dtype, n * d);
  grad.set(G);
  return { sum: new CpuStorage(sum), grad: new CpuStorage(grad) };
}

/**
 * Per query row q_k the largest q_k · x_i (over i ≠ k when `excludeSelf`) and the lowest i that
 * attains it, from float64 dot products. With `excludeSelf` (q is x) each pair is formed once and
 * offered to both rows, in tiles.
 */
export function nearestRows(Q: Float64Array, m: number, X: Float64Array, n: number, d: number, excludeSelf: boolean,
  tile = PAIRWISE_TILE): { best: Float64Array; at: Float64Array } {
  const best = new Float64Array(m).fill(-Infinity);
  const at = new Float64Array(m).fill(-1);
  const offer = (k: number, i: number, c: number): void => {
    // the lowest index wins ties: i arrives in increasing order for each k except in the
    // symmetric sweep, hence the explicit comparison
    if (c > best[k]! || (c === best[k]! && i < at[k]!) || at[k]! < 0) {
      best[k] = c;
      at[k] = i;
    }
  };
  for (let k0 = 0; k0 < m; k0 += tile) {
    const k1 = Math.min(m, k0 + tile);
    for (let i0 = excludeSelf ? k0 : 0; i0 < n; i0 += tile) {
      const i1 = Math.min(n, i0 + tile);
      for (let k = k0; k < k1; k++) {
        const ok = k * d;
        for (let i = excludeSelf && i0 === k0 ? k + 1 : i0; i < i1; i++) {
          const oi = i * d;
          let c = 0;
          for (let t = 0; t < d; t++) c += Q[ok + t]! * X[oi + t]!;
          offer(k, i, c);
          if (excludeSelf) offer(i, k, c);
        }
      }
    }
  }
  return { best, at };
}

/** {@link PairwiseKernels.nearest} on cpu storages: values in q's dtype, indices as float64. */
export function nearest(q: Storage, m: number, x: Storage, n: number, d: number, excludeSelf: boolean): NearestResult {
  const Q = Float64Array.from(arr(q));
  const X = excludeSelf ? Q : Float64Array.from(arr(x));
  const { best, at } = nearestRows(Q, m, X, n, d, excludeSelf);
  const values = allocate(q.dtype, m);
  values.set(best);
  return { values: new CpuStorage(values), indices: new CpuStorage(at) };
}
