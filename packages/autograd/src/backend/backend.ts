import type { DType, TypedArray } from '../dtype.js';
import type { PairwiseKernels } from './pairwise.js';
import type { SortedRowKernels } from './sortedRows.js';

/**
 * A backend's handle to a flat, contiguous, row-major buffer. Opaque to op code: only the
 * backend that made it reads it. `size` elements of `dtype`.
 */
export interface Storage {
  readonly size: number;
  readonly dtype: DType;
  /** True once the backend's `dispose` freed it: ops must not read it any more. */
  readonly disposed?: boolean;
}

/** Elementwise one-input primitives. */
export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'sin' | 'cos' | 'acos' | 'asin'
  | 'tanh' | 'sigmoid' | 'relu' | 'square' | 'reciprocal';

/** Elementwise two-input primitives (broadcasting); comparisons give 1 or 0. */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'atan2' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/** Reductions along one axis; arg* give the index (as a float) of the first extreme value. */
export type ReduceOp = 'sum' | 'max' | 'min' | 'argmax' | 'argmin';

/**
 * The closed set of primitive kernels every backend implements (tinygrad-style). Op code in
 * `ops/` calls only these; a new backend implements them and nothing else. Axis-wise kernels take
 * a tensor viewed as `[outer, len, inner]` around the axis they act on. The fused pairwise passes
 * ({@link PairwiseKernels}: a kernel sum with its gradient rows, nearest neighbours) are part of the
 * set, so that every pairwise regularizer is one op whose sweep each backend runs its own way; so
 * is the sorted-row pass ({@link SortedRowKernels}: sort, a closed-form loss of the sorted rows and
 * its gradient) of the sliced family.
 */
export interface Backend extends PairwiseKernels, SortedRowKernels {
  /** Name shown in errors and reports, e.g. `cpu` or `gpu:webgpu`. */
  readonly name: string;
  /** True when `readSync` works (reads need no await). */
  readonly synchronous: boolean;
  /** Dtypes this backend stores; an op on any other throws a DTypeError. */
  readonly dtypes: readonly DType[];

  /** Copies host data into a new storage of `dtype`. */
  upload(data: ArrayLike<number>, dtype: DType): Storage;
  /** Reads a storage back to the host. */
  read(x: Storage): Promise<TypedArray>;
  /** Reads synchronously; throws on asynchronous backends. */
  readSync(x: Storage): TypedArray;
  /** Releases device memory early (optional; garbage collection frees it otherwise). */
  dispose?(x: Storage): void;

  /** A storage of `size` elements all equal to `value`. */
  fill(size: number, value: number, dtype: DType): Storage;
  /** `out[i] = f(x[i])`. */
  unary(op: UnaryOp, x: Storage): Storage;
  /** `out = f(a, b)` with NumPy broadcasting of `aShape` and `bShape` to `outShape`. */
  binary(op: BinaryOp, a: Storage, aShape: readonly number[], b: Storage, bShape: readonly number[],
    outShape: readonly number[]): Storage;
  /** `out = cond ≠ 0 ? a : b`, all three broadcast to `outShape`. */
  where(cond: Storage, condShape: readonly number[], a: Storage, aShape: readonly number[], b: Storage,
    bShape: readonly number[], outShape: readonly number[]): Storage;
  /** Reduces the middle axis of `[outer, len, inner]`, giving `[outer, inner]`. */
  reduce(op: ReduceOp, x: Storage, outer: number, len: number, inner: number): Storage;
  /**
   * Batched matrix product: for each of `batch` pairs, C (m × n) = op(A) · op(B) where op(A) is
   * m × k (A stored k × m when `transA`) and op(B) is k × n (B stored n × k when `transB`).
   */
  matmul(a: Storage, b: Storage, batch: number, m: number, k: number, n: number, transA: boolean,
    transB: boolean): Storage;
  /**
   * Contiguous copy of the strided view `x[offset + Σ idx_i · strides_i]` with shape `outShape`.
   * Permute, slice (with steps) and broadcast-expand are all this one kernel.
   */
  stridedCopy(x: Storage, outShape: readonly number[], strides: readonly number[], offset: number): Storage;
  /**
   * Inverse of a stridedCopy with distinct positions: a zero storage of `size` elements with
   * `src` (shape `srcShape`) added at `offset + Σ idx_i · strides_i`. (The VJP of slice.)
   */
  stridedScatter(src: Storage, srcShape: readonly number[], size: number, strides: readonly number[],
    offset: number): Storage;
  /** Concatenates `[outer, lens[i], inner]` pieces along the middle axis. */
  concat(xs: readonly Storage[], outer: number, lens: readonly number[], inner: number): Storage;
  /** Index-select along the middle axis: out `[outer, indices.size, inner]`. Indices are floats. */
  gather(x: Storage, outer: number, len: number, inner: number, indices: Storage): Storage;
  /** VJP of gather: zeros `[outer, len, inner]` with `g` rows added at `indices` (repeats sum). */
  scatterAdd(g: Storage, outer: number, len: number, inner: number, indices: Storage): Storage;
  /** Stable ascending sort of each contiguous row of length `len`; indices as floats. */
  sort(x: Storage, rows: number, len: number): { values: Storage; indices: Storage };
  /** Converts to another dtype. */
  cast(x: Storage, dtype: DType): Storage;
}
