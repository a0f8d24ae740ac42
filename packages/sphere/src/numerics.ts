/**
 * The sphere package's numerical constants (one place, per dtype) and the small differentiable
 * helpers the maps share: row-wise dot products and the two series-guarded ratios sin θ / θ and
 * θ / sin θ.
 */
import { add, div, lt, mul, sin, sum, where, type DType, type Tensor } from '@keepdist/autograd';

/**
 * Below this angle the ratios sin θ / θ and θ / sin θ are evaluated by their Taylor series
 * (terms up to θ⁶). The next term is below 1e-20 (float64, θ < 1e-2) and 3e-12 (float32, θ < 0.1),
 * far under each dtype's resolution, while the direct quotient above the threshold keeps a
 * relative gradient error below 3·eps/θ² (6e-12 and 2e-5).
 */
export const seriesThreshold: Readonly<Record<DType, number>> = { float64: 1e-2, float32: 1e-1 };

/**
 * Antipodal guard of `logmap` and `ptransp`: points with π − θ below this (≈ √eps of the dtype)
 * have no numerically meaningful logarithm: the direction of the result would be set by rounding.
 */
export const antipodalTolerance: Readonly<Record<DType, number>> = { float64: 1.5e-8, float32: 3.5e-4 };

/** Default tolerance of the on-sphere check: max_i |‖x_i‖ − 1| must not exceed it. */
export const onSphereTolerance = 1e-5;

/**
 * Default tolerance of the tangency check of `expmap`: |⟨x_i, u_i⟩| ≤ tol · max(1, ‖u_i‖).
 */
export const tangentTolerance = 1e-5;

/** Row-wise dot product ⟨a_i, b_i⟩ over the last axis, kept as a column: shape [n, 1]. */
export function rowDot(a: Tensor, b: Tensor): Tensor {
  return sum(mul(a, b), -1, true);
}

/**
 * Evaluates the even series c0 + c1 θ² + c2 θ⁴ + c3 θ⁶ for θ below the threshold and `direct(θs)`
 * elsewhere. The direct branch gets the safe angle θs = 1 where θ is small, so that neither
 * branch produces 0/0: `where` sends a cotangent to both branches, and 0 · NaN would be NaN.
 */
function seriesGuarded(theta: Tensor, coeffs: readonly [number, number, number, number],
  direct: (thetaSafe: Tensor) => Tensor): Tensor {
  const small = lt(theta, seriesThreshold[theta.dtype]);
  const t2 = mul(theta, theta);
  const series = add(coeffs[0], mul(t2, add(coeffs[1], mul(t2, add(coeffs[2], mul(t2, coeffs[3]))))));
  const thetaSafe = where(small, 1, theta);
  return where(small, series, direct(thetaSafe));
}

/** sinc θ = sin θ / θ, equal to 1 − θ²/6 + θ⁴/120 − θ⁶/5040 + O(θ⁸) near 0 (finite and smooth at 0). */
export function sinc(theta: Tensor): Tensor {
  return seriesGuarded(theta, [1, -1 / 6, 1 / 120, -1 / 5040], (t) => div(sin(t), t));
}

/** θ / sin θ, equal to 1 + θ²/6 + 7θ⁴/360 + 31θ⁶/15120 + O(θ⁸) near 0 (infinite at θ = π). */
export function thetaOverSin(theta: Tensor): Tensor {
  return seriesGuarded(theta, [1, 1 / 6, 7 / 360, 31 / 15120], (t) => div(t, sin(t)));
}

