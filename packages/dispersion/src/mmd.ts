import { exp, log, mul, neg, pow, square, sum, where, type Tensor } from '@keepdist/autograd';
import { CLAMP_EPS } from './constants.js';
import { fusedMmd, usesFusedMmd } from './fusedMmd.js';
import { tiledMmd, usesTiledMmd } from './tiledMmd.js';
import { minibatch } from './minibatch.js';
import type { BatchOptions, ClampOptions } from './options.js';
import { angleOf, chordOf, maskedPairCosines } from './pairwise.js';
import { resolveRng } from './randomness.js';
import { checkBatchSize, checkEnum, checkNumber, checkPoints } from './validate.js';

/** Kernels of {@link mmd}. */
export type MmdKernel = 'gaussian' | 'laplace' | 'riesz';
/** Distances of {@link mmd}. */
export type MmdDistance = 'euclidean' | 'geodesic';
/** Chord conventions of the euclidean Laplace/Riesz kernels (SPEC §2.1). */
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
 * The kernel k of SPEC §2.1 as a function of the cosine c (elementwise):
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
 * Kernel (MMD) dispersion, SPEC §2.1:
 *
 *   L = 2 · mean_{i<j} k(x_i, x_j) = (2/P) Σ_{i<j} k(c_ij),   P = n(n − 1)/2,
 *
 * with k one of {@link kernelOfCosine}'s six kernels. Riesz/geodesic is MHE (Liu et al. 2018);
 * riesz/euclidean with s = 1 is the Thomson energy. Written in the cosines c_ij = x_i · x_j of
 * `gram(X)`, so the Euclidean gradient is the one of the formula in c. O(n² d) time.
 *
 * From {@link FUSED_MMD_MIN_ROWS} rows (after minibatching) the loss and gradient come from a
 * fused op that never stores the n × n matrix: {@link fusedMmd} on the cpu backend (O(n·d)
 * memory), {@link tiledMmd} on other backends (column tiles of ops, O(n·T) memory); otherwise from
 * the composed graph {@link mmdComposed} (O(n²) memory), which is the reference both are tested
 * against.
 * @example
 * ```ts
 * const loss = mmd(X, { kernel: 'riesz', distance: 'euclidean', s: 1 });
 * loss.backward();
 * ```
 */
export function mmd(X: Tensor, options: MmdOptions): Tensor {
  const { k, Xb } = prepare('mmd', X, options);
  if (usesFusedMmd(Xb)) return fusedMmd(Xb, k);
  return usesTiledMmd(Xb) ? tiledMmd(Xb, k) : composedLoss(Xb, k);
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
  const b = checkBatchSize(fn, o.batchSize, n);
  const Xb = b === undefined ? X : minibatch(X, b, resolveRng(fn, o.rng));
  return { k, Xb };
}

function composedLoss(Xb: Tensor, k: KernelSpec): Tensor {
  const { safe, mask, pairs } = maskedPairCosines(Xb);
  return mul(sum(where(mask, kernelOfCosine(safe, k), 0)), 2 / pairs);
}
