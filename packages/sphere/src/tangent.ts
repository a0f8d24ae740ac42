/**
 * Projections onto the sphere and its tangent spaces (docs/math.md §1), row-wise on n × d tensors:
 * `proj`, `egrad2rgrad`, `projx`, `transp`.
 */
import { div, mul, norm, sub, type Tensor } from '@keepdist/autograd';
import { checkFinite, checkNonzeroRows, checkOnSphere, checkRows } from './checks.js';
import { rowDot } from './numerics.js';

/** proj without input checks (any rank; rows along the last axis). */
export function projUnchecked(x: Tensor, v: Tensor): Tensor {
  return sub(v, mul(rowDot(x, v), x));
}

/** projx without input checks. */
export function projxUnchecked(y: Tensor): Tensor {
  return div(y, norm(y, -1, true));
}

/**
 * Tangent projection, row-wise: the component of v_i orthogonal to x_i.
 *   proj(x, v)_i = v_i − ⟨x_i, v_i⟩ x_i          (requires ‖x_i‖ = 1)
 * Idempotent, and ⟨x_i, proj(x, v)_i⟩ = 0. Differentiable in x and v.
 * @param x points, n × d, rows on the sphere (checked to 1e-5 on synchronous backends)
 * @param v ambient vectors, n × d (a row count of 1 broadcasts)
 * @returns tangent vectors at x, n × d
 */
export function proj(x: Tensor, v: Tensor): Tensor {
  checkRows('proj', { x, v });
  checkOnSphere('proj', 'x', x);
  checkFinite('proj', 'v', v);
  return projUnchecked(x, v);
}

/**
 * Riemannian gradient from a Euclidean one: for the sphere embedded in ℝ^d with the induced
 * metric it is the tangent projection,
 *   egrad2rgrad(x, g)_i = g_i − ⟨x_i, g_i⟩ x_i.
 * @param x points, n × d, rows on the sphere
 * @param g Euclidean gradients ∂L/∂x, n × d
 */
export function egrad2rgrad(x: Tensor, g: Tensor): Tensor {
  checkRows('egrad2rgrad', { x, g });
  checkOnSphere('egrad2rgrad', 'x', x);
  checkFinite('egrad2rgrad', 'g', g);
  return projUnchecked(x, g);
}

/**
 * Point projection (the metric projection onto the sphere), row-wise:
 *   projx(y)_i = y_i / ‖y_i‖.
 * A zero or non-finite row has no direction: it throws a DomainError on synchronous backends (NaN
 * elsewhere). Rows of any finite size work: ‖y_i‖ is computed without overflow or underflow, so
 * [1e200, 1e200, 0] and (float32) [1e-30, 1e-30, 0] both give [0.7071, 0.7071, 0].
 * Gradient: (I − x_i x_iᵀ) / ‖y_i‖ applied to the cotangent.
 * @param y any nonzero rows, n × d
 */
export function projx(y: Tensor): Tensor {
  checkRows('projx', { y });
  checkNonzeroRows('projx', 'y', y);
  return projxUnchecked(y);
}

/**
 * Vector transport by projection (geoopt's `transp` on the sphere): moves v from T_x S to T_y S by
 *   transp(x, y, v)_i = proj(y_i, v_i) = v_i − ⟨y_i, v_i⟩ y_i.
 * Cheaper than {@link ptransp} and enough for optimizers (first order in ‖log_x y‖); it does not
 * preserve norms exactly. `x` only fixes the shapes.
 * @param x starting points, n × d
 * @param y end points, n × d, rows on the sphere
 * @param v tangent vectors at x, n × d
 */
export function transp(x: Tensor, y: Tensor, v: Tensor): Tensor {
  checkRows('transp', { x, y, v });
  checkOnSphere('transp', 'y', y);
  checkFinite('transp', 'v', v);
  return projUnchecked(y, v);
}
