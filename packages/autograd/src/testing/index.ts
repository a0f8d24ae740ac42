/**
 * @keepdist/autograd/testing: helpers for users' own test suites. `gradcheck` compares reverse
 * mode with central differences in float64; fast-check arbitraries generate shapes, broadcast
 * pairs, tensors and matrices of unit rows; `assertClose` applies the project's tolerances.
 * @module @keepdist/autograd/testing
 */
export { gradcheck, assertGradcheck, type GradcheckOptions, type GradcheckReport, type GradcheckWorst } from './gradcheck.js';
export {
  shapeArb, broadcastShapesArb, tensorArb, unitRowsArb,
  type ShapeConstraints, type TensorConstraints, type UnitRowsConstraints,
} from './arbitraries.js';
export { tolerances, compareArrays, assertClose, flat, type CloseReport } from './close.js';
