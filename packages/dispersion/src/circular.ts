import { add, div, mean, mul, sort, square, sub, sum, tensor, type Tensor } from '@keepdist/autograd';
import { sortedRowConstants, sortedRowLoss } from '@keepdist/autograd/internal';

/** t³ as t² · t (two multiplications, no general pow). */
function cube(t: Tensor): Tensor {
  return mul(square(t), t);
}

/** The sorted-row constants of `kind` (φ_r, or (r − 1)/n) as a [1, n] constant like `like`. */
function constantRow(kind: 'sliced' | 'ssw', n: number, like: Tensor): Tensor {
  return tensor(sortedRowConstants(kind, n), { shape: [1, n], dtype: like.dtype, backend: like.backend });
}

/**
 * The sliced dispersion loss of docs/math.md §2.7 given the slice angles θ (K × n, one slice per row):
 *
 *   L = (1/K) Σ_k ½ Σ_i (θ_ki − θ*_ki)²,   θ*_ki = mean_i(θ_k·) + φ_{r(i)},   φ_r = −π + (2r − 1)π/n,
 *
 * with r(i) the ascending rank of θ_ki (ties by index): the same sum over the sorted angles. Each
 * row is one pass of the backend's fused sorted-row kernel (sort, residuals, the gradient back to
 * the ranks); {@link slicedLossOfAnglesComposed} is the same loss as a graph of autograd ops.
 */
export function slicedLossOfAngles(theta: Tensor): Tensor {
  return mean(sortedRowLoss(theta, 'sliced'));
}

/**
 * {@link slicedLossOfAngles} of the angles θ = atan2(y, x) of stacked slice coordinates S = [x; y]
 * (2K × n: rows 0..K−1 the x_ki, rows K..2K−1 the y_ki), in one pass of the backend's sorted-row
 * kernel that forms the angles too; a point at the origin of a slice (x² + y² = 0) gets the
 * subgradient 0 from it. The same loss as slicedLossOfAngles(stackedSliceAngle(S)).
 */
export function slicedLossOfCoordinates(S: Tensor): Tensor {
  return mean(sortedRowLoss(S, 'sliced', 'coordinates'));
}

/**
 * {@link slicedLossOfAngles} composed of autograd ops (sort, whose gradient scatters back to the
 * ranks, then the residuals): the reference the fused pass is held equal to. The targets φ are
 * constants; the mean is differentiated (its gradient vanishes since Σφ = 0).
 */
export function slicedLossOfAnglesComposed(theta: Tensor): Tensor {
  const n = theta.shape[1]!;
  const sorted = sort(theta, 1).values;
  const resid = sub(sub(sorted, mean(theta, 1, true)), constantRow('sliced', n, theta));
  return mul(mean(sum(square(resid), 1)), 0.5);
}

/**
 * The closed-form circular W₂² to the uniform distribution of docs/math.md §2.9, per slice row of θ
 * (K × n), averaged over slices:
 *
 *   u_i = (θ_i + π)/(2π),  sorted u_(1) ≤ … ≤ u_(n),  α = mean(u) − ½,
 *   a_r = u_(r) − α − (r − 1)/n,   W = Σ_r [a_r³ − (a_r − 1/n)³]/3,   L = mean_k W_k.
 *
 * Each row is one pass of the backend's fused sorted-row kernel; {@link sswLossOfAnglesComposed}
 * is the same loss as a graph of autograd ops.
 */
export function sswLossOfAngles(theta: Tensor): Tensor {
  return mean(sortedRowLoss(theta, 'ssw'));
}

/** {@link sswLossOfAngles} of the angles of stacked slice coordinates S = [x; y] (2K × n), fused as {@link slicedLossOfCoordinates}. */
export function sswLossOfCoordinates(S: Tensor): Tensor {
  return mean(sortedRowLoss(S, 'ssw', 'coordinates'));
}

/** {@link sswLossOfAngles} composed of autograd ops: the reference the fused pass is held equal to. */
export function sswLossOfAnglesComposed(theta: Tensor): Tensor {
  const n = theta.shape[1]!;
  const u = div(add(sort(theta, 1).values, Math.PI), 2 * Math.PI);
  const alpha = sub(mean(u, 1, true), 0.5);
  const a = sub(sub(u, alpha), constantRow('ssw', n, theta));
  const w = div(sum(sub(cube(a), cube(sub(a, 1 / n))), 1), 3);
  return mean(w);
}
