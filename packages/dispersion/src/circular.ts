import { add, div, mean, mul, sort, square, sub, sum, tensor, type Tensor } from '@keepdist/autograd';

/** t³ as t² · t (two multiplications, no general pow). */
function cube(t: Tensor): Tensor {
  return mul(square(t), t);
}

/** The host values of the last-used constant rows, by kind and n (each call's rows are alike). */
const lastRows = new Map<string, { n: number; values: Float64Array }>();

/** `f(r)` for r = 0..n − 1, computed once per kind and n and reused while n stays the same. */
function constantRow(kind: string, n: number, f: (r: number) => number): Float64Array {
  const hit = lastRows.get(kind);
  if (hit && hit.n === n) return hit.values;
  const values = new Float64Array(n);
  for (let r = 0; r < n; r++) values[r] = f(r);
  lastRows.set(kind, { n, values });
  return values;
}

/** φ_r = −π + (2r − 1)π/n, r = 1..n (docs/math.md §2.7), as a [1, n] constant like `like`. */
function equalSpacingTargets(n: number, like: Tensor): Tensor {
  const phi = constantRow('phi', n, (i) => -Math.PI + ((2 * (i + 1) - 1) * Math.PI) / n);
  return tensor(phi, { shape: [1, n], dtype: like.dtype, backend: like.backend });
}

/**
 * The sliced dispersion loss of docs/math.md §2.7 given the slice angles θ (K × n, one slice per row):
 *
 *   L = (1/K) Σ_k ½ Σ_i (θ_ki − θ*_ki)²,   θ*_ki = mean_i(θ_k·) + φ_{r(i)},   φ_r = −π + (2r − 1)π/n,
 *
 * with r(i) the ascending rank of θ_ki (ties by index). Written over the sorted angles
 * (autograd `sort`, whose gradient scatters back to the ranks), which is the same sum reordered.
 * The targets φ are constants; the mean is differentiated (its gradient vanishes since Σφ = 0).
 */
export function slicedLossOfAngles(theta: Tensor): Tensor {
  const n = theta.shape[1]!;
  const sorted = sort(theta, 1).values;
  const resid = sub(sub(sorted, mean(theta, 1, true)), equalSpacingTargets(n, theta));
  return mul(mean(sum(square(resid), 1)), 0.5);
}

/**
 * The closed-form circular W₂² to the uniform distribution of docs/math.md §2.9, per slice row of θ
 * (K × n), averaged over slices:
 *
 *   u_i = (θ_i + π)/(2π),  sorted u_(1) ≤ … ≤ u_(n),  α = mean(u) − ½,
 *   a_r = u_(r) − α − (r − 1)/n,   W = Σ_r [a_r³ − (a_r − 1/n)³]/3,   L = mean_k W_k.
 */
export function sswLossOfAngles(theta: Tensor): Tensor {
  const n = theta.shape[1]!;
  const u = div(add(sort(theta, 1).values, Math.PI), 2 * Math.PI);
  const alpha = sub(mean(u, 1, true), 0.5);
  const steps = tensor(constantRow('steps', n, (r) => r / n), { shape: [1, n], dtype: theta.dtype, backend: theta.backend });
  const a = sub(sub(u, alpha), steps);
  const w = div(sum(sub(cube(a), cube(sub(a, 1 / n))), 1), 3);
  return mean(w);
}
