/**
 * @keepdist/dispersion: the dispersion regularizers of *Keep your distance: learning dispersed
 * embeddings on S_d* (Tokarchuk, Bakker, Niculae; TMLR 2025) and the methods it reviews, each a
 * function `(X, options) => scalar Tensor` composed of `@keepdist/autograd` ops (docs/math.md §2), plus
 * tiled metrics that never allocate the n × n matrix (docs/math.md §3).
 *
 * - Pairwise kernels: {@link mmd} (gaussian, laplace, riesz × euclidean, geodesic), {@link uniformity}.
 * - Nearest neighbour: {@link mma}, {@link mmcs}, {@link koleo}.
 * - The paper's proposals: {@link lloyd} (online Lloyd), {@link sliced}, {@link slicedAxis}; and {@link ssw}.
 * - By name: {@link regularizer}, {@link regularizers}, {@link regularizerNames}.
 * - For other frameworks: {@link lossAndGrad} (typed arrays in, loss and Euclidean gradient out).
 * - Metrics: {@link minAngle}, {@link minAnglePerPoint}, {@link meanAngle}, {@link medianAngle},
 *   {@link circularVariance}, {@link angleSummary}.
 *
 * Randomness (slice planes, Lloyd samples, minibatches) comes from the `rng` option, a generator
 * from `createRng(seed)`; without one, a module-level generator seeded 0 (`defaultRng` in
 * `@keepdist/dispersion/internal`). Every stochastic regularizer also takes its draws explicitly
 * (`points`, `planes`, `pairs`; {@link drawPlane}, {@link drawAxisPair} and
 * {@link uniformSphereSamples} make them).
 *
 * The building blocks (the composed references such as `mmdComposed`, kernels of the cosine,
 * clamps and chords, the minibatch draw, input checks) are in `@keepdist/dispersion/internal`.
 * @document ../../../docs/dispersion.md
 * @module @keepdist/dispersion
 */
export { mmd, MMD_KERNELS, MMD_DISTANCES, type MmdOptions, type MmdKernel, type MmdDistance, type ChordConvention } from './mmd.js';
export { uniformity, type UniformityOptions } from './uniformity.js';
export { mma, mmcs, koleo, type MmaOptions, type MmcsOptions, type KoleoOptions } from './nearest.js';
export { lloyd, type LloydOptions } from './lloyd.js';
export { sliced, slicedAxis, type SlicedOptions, type SlicedAxisOptions } from './sliced.js';
export { ssw, type SswOptions } from './ssw.js';
export { drawPlane, drawAxisPair, type Plane, type AxisPair, type VectorLike } from './planes.js';
export { uniformSphereSamples, type MatrixLike } from './draws.js';
export type { BatchOptions, ClampOptions } from './options.js';
export { CLAMP_EPS, KOLEO_EPS } from './constants.js';
export {
  regularizer, regularizers, regularizerNames, regularizerInfo,
  type Regularizer, type RegularizerName, type RegularizerOptionsMap, type RegularizerInfo, type OptionSchema, type OptionType,
} from './registry.js';
export { lossAndGrad, type LossAndGrad, type LossAndGradFn, type LossAndGradOptions } from './lossAndGrad.js';
export * from './metrics/index.js';
