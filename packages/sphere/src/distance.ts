/**
 * Geodesic distance and the Riemannian inner product on the sphere (docs/math.md §1), row-wise.
 */
import { add, atan2, mul, norm, sub, sum, type Tensor } from '@keepdist/autograd';
import { checkOnSphere, checkRows } from './checks.js';

/**
 * dist without input checks: θ_i = 2 · atan2(‖x_i − y_i‖, ‖x_i + y_i‖), as a column [n, 1] when
 * `keepdim`, else [n].
 */
export function distUnchecked(x: Tensor, y: Tensor, keepdim = true): Tensor {
  return mul(atan2(norm(sub(x, y), -1, keepdim), norm(add(x, y), -1, keepdim)), 2);
}

/**
 * Geodesic (great-circle) distance between the rows, θ_i = acos⟨x_i, y_i⟩ ∈ [0, π], computed in the
 * stable form
 *   θ_i = 2 · atan2(‖x_i − y_i‖, ‖x_i + y_i‖)
 * (equal to 2·asin(‖x_i − y_i‖/2) for unit rows), which keeps full relative accuracy near 0 and
 * near π where acos of a rounded cosine loses it. Its gradient stays finite away from y_i = ±x_i
 * (the Riemannian gradient in x_i is (x_i cos θ − y_i) / sin θ, a unit vector); at y_i = ±x_i
 * the zero subgradient of the norm is used.
 * @param x points, n × d, rows on the sphere
 * @param y points, n × d, rows on the sphere
 * @returns distances, shape [n]
 */
export function dist(x: Tensor, y: Tensor): Tensor {
  checkRows('dist', { x, y });
  checkOnSphere('dist', 'x', x);
  checkOnSphere('dist', 'y', y);
  return distUnchecked(x, y, false);
}

/**
 * Riemannian inner product of tangent vectors at x, row-wise: the ambient dot product
 *   inner(x, u, v)_i = ⟨u_i, v_i⟩
 * (the sphere carries the metric induced by ℝ^d). `x` only fixes the shapes.
 * @param x base points, n × d
 * @param u tangent vectors at x, n × d
 * @param v tangent vectors at x, n × d (defaults to u, giving ‖u_i‖²)
 * @returns shape [n]
 */
export function inner(x: Tensor, u: Tensor, v: Tensor = u): Tensor {
  checkRows('inner', { x, u, v });
  return sum(mul(u, v), -1);
}
