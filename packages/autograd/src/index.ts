/**
 * @keepdist/autograd: a small reverse-mode autodiff tensor library. Tensors live on a backend
 * (WebAssembly SIMD kernels by default, the plain TypeScript cpu backend, or gpu.js kernels;
 * float32 and float64 on the first two); every op records its
 * vector-Jacobian product, written with other ops, and `backward()` walks the graph in reverse
 * topological order.
 *
 * This entry holds what a user calls; the building blocks that keepdist's other packages and
 * authors of new backends or fused ops need (storages, the backends' primitive names, the fused
 * pairwise passes, grad-mode switches, option checks) are in `@keepdist/autograd/internal`.
 * @module @keepdist/autograd
 */
export { Tensor, type NestedArray, type Node, type TensorLike } from './tensor.js';
export type { DType, TypedArray } from './dtype.js';
export { KeepdistError, ShapeError, DTypeError, DomainError, OptionError, AllocationError } from './errors.js';
export type { Backend, Storage } from './backend/backend.js';
export { cpuBackend } from './backend/cpu/index.js';
export { WasmBackend, createWasmBackend, wasmSupported, type WasmBackendOptions, type HeapStats, type ThreadInfo, type KernelVariant } from './backend/wasm/index.js';
export { setBackend, getBackend } from './backend/registry.js';
export {
  GpuBackend, createGpuBackend, gpuModes, maxElements, maxFloatIndex, pairwiseGradientPaths,
  type GpuBackendOptions, type GpuMemoryStats, type GpuMode, type PairwiseGradientPath, type ResolvedGpuMode,
} from './backend/gpu/index.js';
export { tidy, keep } from './tidy.js';
export { defineOp, noGrad, type OpDefinition } from './op.js';
export { valueAndGrad, grad, type ValueAndGrad } from './functional.js';
export { createRng, type Rng } from './rng.js';
export { maxTensorElements, maxDrawElements } from './shape.js';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, fullLike, eye, arange, randn, rand,
  type CreateOptions, type TensorOptions,
} from './ops/creation.js';
export {
  add, sub, mul, div, pow, atan2, maximum, minimum, eq, ne, lt, le, gt, ge, neg, exp, log, sqrt,
  square, reciprocal, abs, sign, sin, cos, acos, asin, tanh, sigmoid, relu, clamp, where,
} from './ops/elementwise.js';
export { sum, mean, max, min, argmax, argmin, logsumexp, norm } from './ops/reduce.js';
export {
  reshape, unsqueeze, squeeze, flatten, permute, transpose, expand, unbroadcast, slice, indexSelect,
  takeAlongDim, indexAdd, concat, stack, cast, toBackend,
} from './ops/shape.js';
export { matmul, matmulT, gram } from './ops/linalg.js';
export { sort, argsort, flip } from './ops/sort.js';
export { normalize, softmax, logSoftmax, fillDiagonal } from './ops/nn.js';
export { Optimizer } from './optim/optimizer.js';
export { SGD, type SGDOptions, type SGDState } from './optim/sgd.js';
export { Adam, type AdamOptions, type AdamState } from './optim/adam.js';
