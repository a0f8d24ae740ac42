import { ShapeError, fmtShape } from '../errors.js';
import { noGrad } from '../op.js';
import type { Tensor } from '../tensor.js';
import { eye } from './creation.js';
import { div, exp, maximum, sub, where } from './elementwise.js';
import { logsumexp, norm } from './reduce.js';

/**
 * Rescales along `dim` (last by default) to unit Euclidean norm: x / max(‖x‖, eps). Rows of
 * norm below eps are divided by eps instead of 0 (no NaN).
 */
export function normalize(x: Tensor, dim = -1, eps = 1e-12): Tensor {
  return div(x, maximum(norm(x, dim, true), eps));
}

/** softmax along `dim`: exp(x − logsumexp(x)). */
export function softmax(x: Tensor, dim = -1): Tensor {
  return exp(sub(x, logsumexp(x, dim, true)));
}

/** log softmax along `dim`: x − logsumexp(x). */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  return sub(x, logsumexp(x, dim, true));
}

/**
 * The diagonal mask: x with its main diagonal (last two dims, square) replaced by `value`, e.g.
 * `fillDiagonal(G, -Infinity)` before a row max over j ≠ i. Differentiable in x (0 on the diagonal).
 */
export function fillDiagonal(x: Tensor, value: number): Tensor {
  const n = x.shape[x.rank - 1];
  if (x.rank < 2 || x.shape[x.rank - 2] !== n) {
    throw new ShapeError(`fillDiagonal: expected square matrices in the last two dims, got ${fmtShape(x.shape)}.`);
  }
  const mask = noGrad(() => eye(n!, n!, { dtype: x.dtype, backend: x.backend }));
  return where(mask, value, x);
}
