import { atan2, indexSelect, matmulT, transpose, type Rng, type Tensor } from '@keepdist/autograd';
import { slicedLossOfAngles } from './circular.js';
import { axisPairs, slicePlanes, type AxisPair, type Plane } from './planes.js';
import { checkPoints, type InputCheckOptions } from './validate.js';

/** Options of {@link sliced}. */
export interface SlicedOptions extends InputCheckOptions {
  /** Number K ≥ 1 of random slice planes per call (default 1). */
  slices?: number;
  /** Explicit planes [p, q] (orthonormal, length d) instead of drawing them; `slices` must then be K or omitted. */
  planes?: readonly Plane[];
  /** The seeded generator of the planes (default: the module's fallback, see `defaultRng`). */
  rng?: Rng;
}

/** Options of {@link slicedAxis}. */
export interface SlicedAxisOptions extends InputCheckOptions {
  /** Number K ≥ 1 of random coordinate planes per call (default 1). */
  slices?: number;
  /** Explicit column pairs [a, b] (a ≠ b, 0-based) instead of drawing them. */
  pairs?: readonly AxisPair[];
  /** The seeded generator of the pairs (default: the module's fallback, see `defaultRng`). */
  rng?: Rng;
}

/**
 * The slice angles θ_ki = atan2(x_i · q_k, x_i · p_k) of K planes, as a K × n tensor.
 */
export function planeAngles(X: Tensor, P: Tensor, Q: Tensor): Tensor {
  return atan2(matmulT(Q, X, false, true), matmulT(P, X, false, true));
}

/**
 * Sliced dispersion (the paper's proposal), SPEC §2.7: for each of K random planes (p, q
 * orthonormal; fresh from `rng` at each call, or `planes`), θ_i = atan2(x_i · q, x_i · p) and
 *
 *   L_slice = ½ Σ_i (θ_i − θ*_i)²,   θ*_i = mean(θ) + φ_{r(i)},   φ_r = −π + (2r − 1)π/n,
 *
 * r(i) the rank of θ_i; L = (1/K) Σ L_slice. Each slice pulls the projected angles toward equal
 * spacing on the circle. O(K n d + K n log n).
 */
export function sliced(X: Tensor, options: SlicedOptions = {}): Tensor {
  const o = options ?? {};
  const { d } = checkPoints('sliced', X, o, 2);
  const { P, Q } = slicePlanes('sliced', o.planes, 'slices', o.slices, 1, o.rng, d, X);
  return slicedLossOfAngles(planeAngles(X, P, Q));
}

/**
 * Axis-aligned sliced dispersion, SPEC §2.8: as {@link sliced}, but each slice is a coordinate
 * plane (a, b), a ≠ b drawn uniformly (or `pairs`), θ_i = atan2(X_ib, X_ia);
 * L = (1/K) Σ L_slice. O(K n log n), no d factor.
 */
export function slicedAxis(X: Tensor, options: SlicedAxisOptions = {}): Tensor {
  const o = options ?? {};
  const { d } = checkPoints('slicedAxis', X, o, 2);
  const { a, b } = axisPairs('slicedAxis', o.pairs, o.slices, 1, o.rng, d);
  return slicedLossOfAngles(transpose(atan2(indexSelect(X, 1, b), indexSelect(X, 1, a))));
}
