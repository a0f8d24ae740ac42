/**
 * @keepdist/autograd/internal: the building blocks under the user API, for keepdist's own packages
 * and for authors of new backends, fused ops and optimizers. Stable within a minor version, but
 * closer to the implementation than the main entry `@keepdist/autograd`, whose classes (Tensor,
 * the backends) these share: both entry points load the same modules.
 *
 * - Backends: the primitive names ({@link UnaryOp}, {@link BinaryOp}, {@link ReduceOp}), the
 *   fused pairwise passes every backend implements ({@link PairwiseKernels}), the storages
 *   ({@link CpuStorage}, {@link WasmStorage}, {@link GpuStorage}) and the gpu backend's probes.
 * - Fused pairwise ops: {@link pairwiseSum} (Σ_{i<j} k(c_ij) and its gradient in one pass) and
 *   {@link nearest} (each row's nearest neighbour by cosine), with O(n·d) memory; the fused
 *   sorted-row pass {@link sortedRowLoss} of the sliced family ({@link SortedRowKernels}).
 * - Recording: {@link isGradEnabled}, {@link withGradMode}; state: {@link tensorsIn}; numerics: {@link machineEps}, {@link normDirectRange};
 *   optimizers: {@link checkOption}, {@link checkOptionKeys}, {@link checkPair}.
 * @module @keepdist/autograd/internal
 */
export type { UnaryOp, BinaryOp, ReduceOp } from './backend/backend.js';
export type { PairwiseKernels, PairKernel, PairKernelKind, PairDistance, PairwiseSumResult, NearestResult } from './backend/pairwise.js';
export { composedSortedRowLoss, sortedRowConstants, type SortedRowInput, type SortedRowKernels, type SortedRowLoss, type SortedRowLossResult } from './backend/sortedRows.js';
export { CpuStorage } from './backend/cpu/index.js';
export { WasmStorage } from './backend/wasm/index.js';
export type { AdamRowsResult, AdamRowsSpec, RiemannianRowsSpec, RowsOutcome, SgdRowsResult, SgdRowsSpec } from './backend/wasm/index.js';
export { GpuStorage, isDeviceMode, type KernelRecord, type GpuJsModule, type GpuJsClass } from './backend/gpu/index.js';
export { machineEps, normDirectRange } from './dtype.js';
export { withGradMode, isGradEnabled } from './op.js';
export { tensorsIn } from './tidy.js';
export { pairwiseSum, nearest, type Nearest } from './ops/pairwise.js';
export { sortedRowLoss } from './ops/sortedRows.js';
export { checkOption, checkOptionKeys, checkPair } from './optim/optimizer.js';
