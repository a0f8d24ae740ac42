import { sqrt, type Rng, type Tensor } from '@keepdist/autograd';
import { sswLossOfCoordinates } from './circular.js';
import { slicePlanes, type Plane } from './planes.js';
import { planeCoordinates } from './sliced.js';
import { checkBoolean, checkPoints, type InputCheckOptions } from './validate.js';

/** Options of {@link ssw}. */
export interface SswOptions extends InputCheckOptions {
  /** Number K ≥ 1 of random projections (planes) per call (default 100). */
  projections?: number;
  /** Explicit planes [p, q] (orthonormal, length d) instead of drawing them. */
  planes?: readonly Plane[];
  /** The seeded generator of the planes (default: the module's fallback, see `defaultRng`). */
  rng?: Rng;
  /** Return √L, as the paper's code does through POT's `sliced_wasserstein_sphere_unif` (default false). */
  sqrt?: boolean;
}

/**
 * Spherical sliced Wasserstein distance to the uniform distribution (Bonet et al. 2023),
 * docs/math.md §2.9: for each of K planes, u_i = (θ_i + π)/(2π) with θ_i = atan2(x_i · q, x_i · p),
 * sorted u_(1) ≤ … ≤ u_(n), α = mean(u) − ½, a_r = u_(r) − α − (r − 1)/n, and the closed form
 *
 *   W = Σ_r [a_r³ − (a_r − 1/n)³]/3,   L = mean over planes of W   (√L with `sqrt: true`).
 *
 * A point that projects to the origin of a plane gets the subgradient 0 from it (as in {@link sliced}).
 * At most 2^28 / (n + d) projections per call. O(K n d + K n log n).
 */
export function ssw(X: Tensor, options: SswOptions = {}): Tensor {
  const o = options ?? {};
  const { d } = checkPoints('ssw', X, o, 2);
  const root = checkBoolean('ssw', 'sqrt', o.sqrt) ?? false;
  const L = sswLossOfCoordinates(planeCoordinates(X, slicePlanes('ssw', o.planes, 'projections', o.projections, 100, o.rng, d, X)));
  return root ? sqrt(L) : L;
}
