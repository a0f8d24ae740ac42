import { OptionError, type Tensor } from '@keepdist/autograd';
import { CLAMP_EPS, KOLEO_EPS } from './constants.js';
import { lloyd, type LloydOptions } from './lloyd.js';
import { MMD_DISTANCES, MMD_KERNELS, mmd, type MmdOptions } from './mmd.js';
import { koleo, mma, mmcs, type KoleoOptions, type MmaOptions, type MmcsOptions } from './nearest.js';
import { sliced, slicedAxis, type SlicedAxisOptions, type SlicedOptions } from './sliced.js';
import { ssw, type SswOptions } from './ssw.js';
import { uniformity, type UniformityOptions } from './uniformity.js';
import { fmt } from './validate.js';

/** Each regularizer's name and its options type. */
export interface RegularizerOptionsMap {
  mmd: MmdOptions;
  uniformity: UniformityOptions;
  mma: MmaOptions;
  mmcs: MmcsOptions;
  koleo: KoleoOptions;
  lloyd: LloydOptions;
  sliced: SlicedOptions;
  slicedAxis: SlicedAxisOptions;
  ssw: SswOptions;
}

/** The names of the regularizers (docs/math.md §2). */
export type RegularizerName = keyof RegularizerOptionsMap;

/** A regularizer with its options bound: X (n × d, unit rows) ↦ scalar loss. */
export type Regularizer = (X: Tensor) => Tensor;

/** The value types an option can take, for the bench's flag parser and the docs. */
export type OptionType = 'number' | 'integer' | 'boolean' | 'enum' | 'rng' | 'matrix' | 'planes' | 'pairs';

/** One option of a regularizer, described for tools that iterate over them. */
export interface OptionSchema {
  /** Option key. */
  readonly name: string;
  /** Value type. */
  readonly type: OptionType;
  /** What it does. */
  readonly description: string;
  /** Default value (absent: no default, e.g. explicit draws or the generator). */
  readonly default?: number | string | boolean;
  /** Allowed values of an `enum`. */
  readonly values?: readonly string[];
  /** Lower bound of a number. */
  readonly min?: number;
  /** Whether `min` itself is excluded. */
  readonly exclusiveMin?: boolean;
  /** Explicit-draw option that replaces this count option when given (lloyd `points`, `planes`, `pairs`). */
  readonly overriddenBy?: string;
}

/** A registry entry: the function, its defaults, a description and the schema of its options. */
export interface RegularizerInfo<O> {
  /** The regularizer's name. */
  readonly name: RegularizerName;
  /** The function itself. */
  readonly fn: (X: Tensor, options: O) => Tensor;
  /** Default option values (what the function uses when an option is omitted). */
  readonly defaults: Readonly<Partial<O>>;
  /** One-line description. */
  readonly description: string;
  /** Time complexity (n points, d dimensions, m samples, K slices). */
  readonly cost: string;
  /** Whether it draws random numbers at each call (slices, samples). */
  readonly stochastic: boolean;
  /** Whether it accepts `batchSize` (docs/math.md §2.10). */
  readonly batched: boolean;
  /** Every option it accepts. */
  readonly options: readonly OptionSchema[];
}

const check: OptionSchema[] = [
  { name: 'checkSphere', type: 'boolean', default: true, description: 'Check that every row of X has unit norm (O(n·d); skip it in hot loops).' },
  { name: 'sphereTol', type: 'number', min: 0, exclusiveMin: true, description: 'Tolerance of that check on max_i |‖x_i‖ − 1| (default 1e-5 float64, 1e-4 float32).' },
];
const rng: OptionSchema = { name: 'rng', type: 'rng', description: 'Seeded generator (createRng) of the random draws; default: the module fallback (defaultRng).' };
const batch: OptionSchema[] = [
  { name: 'batchSize', type: 'integer', min: 2, description: 'Minibatch size b ≤ n: rows drawn without replacement at each call (docs/math.md §2.10).' },
  rng,
];
const clampEps: OptionSchema = { name: 'clampEps', type: 'number', default: CLAMP_EPS, min: 0, exclusiveMin: true, description: 'ε of clampc(c) = min(max(c, −1 + ε), 1 − ε) before acos.' };

/**
 * Every regularizer by name, with its defaults, description, cost and option schema. The bench
 * and the docs iterate over it; {@link regularizer} looks names up here.
 */
export const regularizers: { readonly [K in RegularizerName]: RegularizerInfo<RegularizerOptionsMap[K]> } = {
  mmd: {
    name: 'mmd', fn: mmd, stochastic: false, batched: true, cost: 'O(n² d)',
    description: 'Kernel (MMD) dispersion 2·mean_{i<j} k(x_i, x_j): gaussian, laplace or riesz kernel of the chord or the geodesic distance.',
    defaults: { kernel: 'gaussian', distance: 'euclidean', gamma: 1, s: 1, chord: 'exact', clampEps: CLAMP_EPS },
    options: [
      { name: 'kernel', type: 'enum', values: MMD_KERNELS, default: 'gaussian', description: 'Kernel family.' },
      { name: 'distance', type: 'enum', values: MMD_DISTANCES, default: 'euclidean', description: 'Chord e (euclidean) or angle θ (geodesic).' },
      { name: 'gamma', type: 'number', default: 1, min: 0, exclusiveMin: true, description: 'Bandwidth γ of the gaussian and laplace kernels.' },
      { name: 's', type: 'number', default: 1, description: 'Riesz exponent: r^−s (s > 0), −log r (s = 0), −r^−s (s < 0).' },
      { name: 'chord', type: 'enum', values: ['exact', 'authors'], default: 'exact', description: "Chord of the euclidean laplace/riesz kernels: √(2 − 2c + ε) or the authors' √(2 − c)." },
      clampEps, ...batch, ...check,
    ],
  },
  uniformity: {
    name: 'uniformity', fn: uniformity, stochastic: false, batched: true, cost: 'O(n² d)',
    description: 'Wang & Isola uniformity: log mean_{i<j} exp(−t‖x_i − x_j‖²).',
    defaults: { t: 2 },
    options: [{ name: 't', type: 'number', default: 2, min: 0, exclusiveMin: true, description: 'Temperature t.' }, ...batch, ...check],
  },
  mma: {
    name: 'mma', fn: mma, stochastic: false, batched: true, cost: 'O(n² d)',
    description: 'Maximum minimum angle: −mean_i min_{j≠i} θ_ij.',
    defaults: { clampEps: CLAMP_EPS },
    options: [clampEps, ...batch, ...check],
  },
  mmcs: {
    name: 'mmcs', fn: mmcs, stochastic: false, batched: true, cost: 'O(n² d)',
    description: 'Maximum minimum cosine similarity: mean_i max_{j≠i} c_ij.',
    defaults: {},
    options: [...batch, ...check],
  },
  koleo: {
    name: 'koleo', fn: koleo, stochastic: false, batched: true, cost: 'O(n² d)',
    description: 'KoLeo entropy estimator: −mean_i log(min_{j≠i} ‖x_i − x_j‖ + ε).',
    defaults: { eps: KOLEO_EPS },
    options: [{ name: 'eps', type: 'number', default: KOLEO_EPS, min: 0, exclusiveMin: true, description: 'ε added to the nearest-neighbour distance inside the log.' }, ...batch, ...check],
  },
  lloyd: {
    name: 'lloyd', fn: lloyd, stochastic: true, batched: true, cost: 'O(n m d)',
    description: 'Online Lloyd: mean over m uniform samples of the squared angle to the nearest point.',
    defaults: { samples: 100, clampEps: CLAMP_EPS },
    options: [
      { name: 'samples', type: 'integer', default: 100, min: 1, overriddenBy: 'points', description: 'Number m of uniform samples drawn per call.' },
      { name: 'points', type: 'matrix', description: 'Explicit m × d samples (unit rows) instead of drawing them.' },
      clampEps, ...batch, ...check,
    ],
  },
  sliced: {
    name: 'sliced', fn: sliced, stochastic: true, batched: false, cost: 'O(K n d + K n log n)',
    description: 'Sliced dispersion: project onto random great circles and pull the angles toward equal spacing.',
    defaults: { slices: 1 },
    options: [
      { name: 'slices', type: 'integer', default: 1, min: 1, overriddenBy: 'planes', description: 'Number K of random planes per call.' },
      { name: 'planes', type: 'planes', description: 'Explicit orthonormal planes [p, q] instead of drawing them.' },
      rng, ...check,
    ],
  },
  slicedAxis: {
    name: 'slicedAxis', fn: slicedAxis, stochastic: true, batched: false, cost: 'O(K n log n)',
    description: 'Axis-aligned sliced dispersion: sliced dispersion on random coordinate planes (no d factor).',
    defaults: { slices: 1 },
    options: [
      { name: 'slices', type: 'integer', default: 1, min: 1, overriddenBy: 'pairs', description: 'Number K of random coordinate planes per call.' },
      { name: 'pairs', type: 'pairs', description: 'Explicit column pairs [a, b] (a ≠ b) instead of drawing them.' },
      rng, ...check,
    ],
  },
  ssw: {
    name: 'ssw', fn: ssw, stochastic: true, batched: false, cost: 'O(K n d + K n log n)',
    description: 'Spherical sliced Wasserstein distance (squared) to the uniform distribution, in closed form per slice.',
    defaults: { projections: 100, sqrt: false },
    options: [
      { name: 'projections', type: 'integer', default: 100, min: 1, overriddenBy: 'planes', description: 'Number K of random planes per call.' },
      { name: 'planes', type: 'planes', description: 'Explicit orthonormal planes [p, q] instead of drawing them.' },
      { name: 'sqrt', type: 'boolean', default: false, description: 'Return √L, as the paper code (POT) does.' },
      rng, ...check,
    ],
  },
};

/** The regularizer names in a fixed order (the order of docs/math.md §2). */
export const regularizerNames: readonly RegularizerName[] = Object.keys(regularizers) as RegularizerName[];

/**
 * The regularizer `name` with `options` bound: `regularizer('mmd', { kernel: 'riesz', s: 1 })(X)`.
 * Options are checked against the schema here (an unknown name or option key throws an
 * OptionError) and `defaults` fill what is omitted — except that a count option (`samples`,
 * `slices`, `projections`) is not defaulted when its explicit draws (`points`, `planes`, `pairs`) are given.
 */
export function regularizer<K extends RegularizerName>(name: K, options: Partial<RegularizerOptionsMap[K]> = {}): Regularizer {
  return boundRegularizer('regularizer', name, options);
}

/** {@link regularizer} reporting errors as `fn` (lossAndGrad builds on it under its own name). */
export function boundRegularizer(fn: string, name: unknown, options: unknown): Regularizer {
  const info = regularizerInfo(fn, name);
  const opts = (options ?? {}) as Record<string, unknown>;
  if (typeof opts !== 'object' || Array.isArray(opts)) throw new OptionError(`${fn}: expected options to be an object, got ${fmt(opts)}.`);
  const known = info.options.map((s) => s.name);
  for (const key of Object.keys(opts)) {
    if (!known.includes(key)) {
      throw new OptionError(`${fn}: expected options of '${String(name)}' among ${known.join(', ')}, got '${key}'.`);
    }
  }
  const merged: Record<string, unknown> = { ...info.defaults, ...opts };
  for (const s of info.options) {
    if (s.overriddenBy && opts[s.overriddenBy] !== undefined && opts[s.name] === undefined) delete merged[s.name];
  }
  const run = info.fn as (X: Tensor, o: unknown) => Tensor;
  return (X: Tensor) => run(X, merged);
}

/** The registry entry of `name`, or an OptionError listing the valid names. */
export function regularizerInfo(fn: string, name: unknown): RegularizerInfo<unknown> {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(regularizers, name)) {
    throw new OptionError(`${fn}: expected a regularizer name among ${regularizerNames.join(', ')}, got ${typeof name === 'string' ? `'${name}'` : String(name)}.`);
  }
  return regularizers[name as RegularizerName] as unknown as RegularizerInfo<unknown>;
}
