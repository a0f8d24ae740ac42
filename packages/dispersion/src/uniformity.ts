import { logsumexp, mul, sub, where, type Tensor } from '@keepdist/autograd';
import { minibatch } from './minibatch.js';
import type { BatchOptions } from './options.js';
import { maskedPairCosines } from './pairwise.js';
import { resolveRng } from './randomness.js';
import { checkBatchSize, checkNumber, checkPoints } from './validate.js';

/** Options of {@link uniformity}. */
export interface UniformityOptions extends BatchOptions {
  /** Temperature t > 0 (default 2). */
  t?: number;
}

/**
 * Uniformity loss of Wang & Isola (2020), SPEC §2.2:
 *
 *   L = log mean_{i<j} exp(−t e_ij²),   e_ij² = 2 − 2 c_ij,   t = 2 by default,
 *
 * evaluated as logsumexp_{i<j}(−t(2 − 2c_ij)) − log P, so it stays finite for large t.
 * O(n² d) time, O(n²) memory.
 */
export function uniformity(X: Tensor, options: UniformityOptions = {}): Tensor {
  const o = options ?? {};
  const t = checkNumber('uniformity', 't', o.t ?? 2, { min: 0, exclusive: true }, '(a non-positive t rewards collapse)');
  const { n } = checkPoints('uniformity', X, o);
  const b = checkBatchSize('uniformity', o.batchSize, n);
  const Xb = b === undefined ? X : minibatch(X, b, resolveRng('uniformity', o.rng));
  const { safe, mask, pairs } = maskedPairCosines(Xb);
  // Pairs outside the mask get −∞, so exp() gives 0 there and the softmax cotangent is 0.
  const logits = where(mask, mul(sub(2, mul(safe, 2)), -t), -Infinity);
  return sub(logsumexp(logits), Math.log(pairs));
}
