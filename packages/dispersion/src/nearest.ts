import { add, log, maximum, mean, mul, neg, sqrt, sub, type Tensor } from '@keepdist/autograd';
import { CLAMP_EPS, KOLEO_EPS } from './constants.js';
import { minibatch } from './minibatch.js';
import type { BatchOptions, ClampOptions } from './options.js';
import { angleOf, nearestCosine } from './pairwise.js';
import { resolveRng } from './randomness.js';
import { checkBatchSize, checkNumber, checkPoints } from './validate.js';

/** Options of {@link mma}. */
export interface MmaOptions extends BatchOptions, ClampOptions {}

/** Options of {@link mmcs}. */
export type MmcsOptions = BatchOptions;

/** Options of {@link koleo}. */
export interface KoleoOptions extends BatchOptions {
  /** ε ≥ 0 added to the nearest-neighbour chord inside the log (default 1e-8). */
  eps?: number;
}

/** The (possibly minibatched) rows a nearest-neighbour regularizer works on. */
function rowsOf(fn: string, X: Tensor, o: BatchOptions): Tensor {
  const { n } = checkPoints(fn, X, o);
  const b = checkBatchSize(fn, o.batchSize, n);
  return b === undefined ? X : minibatch(X, b, resolveRng(fn, o.rng));
}

/**
 * Maximum minimum angle (MMA, Wang et al. 2020), SPEC §2.3:
 *
 *   L = −(1/n) Σ_i min_{j≠i} θ_ij,   θ_ij = acos(clampc(c_ij)),
 *
 * computed as −mean_i acos(clampc(max_{j≠i} c_ij)) (acos is decreasing, so the selected
 * neighbour and the gradient are the same; ties go to the lowest index). O(n² d).
 */
export function mma(X: Tensor, options: MmaOptions = {}): Tensor {
  const o = options ?? {};
  const eps = checkNumber('mma', 'clampEps', o.clampEps ?? CLAMP_EPS, { min: 0, exclusive: true, max: 0.1 });
  return neg(mean(angleOf(nearestCosine(rowsOf('mma', X, o)), eps)));
}

/**
 * Maximum minimum cosine similarity (MMCS), SPEC §2.4:
 *
 *   L = (1/n) Σ_i max_{j≠i} c_ij
 *
 * (the authors' code adds a constant 1, which changes no gradient). O(n² d).
 */
export function mmcs(X: Tensor, options: MmcsOptions = {}): Tensor {
  return mean(nearestCosine(rowsOf('mmcs', X, options ?? {})));
}

/**
 * KoLeo (Kozachenko–Leonenko entropy estimator; Sablayrolles et al. 2019, as in DINOv2), SPEC §2.5:
 *
 *   L = −(1/n) Σ_i log(min_{j≠i} e_ij + ε),   e_ij = √(2 − 2 c_ij),   ε = 1e-8,
 *
 * computed as −mean_i log(√(max(2 − 2 max_{j≠i} c_ij, 0)) + ε). Coincident points make the
 * gradient infinite (the chord's √ at 0), as in the reference. O(n² d).
 */
export function koleo(X: Tensor, options: KoleoOptions = {}): Tensor {
  const o = options ?? {};
  const eps = checkNumber('koleo', 'eps', o.eps ?? KOLEO_EPS, { min: 0 });
  const m = nearestCosine(rowsOf('koleo', X, o));
  return neg(mean(log(add(sqrt(maximum(sub(2, mul(m, 2)), 0)), eps))));
}
