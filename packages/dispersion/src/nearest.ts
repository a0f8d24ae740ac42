import { gt, log, add, maximum, mean, mul, nearest, neg, sqrt, sub, where, type Tensor } from '@keepdist/autograd';
import { CLAMP_EPS, KOLEO_EPS } from './constants.js';
import { minibatch } from './minibatch.js';
import type { BatchOptions, ClampOptions } from './options.js';
import { angleOf } from './pairwise.js';
import { resolveRng } from './randomness.js';
import { checkBatchSize, checkNumber, checkPoints } from './validate.js';

/** Options of {@link mma}. */
export interface MmaOptions extends BatchOptions, ClampOptions {}

/** Options of {@link mmcs}. */
export type MmcsOptions = BatchOptions;

/** Options of {@link koleo}. */
export interface KoleoOptions extends BatchOptions {
  /** ε > 0 added to the nearest-neighbour chord inside the log (default 1e-8). */
  eps?: number;
}

/**
 * The nearest-neighbour cosine of each (possibly minibatched) row, m_i = max_{j≠i} c_ij, from the
 * backend's fused pass ({@link nearest}; the n × n matrix is never stored). The gradient goes to
 * the first maximal j, as in PyTorch.
 */
function nearestOfRows(fn: string, X: Tensor, o: BatchOptions): Tensor {
  const { n } = checkPoints(fn, X, o);
  const b = checkBatchSize(fn, o.batchSize, n);
  return nearest(b === undefined ? X : minibatch(X, b, resolveRng(fn, o.rng))).values;
}

/**
 * Maximum minimum angle (MMA, Wang et al. 2020), docs/math.md §2.3:
 *
 *   L = −(1/n) Σ_i min_{j≠i} θ_ij,   θ_ij = acos(clampc(c_ij)),
 *
 * computed as −mean_i acos(clampc(max_{j≠i} c_ij)) (acos is decreasing, so the selected
 * neighbour and the gradient are the same; ties go to the lowest index). O(n² d), O(n·d) memory.
 */
export function mma(X: Tensor, options: MmaOptions = {}): Tensor {
  const o = options ?? {};
  const eps = checkNumber('mma', 'clampEps', o.clampEps ?? CLAMP_EPS, { min: 0, exclusive: true, max: 0.1 });
  return neg(mean(angleOf(nearestOfRows('mma', X, o), eps)));
}

/**
 * Maximum minimum cosine similarity (MMCS), docs/math.md §2.4:
 *
 *   L = (1/n) Σ_i max_{j≠i} c_ij
 *
 * (the authors' code adds a constant 1, which changes no gradient). O(n² d), O(n·d) memory.
 */
export function mmcs(X: Tensor, options: MmcsOptions = {}): Tensor {
  return mean(nearestOfRows('mmcs', X, options ?? {}));
}

/**
 * KoLeo (Kozachenko–Leonenko entropy estimator; Sablayrolles et al. 2019, as in DINOv2),
 * docs/math.md §2.5:
 *
 *   L = −(1/n) Σ_i log(min_{j≠i} e_ij + ε),   e_ij = √(2 − 2 c_ij),   ε = 1e-8,
 *
 * computed as −mean_i log(e_i + ε) with e_i = √(max(2 − 2 max_{j≠i} c_ij, 0)). Where the chord
 * rounds to 0 (points closer than about 1e-8, or coincident) the term is −log ε and e_i takes its
 * subgradient 0 there (not the √'s infinite slope), so the gradient stays finite; ε must be > 0
 * for the log to be. O(n² d), O(n·d) memory.
 */
export function koleo(X: Tensor, options: KoleoOptions = {}): Tensor {
  const o = options ?? {};
  const eps = checkNumber('koleo', 'eps', o.eps ?? KOLEO_EPS, { min: 0, exclusive: true }, '(log(e + ε) is −∞ at coincident points when ε = 0)');
  const m = nearestOfRows('koleo', X, o);
  const u = maximum(sub(2, mul(m, 2)), 0);
  const apart = gt(u, 0);
  const chord = where(apart, sqrt(where(apart, u, 1)), 0);
  return neg(mean(log(add(chord, eps))));
}
