/**
 * Exponential and logarithmic maps and the projection retraction of the sphere (docs/math.md §1),
 * row-wise on n × d tensors: `expmap`, `expmapDelta`, `logmap`, `retr`.
 */
import { add, gt, mul, norm, sin, square, sub, where, type Tensor } from '@keepdist/autograd';
import { checkFinite, checkNotAntipodal, checkOnSphere, checkRows, checkTangent } from './checks.js';
import { distUnchecked } from './distance.js';
import { antipodalTolerance, sinc, thetaOverSin } from './numerics.js';
import { projUnchecked, projxUnchecked } from './tangent.js';

/** expmapDelta without input checks: sinc(‖u‖) u − 2 sin²(‖u‖/2) x. */
export function expmapDeltaUnchecked(x: Tensor, u: Tensor): Tensor {
  const theta = norm(u, -1, true);
  return sub(mul(sinc(theta), u), mul(mul(square(sin(mul(theta, 0.5))), 2), x));
}

/** expmap without input checks. */
export function expmapUnchecked(x: Tensor, u: Tensor): Tensor {
  return add(x, expmapDeltaUnchecked(x, u));
}

/**
 * logmap without input checks (NaN rows within the antipodal tolerance of π); `theta` may pass in
 * dist(x, y) as a column [n, 1] when it is already computed.
 */
export function logmapUnchecked(x: Tensor, y: Tensor, theta: Tensor = distUnchecked(x, y, true)): Tensor {
  return nanWhereAntipodal(theta, mul(thetaOverSin(theta), projUnchecked(x, sub(y, x))));
}

/** retr without input checks. */
export function retrUnchecked(x: Tensor, u: Tensor): Tensor {
  return projxUnchecked(add(x, u));
}

/** Replaces the rows whose distance θ_i (column [n, 1]) is within the antipodal tolerance of π by NaN. */
export function nanWhereAntipodal(theta: Tensor, out: Tensor): Tensor {
  return where(gt(theta, Math.PI - antipodalTolerance[theta.dtype]), Number.NaN, out);
}

/**
 * Exponential map, row-wise: follow the great circle from x_i with initial velocity u_i for unit time.
 *   Exp_x(u) = cos(‖u‖) x + sin(‖u‖) u / ‖u‖ = x + u + O(‖u‖²)
 * computed as x + {@link expmapDelta}(x, u), with sin θ / θ from its Taylor series below a small θ:
 * exact and finite for tiny and zero u (then Exp_x(0) = x and the Jacobian in u is the identity).
 * Any ‖u‖ is allowed (the geodesic wraps around past π).
 * @param x points, n × d, rows on the sphere (checked to 1e-5 on synchronous backends)
 * @param u tangent vectors at x, n × d: ⟨x_i, u_i⟩ = 0 (checked to 1e-5 · max(1, ‖u_i‖))
 * @returns points on the sphere, n × d
 */
export function expmap(x: Tensor, u: Tensor): Tensor {
  checkRows('expmap', { x, u });
  checkOnSphere('expmap', 'x', x);
  checkFinite('expmap', 'u', u);
  checkTangent('expmap', x, u);
  return expmapUnchecked(x, u);
}

/**
 * The displacement of the exponential map, without cancellation:
 *   expmapDelta(x, u) = Exp_x(u) − x = (sin θ / θ) u − 2 sin²(θ/2) x,   θ = ‖u‖.
 * For tiny u this keeps full relative accuracy where `expmap(x, u) − x` would lose it to rounding
 * next to x (‖u‖ = 1e-9 moves x by less than 1e-9 of its size).
 * @param x points, n × d, rows on the sphere
 * @param u tangent vectors at x, n × d
 */
export function expmapDelta(x: Tensor, u: Tensor): Tensor {
  checkRows('expmapDelta', { x, u });
  checkOnSphere('expmapDelta', 'x', x);
  checkFinite('expmapDelta', 'u', u);
  checkTangent('expmapDelta', x, u);
  return expmapDeltaUnchecked(x, u);
}

/**
 * Logarithmic map, row-wise: the tangent vector at x_i pointing along the shortest geodesic to y_i,
 * of length θ_i = dist(x_i, y_i).
 *   Log_x(y) = θ / sin θ · (y − cos θ · x)
 * computed as (θ / sin θ) · proj(x, y − x), with θ / sin θ from its Taylor series near 0, so
 * Log_x(x) = 0 exactly and near points keep full relative accuracy. Undefined at y_i = −x_i:
 * rows with π − θ_i < 1.5e-8 (float64) or 3.5e-4 (float32) throw a DomainError on synchronous
 * backends and are NaN elsewhere, never a silently wrong vector. Near (but outside) that band the
 * result is accurate to about eps / (π − θ) relative.
 * @param x points, n × d, rows on the sphere
 * @param y points, n × d, rows on the sphere
 * @returns tangent vectors at x, n × d, with ‖Log_x(y)_i‖ = θ_i
 */
export function logmap(x: Tensor, y: Tensor): Tensor {
  checkRows('logmap', { x, y });
  checkOnSphere('logmap', 'x', x);
  checkOnSphere('logmap', 'y', y);
  const theta = distUnchecked(x, y, true);
  checkNotAntipodal('logmap', theta);
  return logmapUnchecked(x, y, theta);
}

/**
 * Projection retraction, row-wise: step in the ambient space, then project back onto the sphere.
 *   R_x(u) = (x + u) / ‖x + u‖
 * Agrees with {@link expmap} to second order: ‖R_x(u) − Exp_x(u)‖ = ‖u‖³/3 + O(‖u‖⁵), and is cheaper
 * (no trigonometric functions). Defined for every tangent u (‖x + u‖ ≥ 1); a u that is not tangent
 * (u = −x would give 0/0) throws a DomainError on synchronous backends.
 * @param x points, n × d, rows on the sphere
 * @param u tangent vectors at x, n × d
 */
export function retr(x: Tensor, u: Tensor): Tensor {
  checkRows('retr', { x, u });
  checkOnSphere('retr', 'x', x);
  checkFinite('retr', 'u', u);
  checkTangent('retr', x, u);
  return retrUnchecked(x, u);
}
