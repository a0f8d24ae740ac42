/**
 * The fused pairwise passes of the cpu backend ({@link PairwiseKernels}): float64 row tiles whose
 * cosines and gradient products come from the backend's packed matmul kernel, with the kernel and
 * the running maxima in plain TypeScript loops, using the symmetry c_ij = c_ji; the n × n matrix
 * is never stored.
 */
import type { Storage } from '../backend.js';
import type { NearestResult, PairKernel, PairwiseSumResult } from '../pairwise.js';
import { CpuStorage, arr } from './storage.js';
import { matmul } from './matmul.js';
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

/** C = A Bᵀ for row-major A (ra × d) and B (rb × d) in float64, by the backend's packed matmul kernel. */
function cosineTile(A: Float64Array, ra: number, B: Float64Array, rb: number, d: number): Float64Array {
  return arr(matmul(new CpuStorage(A), new CpuStorage(B), 1, ra, d, rb, false, true)) as Float64Array;
}

/** G[off..] += the rows of `add` (row-major, as many elements as `add` holds). */
function addInto(G: Float64Array, off: number, add: Storage): void {
  const a = arr(add);
  for (let t = 0; t < a.length; t++) G[off + t]! += a[t]!;
}

/**
 * Σ_{i<j} k(c_ij) over the rows of `X` (row-major n × d, float64) and, when `G` is given, adds
 * G_i += Σ_{j≠i} k′(c_ij) x_j. The pairs are visited in tile × tile blocks (I ≤ J) of the upper
 * block triangle, each cosine once: C = X_I X_Jᵀ by the matmul kernel, then k(c) summed and k′(c)
 * written over C in place (0 off the pairs i < j of a diagonal block), and the gradient rows
 * G_I += W X_J, G_J += Wᵀ X_I by two more matmuls. Memory: X, G and one tile.
 */
export function pairwiseSweep(X: Float64Array, n: number, d: number, kernel: PairKernel, G: Float64Array | null,
  tile = PAIRWISE_TILE): number {
  const k = kernelOfCosine(kernel);
  const kk = new Float64Array(2);
  let total = 0;
  for (let i0 = 0; i0 < n; i0 += tile) {
    const bi = Math.min(tile, n - i0);
    const XI = X.subarray(i0 * d, (i0 + bi) * d);
    for (let j0 = i0; j0 < n; j0 += tile) {
      const bj = Math.min(tile, n - j0);
      const XJ = X.subarray(j0 * d, (j0 + bj) * d);
      const W = cosineTile(XI, bi, XJ, bj, d);
      let blockSum = 0;
      for (let ii = 0; ii < bi; ii++) {
        const row = ii * bj;
        const start = j0 === i0 ? ii + 1 : 0;
        if (j0 === i0) W.fill(0, row, row + start);
        for (let jj = start; jj < bj; jj++) {
          k(W[row + jj]!, kk);
          blockSum += kk[0]!;
          W[row + jj] = kk[1]!;
        }
      }
      total += blockSum;
      if (G) {
        const w = new CpuStorage(W);
        addInto(G, i0 * d, matmul(w, new CpuStorage(XJ), 1, bi, bj, d, false, false));
        addInto(G, j0 * d, matmul(w, new CpuStorage(XI), 1, bj, bi, d, true, false));
      }
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
 * attains it, from float64 tiles C = Q_K X_Iᵀ of the matmul kernel. With `excludeSelf` (q is x)
 * only blocks I ≥ K are formed and each cosine is offered to both of its rows. Candidates reach
 * every row in increasing index order, so a strict comparison keeps the lowest index on ties.
 */
export function nearestRows(Q: Float64Array, m: number, X: Float64Array, n: number, d: number, excludeSelf: boolean,
  tile = PAIRWISE_TILE): { best: Float64Array; at: Float64Array } {
  const best = new Float64Array(m).fill(-Infinity);
  const at = new Float64Array(m).fill(-1);
  for (let k0 = 0; k0 < m; k0 += tile) {
    const bk = Math.min(tile, m - k0);
    const QK = Q.subarray(k0 * d, (k0 + bk) * d);
    for (let i0 = excludeSelf ? k0 : 0; i0 < n; i0 += tile) {
      const bi = Math.min(tile, n - i0);
      const C = cosineTile(QK, bk, X.subarray(i0 * d, (i0 + bi) * d), bi, d);
      const diagonal = excludeSelf && i0 === k0;
      for (let kk = 0; kk < bk; kk++) {
        const k = k0 + kk, row = kk * bi;
        let b = best[k]!, a = at[k]!;
        for (let ii = diagonal ? kk + 1 : 0; ii < bi; ii++) {
          const c = C[row + ii]!;
          if (c > b || a < 0) {
            b = c;
            a = i0 + ii;
          }
          if (excludeSelf && (c > best[i0 + ii]! || at[i0 + ii]! < 0)) {
            best[i0 + ii] = c;
            at[i0 + ii] = k;
          }
        }
        best[k] = b;
        at[k] = a;
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
