import { acos, clamp, fillDiagonal, gram, max, sub, mul, sqrt, maximum, add, tensor, where, type Tensor } from '@keepdist/autograd';

/**
 * clampc(c) = min(max(c, −1 + ε), 1 − ε) (docs/math.md §2). The clamp keeps acos' gradient
 * −1/√(1 − c²) finite at c = ±1 (coincident or antipodal points).
 */
export function clampc(c: Tensor, eps: number): Tensor {
  return clamp(c, -1 + eps, 1 - eps);
}

/** θ = acos(clampc(c)): the geodesic distance written in the cosine (docs/math.md §2). */
export function angleOf(c: Tensor, eps: number): Tensor {
  return acos(clampc(c, eps));
}

/**
 * The chord of the Laplace/Riesz kernels (docs/math.md §2.1): e = √(max(2 − 2c, 0) + ε) (`'exact'`), or
 * the authors' d = √(2 − c) (`'authors'`, ledoh-torch, no ε: 2 − c ≥ 1 on the sphere).
 */
export function chordOf(c: Tensor, eps: number, chord: 'exact' | 'authors' = 'exact'): Tensor {
  if (chord === 'authors') return sqrt(sub(2, c));
  return sqrt(add(maximum(sub(2, mul(c, 2)), 0), eps));
}

/** The plain chord of uniformity and KoLeo: e = √(max(2 − 2c, 0)) (no ε inside, docs/math.md §2.2, §2.5). */
export function plainChordOf(c: Tensor): Tensor {
  return sqrt(maximum(sub(2, mul(c, 2)), 0));
}

/**
 * The constant strictly-upper-triangular 0/1 mask U (U_ij = 1 for i < j) of an n × n matrix,
 * with `like`'s dtype and backend.
 */
export function upperMask(n: number, like: Tensor): Tensor {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data.fill(1, i * n + i + 1, (i + 1) * n);
  return tensor(data, { shape: [n, n], dtype: like.dtype, backend: like.backend });
}

/**
 * The pair cosines of X as a masked n × n matrix: C = X Xᵀ (autograd `gram`), and the mask U of
 * the pairs i < j. `safe` = where(U, C, 0) replaces the diagonal and the lower triangle by the
 * cosine 0 *before* a kernel is applied, so that f(c_ii = 1) (log 0, 0^−s, acos′(1)) never makes an
 * Inf that a later mask would turn into NaN (0 · Inf); those entries get a zero cotangent.
 */
export function maskedPairCosines(X: Tensor): { safe: Tensor; mask: Tensor; pairs: number } {
  const n = X.shape[0]!;
  const mask = upperMask(n, X);
  return { safe: where(mask, gram(X), 0), mask, pairs: (n * (n - 1)) / 2 };
}

/**
 * The nearest-neighbour cosine of each row: m_i = max_{j≠i} c_ij, shape [n] (the diagonal is
 * filled with −∞ before the row max). The gradient goes to the first maximal j, as in PyTorch.
 */
export function nearestCosine(X: Tensor): Tensor {
  return max(fillDiagonal(gram(X), -Infinity), 1);
}
