// The composed reference graphs of the pairwise families (the n × n gram with masks and row
// maxima, as the regularizers were written before the fused ops): what the fused regularizers are
// held equal to. mmd's is the exported mmdComposed.
import {
  add, gt, log, logsumexp, matmulT, max, maximum, mean, mul, neg, square, sqrt, sub, where, type Tensor,
} from '@keepdist/autograd';
import {
  angleOf, CLAMP_EPS, KOLEO_EPS, maskedPairCosines, mmdComposed, nearestCosine, type MmdOptions,
} from '@keepdist/dispersion';

/** log mean_{i<j} exp(−t(2 − 2c_ij)) by logsumexp over the masked gram (docs/math.md §2.2). */
export function uniformityComposed(X: Tensor, t = 2): Tensor {
  const { safe, mask, pairs } = maskedPairCosines(X);
  return sub(logsumexp(where(mask, mul(sub(2, mul(safe, 2)), -t), -Infinity)), Math.log(pairs));
}

/** −mean_i acos(clampc(max_{j≠i} c_ij)) (docs/math.md §2.3). */
export function mmaComposed(X: Tensor, eps = CLAMP_EPS): Tensor {
  return neg(mean(angleOf(nearestCosine(X), eps)));
}

/** mean_i max_{j≠i} c_ij (docs/math.md §2.4). */
export function mmcsComposed(X: Tensor): Tensor {
  return mean(nearestCosine(X));
}

/** −mean_i log(√(max(2 − 2 max_{j≠i} c_ij, 0)) + ε), the chord's subgradient 0 where it is 0 (docs/math.md §2.5). */
export function koleoComposed(X: Tensor, eps = KOLEO_EPS): Tensor {
  const u = maximum(sub(2, mul(nearestCosine(X), 2)), 0);
  const apart = gt(u, 0);
  return neg(mean(log(add(where(apart, sqrt(where(apart, u, 1)), 0), eps))));
}

/** mean_k acos(clampc(max_i s_k · x_i))² over the m × n matrix S Xᵀ (docs/math.md §2.6). */
export function lloydComposed(X: Tensor, S: Tensor, eps = CLAMP_EPS): Tensor {
  return mean(square(angleOf(max(matmulT(S, X, false, true), 1), eps)));
}

/** mmd's reference with the options bound. */
export function mmdComposedOf(o: MmdOptions): (X: Tensor) => Tensor {
  return (X) => mmdComposed(X, o);
}
