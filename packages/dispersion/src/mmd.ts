import { exp, log, mul, neg, pairwiseSum, pow, square, sum, where, type PairKernel, type Tensor } from '@keepdist/autograd';
import { CLAMP_EPS } from './constants.js';
import { checkKernelRange } from './kernelRange.js';
import { minibatch } from './minibatch.js';
import type { BatchOptions, ClampOptions } from './options.js';
import { angleOf, chordOf, maskedPairCosines } from './pairwise.js';
import { resolveRng } from './randomness.js';
import { checkBatchSize, checkEnum, checkNumber, checkPoints } from './validate.js';

/** Kernels of {@link mmd}. */
export type MmdKernel = 'gaussian' | 'laplace' | 'riesz';
/** Distances of {@link mmd}. */
export type MmdDistance = 'euclidean' | 'geodesic';
/** Chord conventions of the euclidean Laplace/Riesz kernels (docs/math.md §2.1). */
export type ChordConvention = 'exact' | 'authors';

/** The kernels {@link mmd} accepts. */
export const MMD_KERNELS: readonly MmdKernel[] = ['gaussian', 'laplace', 'riesz'];
/** The distances {@link mmd} accepts. */
export const MMD_DISTANCES: readonly MmdDistance[] = ['euclidean', 'geodesic'];

/** Options of {@link mmd}. */
export interface MmdOptions extends BatchOptions, ClampOptions {
  /** Kernel family. */
  kernel: MmdKernel;
  /** Distance inside the kernel: the chord e or the geodesic angle θ. */
  distance: MmdDistance;
  /** Bandwidth γ > 0 of the gaussian and laplace kernels (default 1). */
  gamma?: number;
  /** Riesz exponent s (default 1): s > 0 gives r^−s, s = 0 gives −log r, s < 0 gives −r^−s. */
  s?: number;
  /**
   * Chord of the euclidean laplace/riesz kernels: `'exact'` e = √(max(2 − 2c, 0) + ε) (default) or
   * `'authors'` √(2 − c), as in the paper's public code (ledoh-torch), to reproduce its runs.
   */
  chord?: ChordConvention;
}

/** Kernel parameters after validation. */
export interface KernelSpec {
  /** Kernel family. */
  kernel: MmdKernel;
  /** Distance. */
  distance: MmdDistance;
  /** γ (gaussian, laplace). */
  gamma: number;
  /** s (riesz). */
  s: number;
  /** Chord convention. */
  chord: ChordConvention;
  /** clampc ε. */
  eps: number;
}

/** Validates the kernel options of {@link mmd} (OptionError on unknown names or bad signs). */
export function kernelSpec(fn: string, o: Partial<MmdOptions>): KernelSpec {
  const kernel = checkEnum(fn, 'kernel', o.kernel, MMD_KERNELS);
  const distance = checkEnum(fn, 'distance', o.distance, MMD_DISTANCES);
  const chord = checkEnum(fn, 'chord', o.chord ?? 'exact', ['exact', 'authors'] as const);
  const eps = checkNumber(fn, 'clampEps', o.clampEps ?? CLAMP_EPS, { min: 0, exclusive: true, max: 0.1 });
  const gamma = kernel === 'riesz' ? 1
    : checkNumber(fn, 'gamma', o.gamma ?? 1, { min: 0, exclusive: true }, `for the ${kernel} kernel (a non-positive γ attracts points instead of spreading them)`);
  const s = kernel === 'riesz' ? checkNumber(fn, 's', o.s ?? 1) : 1;
  return { kernel, distance, gamma, s, chord, eps };
}

/**
 * The kernel k of docs/math.md §2.1 as a function of the cosine c (elementwise):
 *
 * | kernel | euclidean (chord e) | geodesic (θ = acos(clampc(c))) |
 * |---|---|---|
 * | gaussian | exp(γ c) | exp(−γ θ²) |
 * | laplace | exp(−γ e), e = √(max(2 − 2c, 0) + ε) | exp(−γ θ) |
 * | riesz | e^−s (s > 0), −log e (s = 0), −e^−s (s < 0) | the same in θ |
 */
export function kernelOfCosine(c: Tensor, k: KernelSpec): Tensor {
  if (k.kernel === 'gaussian') {
    return k.distance === 'euclidean' ? exp(mul(c, k.gamma)) : exp(mul(square(angleOf(c, k.eps)), -k.gamma));
  }
  const r = k.distance === 'euclidean' ? chordOf(c, k.eps, k.chord) : angleOf(c, k.eps);
  if (k.kernel === 'laplace') return exp(mul(r, -k.gamma));
  if (k.s > 0) return pow(r, -k.s);
  if (k.s === 0) return neg(log(r));
  return neg(pow(r, -k.s));
}

/**
 * The fused kernel of {@link mmd}'s pair sum and the log of the constant it is multiplied by, so
 * that k(c) = e^{logFactor} · kernel(distance(c)) (docs/math.md §2.1). The gaussian/euclidean
 * kernel exp(γc) is written e^γ · exp(−(γ/2)(2 − 2c)), `laplace` of `chordSquared` with γ/2, so the
 * fused sum stays below the number of pairs however large γ is; every other kernel maps directly
 * (the chord conventions to `chord` and `chordAuthors`, the geodesic to `angle`), logFactor 0.
 */
export function pairKernelOf(k: KernelSpec): { kernel: PairKernel; logFactor: number } {
  const base = { gamma: k.gamma, s: k.s, eps: k.eps };
  if (k.kernel === 'gaussian' && k.distance === 'euclidean') {
    return { kernel: { ...base, kernel: 'laplace', distance: 'chordSquared', gamma: k.gamma / 2 }, logFactor: k.gamma };
  }
  const distance = k.distance === 'geodesic' ? 'angle' : k.chord === 'authors' ? 'chordAuthors' : 'chord';
  return { kernel: { ...base, kernel: k.kernel, distance }, logFactor: 0 };
}

/**
 * Kernel (MMD) dispersion, docs/math.md §2.1:
 *
 *   L = 2 · mean_{i<j} k(x_i, x_j) = (2/P) Σ_{i<j} k(c_ij),   P = n(n − 1)/2,
 *
 * with k one of {@link kernelOfCosine}'s six kernels. Riesz/geodesic is MHE (Liu et al. 2018);
 * riesz/euclidean with s = 1 is the Thomson energy. Written in the cosines c_ij = x_i · x_j, so the
 * Euclidean gradient is the one of the formula in c.
 *
 * One fused op on every backend and every n: the backend's pairwise pass ({@link pairwiseSum} of
 * {@link pairKernelOf}), which never stores the n × n matrix (O(n·d) memory on cpu, row-block tiles
 * on the gpu backend) and computes the gradient in the same sweep. The gaussian/euclidean kernel is
 * summed as e^γ · Σ exp(−(γ/2) e_ij²), so it does not overflow; a γ whose e^γ the dtype cannot hold
 * is rejected, as is a riesz s whose r^−s could overflow it (at coincident or antipodal points). {@link mmdComposed} (the autograd graph) is the reference it is tested against.
 * O(n² d) time.
 * @example
 * ```ts
 * const loss = mmd(X, { kernel: 'riesz', distance: 'euclidean', s: 1 });
 * loss.backward();
 * ```
 */
export function mmd(X: Tensor, options: MmdOptions): Tensor {
  const { k, Xb } = prepare('mmd', X, options);
  const n = Xb.shape[0]!;
  const { kernel, logFactor } = pairKernelOf(k);
  return mul(pairwiseSum(Xb, kernel), (2 * Math.exp(logFactor)) / ((n * (n - 1)) / 2));
}

/**
 * The composed reference of {@link mmd}: the same validation and minibatching, then always the
 * autograd graph where(U, gram(X), 0) → {@link kernelOfCosine} → masked sum, whatever n and the
 * backend. O(n² d) time, O(n²) memory.
 */
export function mmdComposed(X: Tensor, options: MmdOptions): Tensor {
  const { k, Xb } = prepare('mmdComposed', X, options);
  return composedLoss(Xb, k);
}

function prepare(fn: string, X: Tensor, options: MmdOptions): { k: KernelSpec; Xb: Tensor } {
  const o = options ?? ({} as MmdOptions);
  const k = kernelSpec(fn, o);
  const { n } = checkPoints(fn, X, o);
  checkKernelRange(fn, k, X.dtype);
  const b = checkBatchSize(fn, o.batchSize, n);
  const Xb = b === undefined ? X : minibatch(X, b, resolveRng(fn, o.rng));
  return { k, Xb };
}

function composedLoss(Xb: Tensor, k: KernelSpec): Tensor {
  const { safe, mask, pairs } = maskedPairCosines(Xb);
  return mul(sum(where(mask, kernelOfCosine(safe, k), 0)), 2 / pairs);
}
