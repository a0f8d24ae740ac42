/**
 * Parallel transport along the geodesic (docs/math.md §1), row-wise: `ptransp`.
 */
import { add, div, mul, sub, type Tensor } from '@keepdist/autograd';
import { checkFinite, checkNotAntipodal, checkOnSphere, checkRows, checkTangent } from './checks.js';
import { distUnchecked } from './distance.js';
import { nanWhereAntipodal } from './maps.js';
import { rowDot } from './numerics.js';

/** ptransp without input checks (NaN rows within the antipodal tolerance of π). */
export function ptranspUnchecked(x: Tensor, y: Tensor, v: Tensor, theta: Tensor = distUnchecked(x, y, true)): Tensor {
  const s = add(x, y);
  const onePlusCos = mul(rowDot(s, s), 0.5);
  const coef = div(sub(rowDot(y, v), mul(rowDot(x, y), rowDot(x, v))), onePlusCos);
  return nanWhereAntipodal(theta, sub(v, mul(coef, s)));
}

/**
 * Parallel transport of v from T_x S to T_y S along the shortest geodesic, row-wise:
 *   P_{x→y}(v) = v − (⟨Log_x y, v⟩ / θ²) (Log_x y + Log_y x),   θ = dist(x, y) > 0;   v when x = y.
 * With Log_x y + Log_y x = (θ / sin θ)(1 − cos θ)(x + y) this simplifies to the form computed,
 *   P_{x→y}(v) = v − (⟨y, v⟩ − cos θ ⟨x, v⟩) / (1 + cos θ) · (x + y),   1 + cos θ = ‖x + y‖² / 2,
 * smooth through x = y (no 0/0) and accurate up to the antipode. It is an isometry
 * T_x S → T_y S (inner products and tangency are preserved). Undefined at y_i = −x_i: rows with
 * π − θ_i below 1.5e-8 (float64) or 3.5e-4 (float32) throw a DomainError on synchronous backends
 * and are NaN elsewhere.
 * @param x start points, n × d, rows on the sphere
 * @param y end points, n × d, rows on the sphere
 * @param v tangent vectors at x, n × d (checked like expmap's u: the transport of a vector with a
 *   normal component would not be tangent at y)
 * @returns tangent vectors at y, n × d
 */
export function ptransp(x: Tensor, y: Tensor, v: Tensor): Tensor {
  checkRows('ptransp', { x, y, v });
  checkOnSphere('ptransp', 'x', x);
  checkOnSphere('ptransp', 'y', y);
  checkFinite('ptransp', 'v', v);
  checkTangent('ptransp', x, v, 'v');
  const theta = distUnchecked(x, y, true);
  checkNotAntipodal('ptransp', theta);
  return ptranspUnchecked(x, y, v, theta);
}
