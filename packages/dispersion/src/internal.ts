/**
 * @keepdist/dispersion/internal: the building blocks under the regularizers of
 * `@keepdist/dispersion`, for keepdist's own packages, for tests that hold a fused op equal to
 * its composed reference, and for users writing new regularizers in the same style.
 *
 * - Composed references and kernels: {@link mmdComposed} (the autograd-graph form of `mmd`),
 *   {@link kernelOfCosine}, {@link kernelSpec}, {@link pairKernelOf}.
 * - Pair quantities in the cosine: {@link clampc}, {@link angleOf}, {@link chordOf},
 *   {@link plainChordOf}, {@link upperMask}, {@link maskedPairCosines}, {@link nearestCosine}.
 * - Sliced pieces: {@link planeCoordinates}, {@link planeAngles}, {@link stackedSliceAngle}, the fused
 *   {@link slicedLossOfAngles}, {@link sswLossOfAngles} and their forms of stacked coordinates
 *   {@link slicedLossOfCoordinates}, {@link sswLossOfCoordinates}, and their composed references.
 * - Draws and checks: {@link minibatch}, {@link defaultRng}, {@link resetDefaultRng},
 *   {@link checkPoints}; tolerances {@link SPHERE_TOL}, {@link PLANE_TOL}, {@link LARGEST_FINITE}.
 * @module @keepdist/dispersion/internal
 */
export { mmdComposed, kernelOfCosine, kernelSpec, pairKernelOf, type KernelSpec } from './mmd.js';
export { planeAngles, planeCoordinates, stackedSliceAngle } from './sliced.js';
export {
  slicedLossOfAngles, slicedLossOfAnglesComposed, slicedLossOfCoordinates, sswLossOfAngles, sswLossOfAnglesComposed, sswLossOfCoordinates,
} from './circular.js';
export { clampc, angleOf, chordOf, plainChordOf, upperMask, maskedPairCosines, nearestCosine } from './pairwise.js';
export { minibatch } from './minibatch.js';
export { defaultRng, resetDefaultRng } from './randomness.js';
export { checkPoints, type InputCheckOptions } from './validate.js';
export { SPHERE_TOL, PLANE_TOL, LARGEST_FINITE } from './constants.js';
