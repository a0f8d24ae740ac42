// Bench method names ↔ dispersion regularizers with their options.
import type { Rng } from '@keepdist/autograd';
import {
  MMD_DISTANCES, MMD_KERNELS, regularizer, regularizerNames, type Regularizer, type RegularizerName,
} from '@keepdist/dispersion';

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
}

/** Methods that take `batchSize` (the pairwise ones and Lloyd). */
const BATCHED = new Set<string>(['mmd', 'uniformity', 'mma', 'mmcs', 'koleo', 'lloyd']);
/** The count option each stochastic method reads `samples` into. */
const DRAWS: Partial<Record<RegularizerName, string>> = { lloyd: 'samples', sliced: 'slices', slicedAxis: 'slices', ssw: 'projections' };

/** The regularizer behind a bench method name, with the run's settings bound. */
export function methodRegularizer(method: string, s: MethodSettings): Regularizer {
  const opts: Record<string, unknown> = { rng: s.rng, checkSphere: false };
  let name: RegularizerName;
  const mmd = /^mmd-(\w+)-(\w+)$/.exec(method);
  if (mmd) {
    name = 'mmd';
    opts['kernel'] = mmd[1];
    opts['distance'] = mmd[2];
    if (mmd[1] === 'gaussian' && s.gamma !== undefined) opts['gamma'] = s.gamma;
  } else {
    name = method as RegularizerName;
  }
  if (!BENCH_METHODS.includes(method)) throw new Error(`keepdist-bench: expected a method among ${BENCH_METHODS.join(', ')}, got '${method}'.`);
  if (s.batchSize !== undefined && BATCHED.has(name)) opts['batchSize'] = s.batchSize;
  const draws = DRAWS[name];
  if (draws && s.samples !== undefined) opts[draws] = s.samples;
  return regularizer(name, opts);
}
