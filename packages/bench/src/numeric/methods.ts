// Bench method names ↔ dispersion regularizers with their options, under keepdist's or the authors' conventions.
import { mul, type Rng, type Tensor } from '@keepdist/autograd';
import {
  MMD_DISTANCES, MMD_KERNELS, regularizer, regularizerNames, type Regularizer, type RegularizerName,
} from '@keepdist/dispersion';
import type { Conventions } from '../commonFlags.js';

/**
 * The bench's method names, in the order `all` runs them: each mmd kernel × distance as its own
 * method (`mmd-gaussian-euclidean`, …), then every other regularizer by its dispersion name.
 */
export const BENCH_METHODS: readonly string[] = [
  ...MMD_KERNELS.flatMap((k) => MMD_DISTANCES.map((d) => `mmd-${k}-${d}`)),
  ...regularizerNames.filter((r) => r !== 'mmd'),
];

/** Knobs the experiments set per run (undefined: the regularizer's own default). */
export interface MethodSettings {
  /** Generator of the regularizer's random draws (slices, samples, minibatches). */
  rng: Rng;
  /** Minibatch size of the pairwise methods and Lloyd (docs/math.md §2.10); undefined: all rows. */
  batchSize?: number | undefined;
  /** Lloyd samples, slices, or ssw projections per call. */
  samples?: number | undefined;
  /** Bandwidth γ of the gaussian kernels. */
  gamma?: number | undefined;
  /** keepdist's regularizers (default) or the authors' choices (docs/math.md §6). */
  conventions?: Conventions | undefined;
}

/** A bench method resolved to a dispersion regularizer: its name, its options, and how its loss is scaled. */
export interface MethodSpec {
  readonly name: RegularizerName;
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * Factor of the loss for n rows: 1 for every method except the authors' MHE (mmd-riesz-geodesic),
   * whose sum over pairs is n(n − 1)/4 times keepdist's 2·mean, and 1/2 of it with a minibatch.
   */
  readonly lossScale: (n: number) => number;
}

/** Methods that take `batchSize` (the pairwise ones and Lloyd). */
const BATCHED = new Set<string>(['mmd', 'uniformity', 'mma', 'mmcs', 'koleo', 'lloyd']);
/** The count option each stochastic method reads `samples` into. */
const DRAWS: Partial<Record<RegularizerName, string>> = { lloyd: 'samples', sliced: 'slices', slicedAxis: 'slices', ssw: 'projections' };
const UNSCALED = (_n: number): number => 1;

/**
 * The regularizer and options behind a bench method name with the run's settings (docs/math.md §6
 * for the authors' conventions).
 * @throws Error for a name outside {@link BENCH_METHODS}.
 */
export function methodSpec(method: string, s: MethodSettings): MethodSpec {
  if (!BENCH_METHODS.includes(method)) throw new Error(`keepdist-bench: expected a method among ${BENCH_METHODS.join(', ')}, got '${method}'.`);
  const authors = s.conventions === 'authors';
  const opts: Record<string, unknown> = { rng: s.rng, checkSphere: false };
  let name: RegularizerName;
  let lossScale: (n: number) => number = UNSCALED;
  const mmd = /^mmd-(\w+)-(\w+)$/.exec(method);
  if (mmd) {
    name = 'mmd';
    const [, kernel, distance] = mmd;
    opts['kernel'] = kernel;
    opts['distance'] = distance;
    if (kernel === 'gaussian' && s.gamma !== undefined) opts['gamma'] = s.gamma;
    if (authors && kernel !== 'gaussian' && distance === 'euclidean') opts['chord'] = 'authors';
    if (authors && kernel === 'riesz' && distance === 'geodesic') {
      opts['s'] = 0;
      lossScale = s.batchSize === undefined ? (n) => (n * (n - 1)) / 4 : () => 1 / 2;
    }
  } else {
    name = method as RegularizerName;
  }
  if (authors && name === 'ssw') opts['sqrt'] = true;
  if (s.batchSize !== undefined && BATCHED.has(name)) opts['batchSize'] = s.batchSize;
  const draws = DRAWS[name];
  if (draws && s.samples !== undefined) opts[draws] = s.samples;
  return { name, options: opts, lossScale };
}

/** The regularizer behind a bench method name, with the run's settings bound (see {@link methodSpec}). */
export function methodRegularizer(method: string, s: MethodSettings): Regularizer {
  const spec = methodSpec(method, s);
  const reg = regularizer(spec.name, spec.options);
  if (spec.lossScale === UNSCALED) return reg;
  return (X: Tensor) => mul(reg(X), spec.lossScale(X.shape[0] as number));
}
