/**
 * @keepdist/autograd: a small reverse-mode autodiff tensor library. Tensors live on a backend
 * (the float64-capable cpu backend by default, or gpu.js kernels); every op records its
 * vector-Jacobian product, written with other ops, and `backward()` walks the graph in reverse
 * topological order.
 * @module @keepdist/autograd
 */
export { Tensor, type NestedArray, type Node, type TensorLike } from './tensor.js';
export type { DType, TypedArray } from './dtype.js';
export { machineEps, normDirectRange } from './dtype.js';
export { KeepdistError, ShapeError, DTypeError, DomainError, OptionError } from './errors.js';
export type { Backend, Storage, UnaryOp, BinaryOp, ReduceOp } from './backend/backend.js';
export { cpuBackend, CpuStorage } from './backend/cpu/index.js';
export { setBackend, getBackend } from './backend/registry.js';
export { GpuBackend, createGpuBackend, GpuStorage, gpuModes, isDeviceMode, maxElements, type GpuBackendOptions, type GpuMode, type ResolvedGpuMode, type KernelRecord, type GpuJsModule, type GpuJsClass } from './backend/gpu/index.js';
export { tidy, keep } from './tidy.js';
export { defineOp, noGrad, withGradMode, isGradEnabled, type OpDefinition } from './op.js';
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
  takeAlongDim, concat, stack, cast, toBackend,
} from './ops/shape.js';
export { matmul, matmulT, gram } from './ops/linalg.js';
export { sort, argsort, flip } from './ops/sort.js';
export { normalize, softmax, logSoftmax, fillDiagonal } from './ops/nn.js';
export { Optimizer, checkOption, checkOptionKeys, checkPair } from './optim/optimizer.js';
export { SGD, type SGDOptions, type SGDState } from './optim/sgd.js';
export { Adam, type AdamOptions, type AdamState } from './optim/adam.js';
