import type { Storage } from './backend.js';

/**
 * The distance r(c) a fused pairwise kernel applies to the cosine c = x_i · x_j (docs/math.md §2):
 * - `angle`: θ = acos(clampc(c)), clampc(c) = min(max(c, −1 + ε), 1 − ε);
 * - `chord`: e = √(max(2 − 2c, 0) + ε) (the exact chord);
 * - `chordAuthors`: √(2 − c) (the authors' code, no ε);
 * - `chordSquared`: e² = 2 − 2c (no clamp, no ε).
 */
export type PairDistance = 'angle' | 'chord' | 'chordAuthors' | 'chordSquared';

/**
 * The kernel k(r) a fused pairwise sum applies to the distance r:
 * - `gaussian`: exp(−γ r²);
 * - `laplace`: exp(−γ r);
 * - `riesz`: r^−s (s > 0), −log r (s = 0), −r^−s (s < 0);
 * - `identity`: r (the mean-angle metric).
 */
export type PairKernelKind = 'gaussian' | 'laplace' | 'riesz' | 'identity';

/**
 * A kernel of the cosine, k(c) = kernel(distance(c)), for {@link PairwiseKernels.pairwiseSum}.
 * The derivative k′(c) is the one reverse mode gives for the composed graph: the clamp of `angle`
 * passes the gradient only for −1 + ε ≤ c ≤ 1 − ε, the max(2 − 2c, 0) of `chord` only where
 * 2 − 2c ≥ 0. MMD's gaussian/euclidean kernel exp(γc) is `laplace` of `chordSquared` with γ/2 times
 * the constant e^γ, which the caller applies (so the sum never overflows for large γ).
 */
export interface PairKernel {
  /** k(r). */
  readonly kernel: PairKernelKind;
  /** r(c). */
  readonly distance: PairDistance;
  /** γ of `gaussian` and `laplace` (ignored otherwise). */
  readonly gamma: number;
  /** s of `riesz` (ignored otherwise). */
  readonly s: number;
  /** The ε of `angle`'s clamp and of `chord` (ignored otherwise). */
  readonly eps: number;
}

/** What {@link PairwiseKernels.pairwiseSum} returns. */
export interface PairwiseSumResult {
  /** One element: Σ_{i<j} k(c_ij), accumulated in float64, stored in the input's dtype. */
  readonly sum: Storage;
  /** n × d, row-major: G_i = Σ_{j≠i} k′(c_ij) x_j; null unless `withGrad`. */
  readonly grad: Storage | null;
}

/** What {@link PairwiseKernels.nearest} returns. */
export interface NearestResult {
  /** m values: max_i q_k · x_i (over i ≠ k when `excludeSelf`). */
  readonly values: Storage;
  /** m indices (as floats) of the maximising row, the lowest index on ties. */
  readonly indices: Storage;
}

/**
 * The fused pairwise passes every backend implements: one tiled sweep over the pairs of rows that
 * forms x_i · x_j tiles, applies a kernel (and its derivative) or a running max, and reduces, with
 * O(n·d) memory (the n × n matrix is never stored). The regularizers above call one op each and
 * the backend decides how (loops on cpu, SIMD and threads on wasm, tiles on gpu).
 */
export interface PairwiseKernels {
  /**
   * For rows x (n × d): the sum of k(c_ij) over the pairs i < j and, when `withGrad`, the rows
   * G_i = Σ_{j≠i} k′(c_ij) x_j (so ∂/∂x_i of the sum, by symmetry).
   */
  pairwiseSum(x: Storage, n: number, d: number, kernel: PairKernel, withGrad: boolean): PairwiseSumResult;
  /**
   * For queries q (m × d) and rows x (n × d): per query, the largest cosine q_k · x_i and its row
   * i (lowest index on ties). With `excludeSelf` (q is x, m = n) the pair k = i is skipped.
   */
  nearest(q: Storage, m: number, x: Storage, n: number, d: number, excludeSelf: boolean): NearestResult;
}
