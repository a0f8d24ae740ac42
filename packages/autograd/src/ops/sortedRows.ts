import type { SortedRowInput, SortedRowLoss } from '../backend/sortedRows.js';
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
 * means, residuals, their reverse pass) is some thirty full-size ops. With `input` `coordinates`
 * the argument is the stacked slice coordinates S = [x; y] (2K × n) and the pass forms
 * θ = atan2(y, x) itself, its gradient going back through atan2 with the subgradient 0 where a
 * point is at the origin of its slice (x² + y² = 0). The VJP is that gradient times the row's
 * cotangent (first order: the gradient itself is not differentiated again).
 * @example
 * ```ts
 * const L = mean(sortedRowLoss(theta, 'sliced'));   // sliced dispersion of the slice angles θ
 * ```
 */
export function sortedRowLoss(x: Tensor, kind: SortedRowLoss, input: SortedRowInput = 'angles'): Tensor {
  checkTensor('sortedRowLoss', x);
  const backend = commonBackend('sortedRowLoss', [x]);
  if (!KINDS.includes(kind)) throw new OptionError(`sortedRowLoss: expected kind ${KINDS.map((k) => `'${k}'`).join(' | ')}, got ${String(kind)}.`);
  if (input !== 'angles' && input !== 'coordinates') throw new OptionError(`sortedRowLoss: expected input 'angles' | 'coordinates', got ${String(input)}.`);
  const coords = input === 'coordinates';
  if (x.rank !== 2 || x.shape[1]! < 1 || (coords && x.shape[0]! % 2 !== 0)) {
    const what = coords ? 'stacked coordinates of rank 2 (2·rows × n, n ≥ 1)' : 'θ of rank 2 (rows × n, n ≥ 1)';
    throw new ShapeError(`sortedRowLoss: expected ${what}, got shape ${fmtShape(x.shape)}. Reshape it to [${coords ? '2·rows' : 'rows'}, n].`);
  }
  const [stacked, len] = x.shape as [number, number];
  const rows = coords ? stacked / 2 : stacked;
  const r = backend.sortedRowLoss(x.storage, rows, len, kind, input);
  const grad = wrap(r.grad, [stacked, len], backend);
  const out = wrap(r.loss, [rows], backend);
  if (!(isGradEnabled() && x.requiresGrad)) grad.dispose();
  if (!coords) return record('sortedRowLoss', [x], out, (gz) => [mul(grad, reshape(gz, [rows, 1]))]);
  return record('sortedRowLoss', [x], out, (gz) => [reshape(mul(reshape(grad, [2, rows, len]), reshape(gz, [1, rows, 1])), [stacked, len])]);
}
