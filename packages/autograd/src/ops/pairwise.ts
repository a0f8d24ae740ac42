import type { PairKernel } from '../backend/pairwise.js';
import { OptionError, ShapeError, fmtShape } from '../errors.js';
import { commonBackend, isGradEnabled, record, wrap } from '../op.js';
import type { Tensor } from '../tensor.js';
import { add, mul } from './elementwise.js';
import { cast, indexAdd, indexSelect, reshape } from './shape.js';

const KERNELS: readonly string[] = ['gaussian', 'laplace', 'riesz', 'identity'];
const DISTANCES: readonly string[] = ['angle', 'chord', 'chordAuthors', 'chordSquared'];

/** n and d of a rank-2 tensor, or a ShapeError naming `op`. */
function rowsOf(op: string, x: Tensor, what: string, minRows: number): [number, number] {
  if (x.rank !== 2) throw new ShapeError(`${op}: expected ${what} of rank 2 (n × d), got shape ${fmtShape(x.shape)}. Reshape it to [n, d].`);
  const [n, d] = x.shape as [number, number];
  if (n < minRows) throw new ShapeError(`${op}: expected ${what} with at least ${minRows} row${minRows === 1 ? '' : 's'}, got shape ${fmtShape(x.shape)}.`);
  return [n, d];
}

/** Throws an OptionError unless `k` is a {@link PairKernel} with finite parameters. */
function checkKernel(k: PairKernel): void {
  const bad = (what: string, got: unknown): never => {
    throw new OptionError(`pairwiseSum: expected ${what}, got ${typeof got === 'string' ? `'${got}'` : String(got)}.`);
  };
  if (k === null || typeof k !== 'object') bad('a kernel { kernel, distance, gamma, s, eps }', k);
  if (!KERNELS.includes(k.kernel)) bad(`kernel.kernel ${KERNELS.map((v) => `'${v}'`).join(' | ')}`, k.kernel);
  if (!DISTANCES.includes(k.distance)) bad(`kernel.distance ${DISTANCES.map((v) => `'${v}'`).join(' | ')}`, k.distance);
  for (const key of ['gamma', 's'] as const) if (typeof k[key] !== 'number' || !Number.isFinite(k[key])) bad(`kernel.${key} a finite number`, k[key]);
  if (typeof k.eps !== 'number' || !(k.eps >= 0 && k.eps < 1)) bad('kernel.eps a number in [0, 1)', k.eps);
}

/**
 * The fused pairwise kernel sum over the rows of X (n × d), a scalar (docs/math.md §2):
 *
 *   S = Σ_{i<j} k(c_ij),   c_ij = x_i · x_j,   k(c) = kernel(distance(c))  (see {@link PairKernel}),
 *
 * computed by the backend's fused pass ({@link PairwiseKernels.pairwiseSum}) without storing the
 * n × n matrix. Its VJP is
 *
 *   X̄ = S̄ · G,   G_i = ∂S/∂x_i = Σ_{j≠i} k′(c_ij) x_j,
 *
 * where k′ is the derivative reverse mode gives for the composed graph (clamp and max pass the
 * gradient only inside their range). When a gradient will be needed (recording on and X requires
 * one) G comes from the forward's own sweep; otherwise the backward runs a second sweep. The VJP is
 * differentiable in S̄ only (G is a constant: no second derivatives in X).
 * @example
 * ```ts
 * // Σ_{i<j} exp(−γ θ_ij²), the gaussian/geodesic MMD sum
 * const s = pairwiseSum(X, { kernel: 'gaussian', distance: 'angle', gamma: 1, s: 1, eps: 1e-7 });
 * ```
 */
export function pairwiseSum(x: Tensor, kernel: PairKernel): Tensor {
  const backend = commonBackend('pairwiseSum', [x]);
  const [n, d] = rowsOf('pairwiseSum', x, 'X', 1);
  checkKernel(kernel);
  const r = backend.pairwiseSum(x.storage, n, d, kernel, isGradEnabled() && x.requiresGrad);
  let G: Tensor | null = r.grad && wrap(r.grad, [n, d], backend);
  const out = wrap(r.sum, [], backend);
  return record('pairwiseSum', [x], out, (gz) => {
    const g = G ?? wrap(backend.pairwiseSum(x.storage, n, d, kernel, true).grad!, [n, d], backend);
    G = null;
    return [mul(g, gz)];
  });
}

/** What {@link nearest} returns. */
export interface Nearest {
  /** The largest cosine per query row, shape [m] (differentiable). */
  values: Tensor;
  /** The row of X attaining it, as floats, shape [m] (lowest index on ties; no gradient). */
  indices: Tensor;
}

/**
 * Nearest neighbours by cosine, fused (docs/math.md §2.3–§2.6): for queries Q (m × d) and rows X
 * (n × d),
 *
 *   v_k = max_i q_k · x_i,   idx_k = the lowest i attaining it,
 *
 * or, when `x` is omitted, the rows of Q against each other with the self pair left out
 * (v_k = max_{i≠k} q_k · q_i). The backend's fused pass ({@link PairwiseKernels.nearest}) never
 * stores the m × n matrix. The VJP is that of the selected branch, as in PyTorch:
 *
 *   q̄_k = v̄_k · x_{idx_k},   x̄_i = Σ_{k: idx_k = i} v̄_k · q_k   (indexAdd),
 *
 * written with indexSelect and indexAdd, so it is differentiable too. `indices` carries no
 * gradient.
 * @example
 * ```ts
 * const { values } = nearest(X);          // nearest-neighbour cosine of every row
 * const mmcs = mean(values);
 * ```
 */
export function nearest(q: Tensor, x?: Tensor): Nearest {
  const self = x === undefined;
  const xs = x ?? q;
  const backend = commonBackend('nearest', [q, xs]);
  const [m, d] = rowsOf('nearest', q, self ? 'X' : 'Q', self ? 2 : 1);
  const [n, dx] = rowsOf('nearest', xs, 'X', 1);
  if (dx !== d) throw new ShapeError(`nearest: expected Q and X with the same number of columns, got ${fmtShape(q.shape)} and ${fmtShape(xs.shape)}.`);
  const r = backend.nearest(q.storage, m, xs.storage, n, d, self);
  const indices = wrap(r.indices, [m], backend);
  const inputs = self ? [q] : [q, xs];
  const values = record('nearest', inputs, wrap(r.values, [m], backend), (gz) => {
    const g = reshape(gz, [m, 1]);
    // the index ops take float64 indices where the backend has them: cast once (in the kernels)
    // rather than each op reading float32 indices back to the host
    const idt = backend.dtypes.includes('float64') ? 'float64' : indices.dtype;
    const idx = cast(indices, idt);
    const dq = q.requiresGrad ? mul(indexSelect(xs, 0, idx), g) : null;
    const dx = xs.requiresGrad ? indexAdd(mul(q, g), 0, idx, n) : null;
    return self ? [add(dq!, dx!)] : [dq, dx];
  });
  return { values, indices };
}
