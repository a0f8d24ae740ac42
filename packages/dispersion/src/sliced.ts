import {
  add, atan2, concat, defineOp, div, eq, indexSelect, matmulT, mul, neg, slice, square, transpose, where, type Rng, type Tensor,
} from '@keepdist/autograd';
import { slicedLossOfCoordinates } from './circular.js';
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
 * The slice angles of stacked coordinates S (2K × n: rows 0..K−1 the x_ki, rows K..2K−1 the y_ki):
 * θ = atan2(y, x) elementwise (K × n) with the subgradient 0 where a point projects to the origin
 * of its slice (x = y = 0: a point along the plane's normal, or a row with zeros in both chosen
 * columns, as one-hot and sparse rows have), numerically: where x² + y² underflows to 0 (|x|, |y|
 * below ~1e-154 in float64, ~1e-19 in float32). There atan2's gradient (x, −y)/(x² + y²) would be
 * 0/0 or overflow; the value is atan2's own. One atan2 pass forward; the backward masks the origin
 * and hands S its cotangent [x̄; ȳ] as one concatenation (not two scatters into zeros and their sum).
 */
export const stackedSliceAngle: (S: Tensor) => Tensor = defineOp({
  name: 'stackedSliceAngle',
  forward: (S) => {
    const K = S.shape[0]! / 2;
    return atan2(slice(S, 0, K, 2 * K), slice(S, 0, 0, K));
  },
  backward: (gz, [S]) => {
    const K = S!.shape[0]! / 2;
    const x = slice(S!, 0, 0, K), y = slice(S!, 0, K, 2 * K);
    const r2 = add(square(x), square(y));
    const origin = eq(r2, 0);
    return [concat([where(origin, 0, neg(div(mul(gz, y), r2))), where(origin, 0, div(mul(gz, x), r2))], 0)];
  },
});

/**
 * The stacked slice coordinates of K planes given as [P; Q] (2K × d, rows p_1..p_K then
 * q_1..q_K): [P; Q] · Xᵀ (2K × n: rows 0..K−1 the x_i · p_k, rows K..2K−1 the x_i · q_k), one
 * product for both coordinates, so X is read once and its gradient written once (one pass with
 * inner dimension 2K) instead of two products and their sum.
 */
export function planeCoordinates(X: Tensor, PQ: Tensor): Tensor {
  return matmulT(PQ, X, false, true);
}

/**
 * The slice angles θ_ki = atan2(x_i · q_k, x_i · p_k) of K planes, as a K × n tensor (gradient 0
 * for a point at the origin of a slice: the subgradient 0 there, not 0/0).
 */
export function planeAngles(X: Tensor, P: Tensor, Q: Tensor): Tensor {
  return stackedSliceAngle(planeCoordinates(X, concat([P, Q], 0)));
}

/**
 * Sliced dispersion (the paper's proposal), docs/math.md §2.7: for each of K random planes (p, q
 * orthonormal; fresh from `rng` at each call, or `planes`), θ_i = atan2(x_i · q, x_i · p) and
 *
 *   L_slice = ½ Σ_i (θ_i − θ*_i)²,   θ*_i = mean(θ) + φ_{r(i)},   φ_r = −π + (2r − 1)π/n,
 *
 * r(i) the rank of θ_i; L = (1/K) Σ L_slice. Each slice pulls the projected angles toward equal
 * spacing on the circle. A point that projects to the origin of a slice (x_i · p = x_i · q = 0) has
 * no angle gradient there: its subgradient from that slice is 0. At most 2^28 / (n + d) slices per
 * call. O(K n d + K n log n).
 */
export function sliced(X: Tensor, options: SlicedOptions = {}): Tensor {
  const o = options ?? {};
  const { d } = checkPoints('sliced', X, o, 2);
  return slicedLossOfCoordinates(planeCoordinates(X, slicePlanes('sliced', o.planes, 'slices', o.slices, 1, o.rng, d, X)));
}

/**
 * Axis-aligned sliced dispersion, docs/math.md §2.8: as {@link sliced}, but each slice is a coordinate
 * plane (a, b), a ≠ b drawn uniformly (or `pairs`), θ_i = atan2(X_ib, X_ia);
 * L = (1/K) Σ L_slice. A row with X_ia = X_ib = 0 (one-hot and sparse rows) gets the subgradient 0
 * from that slice. O(K n log n), no d factor.
 */
export function slicedAxis(X: Tensor, options: SlicedAxisOptions = {}): Tensor {
  const o = options ?? {};
  const { n, d } = checkPoints('slicedAxis', X, o, 2);
  const { a, b } = axisPairs('slicedAxis', o.pairs, o.slices, 1, o.rng, d, n);
  // both columns of every pair in one gather, [a; b] as the rows of a 2K × n tensor: the gradient
  // is one scatter into X's shape, not one per column set and their sum
  return slicedLossOfCoordinates(transpose(indexSelect(X, 1, a.concat(b))));
}
