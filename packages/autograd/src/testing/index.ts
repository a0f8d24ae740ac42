/**
 * @keepdist/autograd/testing: helpers for users' own test suites. `gradcheck` compares reverse
 * mode with central differences in float64; fast-check arbitraries generate shapes, broadcast
 * pairs, tensors and matrices of unit rows, and extreme or wrong-typed inputs with the bad-input contract
 * (`expectKeepdistOutcome`); `assertClose` applies the project's tolerances.
 * @module @keepdist/autograd/testing
 */
export { gradcheck, assertGradcheck, type GradcheckOptions, type GradcheckReport, type GradcheckWorst } from './gradcheck.js';
export {
  shapeArb, broadcastShapesArb, tensorArb, unitRowsArb,
  type ShapeConstraints, type TensorConstraints, type UnitRowsConstraints,
} from './arbitraries.js';
export {
  extremeNumberArb, finiteExtremeNumberArb, extremeTensorArb, wrongValueArb, expectKeepdistOutcome, allFinite,
  type ExtremeTensorConstraints,
} from './badInput.js';
export { tolerances, compareArrays, assertClose, flat, type CloseReport } from './close.js';
