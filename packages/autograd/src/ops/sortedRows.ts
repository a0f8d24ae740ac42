import type { SortedRowLoss } from '../backend/sortedRows.js';
import { OptionError, ShapeError, fmtShape } from '../errors.js';
import { checkTensor, commonBackend, isGradEnabled, record, wrap } from '../op.js';
import type { Tensor } from '../tensor.js';
import { mul } from './elementwise.js';
import { reshape } from './shape.js';

const KINDS: readonly SortedRowLoss[] = ['sliced', 'ssw'];

/**
 * The closed-form loss of each sorted row of θ (K × n), fused (docs/math.md §2.7, §2.9): shape [K],
 * row k the {@link SortedRowLoss} `kind` of θ_k· sorted ascending (stable), e.g. for `sliced`
 *
 *   ½ Σ_r (θ_(r) − mean(θ) − φ_r)²,   φ_r = −π + (2r − 1)π/n,
 *
 * computed by the backend's sorted-row pass ({@link SortedRowKernels.sortedRowLoss}): one sweep that
 * sorts, sums and writes the gradient back to the unsorted order, where the composed graph (sort,
 * means, residuals, their reverse pass) is some thirty full-size ops. The VJP is that gradient times
 * the row's cotangent (first order: the gradient itself is not differentiated again).
 * @example
 * ```ts
 * const L = mean(sortedRowLoss(theta, 'sliced'));   // sliced dispersion of the slice angles θ
 * ```
 */
export function sortedRowLoss(theta: Tensor, kind: SortedRowLoss): Tensor {
  checkTensor('sortedRowLoss', theta);
  const backend = commonBackend('sortedRowLoss', [theta]);
  if (!KINDS.includes(kind)) throw new OptionError(`sortedRowLoss: expected kind ${KINDS.map((k) => `'${k}'`).join(' | ')}, got ${String(kind)}.`);
  if (theta.rank !== 2 || theta.shape[1]! < 1) {
    throw new ShapeError(`sortedRowLoss: expected θ of rank 2 (rows × n, n ≥ 1), got shape ${fmtShape(theta.shape)}. Reshape it to [rows, n].`);
  }
  const [rows, len] = theta.shape as [number, number];
  const r = backend.sortedRowLoss(theta.storage, rows, len, kind);
  const grad = wrap(r.grad, [rows, len], backend);
  const out = wrap(r.loss, [rows], backend);
  if (!(isGradEnabled() && theta.requiresGrad)) grad.dispose();
  return record('sortedRowLoss', [theta], out, (gz) => [mul(grad, reshape(gz, [rows, 1]))]);
}
