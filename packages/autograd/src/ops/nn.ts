import { KeepdistError, ShapeError, fmtShape } from '../errors.js';
import { checkLive, describe, noGrad } from '../op.js';
import { normalizeAxis } from '../shape.js';
import { Tensor } from '../tensor.js';
import { eye } from './creation.js';
import { div, exp, maximum, sub, where } from './elementwise.js';
import { logsumexp, norm } from './reduce.js';

/** Checks, under the caller's name, that x is a live Tensor and dim one of its axes (non-empty when `nonEmpty`). */
function checkAxisInput(op: string, x: Tensor, dim: number, nonEmpty = false): void {
  if (!(x instanceof Tensor)) throw new KeepdistError(`${op}: expected a Tensor, got ${describe(x)}.`);
  checkLive(op, x);
  if (typeof dim !== 'number') throw new ShapeError(`${op}: expected dim to be an axis number, got ${describe(dim)}.`);
  const d = normalizeAxis(op, dim, x.rank);
  if (nonEmpty && x.shape[d] === 0) throw new ShapeError(`${op}: expected a non-empty dim ${dim}, got shape ${fmtShape(x.shape)}.`);
}

/**
 * Rescales along `dim` (last by default) to unit Euclidean norm: x / max(‖x‖, eps). Rows of
 * norm below eps are divided by eps instead of 0 (no NaN).
 */
export function normalize(x: Tensor, dim = -1, eps = 1e-12): Tensor {
  checkAxisInput('normalize', x, dim);
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) {
    throw new KeepdistError(`normalize: expected eps a finite number > 0, got ${describe(eps)}.`);
  }
  return div(x, maximum(norm(x, dim, true), eps));
}

/** softmax along `dim`: exp(x − logsumexp(x)). */
export function softmax(x: Tensor, dim = -1): Tensor {
  checkAxisInput('softmax', x, dim, true);
  return exp(sub(x, logsumexp(x, dim, true)));
}

/** log softmax along `dim`: x − logsumexp(x). */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  checkAxisInput('logSoftmax', x, dim, true);
  return sub(x, logsumexp(x, dim, true));
}

/**
 * The diagonal mask: x with its main diagonal (last two dims, square) replaced by `value`, e.g.
 * `fillDiagonal(G, -Infinity)` before a row max over j ≠ i. Differentiable in x (0 on the diagonal).
 */
export function fillDiagonal(x: Tensor, value: number): Tensor {
  if (!(x instanceof Tensor)) throw new KeepdistError(`fillDiagonal: expected a Tensor, got ${describe(x)}.`);
  const n = x.shape[x.rank - 1];
  if (x.rank < 2 || x.shape[x.rank - 2] !== n) {
    throw new ShapeError(`fillDiagonal: expected square matrices in the last two dims, got ${fmtShape(x.shape)}.`);
  }
  const mask = noGrad(() => eye(n!, n!, { dtype: x.dtype, backend: x.backend }));
  return where(mask, value, x);
}
