import { concat, expand, log, max, maximum, mul, nearest, noGrad, pairwiseSum, reshape, sqrt, sub, type DType, type PairKernel, type Tensor } from '@keepdist/autograd';
import { minibatch } from './minibatch.js';
import type { BatchOptions } from './options.js';
import { resolveRng } from './randomness.js';
import { checkBatchSize, checkNumber, checkPoints } from './validate.js';

/** Options of {@link uniformity}. */
export interface UniformityOptions extends BatchOptions {
  /** Temperature t > 0 (default 2). */
  t?: number;
}

/**
 * Largest 4t for which Σ_{i<j} exp(−t e_ij²) is summed as it is: every term is at least e^{−4t}
 * (e² ≤ 4), which stays a normal number of the dtype (smallest normals e^{−87.3}, e^{−708.4}).
 */
const PLAIN_SUM_MAX_EXPONENT: Readonly<Record<DType, number>> = { float32: 80, float64: 700 };

/**
 * Uniformity loss of Wang & Isola (2020), docs/math.md §2.2:
 *
 *   L = log mean_{i<j} exp(−t e_ij²) = log Σ_{i<j} exp(−t(2 − 2c_ij)) − log P,   t = 2 by default,
 *
 * with the sum from one fused pass ({@link pairwiseSum}: laplace of chordSquared with γ = t) on
 * every backend, O(n·d) memory. When 4t is small enough that no term can underflow the dtype, the
 * sum is taken as it is; beyond, it is shifted as a log-sum-exp is: with c* = max_{i≠j} c_ij
 * (from {@link nearest}, held constant),
 *
 *   log Σ exp(−t e²) = −t(2 − 2c*) + log Σ exp(−t(2c* − 2c)),
 *
 * where 2c* − 2c_ij is the chordSquared of the rows with one constant coordinate √(1 − c*) appended,
 * so the largest term is 1 and L stays finite for any t. O(n² d) time.
 */
export function uniformity(X: Tensor, options: UniformityOptions = {}): Tensor {
  const o = options ?? {};
  const t = checkNumber('uniformity', 't', o.t ?? 2, { min: 0, exclusive: true }, '(a non-positive t rewards collapse)');
  const { n } = checkPoints('uniformity', X, o);
  const b = checkBatchSize('uniformity', o.batchSize, n);
  const Xb = b === undefined ? X : minibatch(X, b, resolveRng('uniformity', o.rng));
  const pairs = (Xb.shape[0]! * (Xb.shape[0]! - 1)) / 2;
  const kernel: PairKernel = { kernel: 'laplace', distance: 'chordSquared', gamma: t, s: 1, eps: 0 };
  if (4 * t <= PLAIN_SUM_MAX_EXPONENT[Xb.dtype]) return sub(log(pairwiseSum(Xb, kernel)), Math.log(pairs));
  // c* and the appended column √(1 − c*), constants to autograd (the shift changes no gradient)
  const { cmax, column } = noGrad(() => {
    const c = max(nearest(Xb).values);
    const lift = sqrt(maximum(sub(1, c), 0));
    return { cmax: c, column: expand(reshape(lift, [1, 1]), [Xb.shape[0]!, 1]) };
  });
  const offset = noGrad(() => mul(sub(2, mul(cmax, 2)), t));
  return sub(sub(log(pairwiseSum(concat([Xb, column], 1), kernel)), offset), Math.log(pairs));
}
