import { mean, square, type Tensor } from '@keepdist/autograd';
import { nearest } from '@keepdist/autograd/internal';
import { CLAMP_EPS } from './constants.js';
import { explicitPoints, uniformSphereSamples, type MatrixLike } from './draws.js';
import { minibatch } from './minibatch.js';
import type { BatchOptions, ClampOptions } from './options.js';
import { angleOf } from './pairwise.js';
import { resolveRng } from './randomness.js';
import { checkBatchSize, checkDrawCount, checkNumber, checkPoints } from './validate.js';

/** Options of {@link lloyd}. */
export interface LloydOptions extends BatchOptions, ClampOptions {
  /** Number m ≥ 1 of uniform samples drawn at each call (default 100). */
  samples?: number;
  /** Explicit samples s_1..s_m (m × d, unit rows) instead of drawing them; `samples` must then be m or omitted. */
  points?: MatrixLike;
}

/**
 * Online Lloyd dispersion (the paper's proposal), docs/math.md §2.6: draw m points s_k uniformly on the
 * sphere (fresh at each call, from `rng`; or pass them as `points`), then
 *
 *   L = (1/m) Σ_k min_i θ_ki²,   θ_ki = acos(clampc(s_k · x_i)),
 *
 * computed as mean_k acos(clampc(max_i s_k · x_i))². Its gradient pulls each x_i toward the samples
 * in its Voronoi cell: a stochastic step of Lloyd's algorithm. With `batchSize`, the rows are
 * minibatched first (then the samples are drawn). The max over the rows is the backend's fused
 * nearest pass ({@link nearest}), which never stores the m × n matrix: O(n m d) time, O((n + m) d)
 * memory.
 */
export function lloyd(X: Tensor, options: LloydOptions = {}): Tensor {
  const o = options ?? {};
  const { n, d } = checkPoints('lloyd', X, o);
  const eps = checkNumber('lloyd', 'clampEps', o.clampEps ?? CLAMP_EPS, { min: 0, exclusive: true, max: 0.1 });
  const b = checkBatchSize('lloyd', o.batchSize, n);
  let S: Tensor;
  let Xb = X;
  if (o.points !== undefined) {
    S = explicitPoints('lloyd', 'points', o.points, d, X);
    if (o.samples !== undefined) checkNumber('lloyd', 'samples', o.samples, { min: S.shape[0]!, max: S.shape[0]!, integer: true }, '(the number of rows of points)');
    if (b !== undefined) Xb = minibatch(X, b, resolveRng('lloyd', o.rng));
  } else {
    const m = checkDrawCount('lloyd', 'samples', checkNumber('lloyd', 'samples', o.samples ?? 100, { min: 1, integer: true }), n + d);
    const rng = resolveRng('lloyd', o.rng);
    if (b !== undefined) Xb = minibatch(X, b, rng);
    S = uniformSphereSamples(rng, m, d, X);
  }
  return mean(square(angleOf(nearest(S, Xb).values, eps)));
}
