import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import type { DType, TypedArray } from '../dtype.js';
import { AllocationError, DTypeError, KeepdistError, ShapeError, fmtShape } from '../errors.js';
import { checkShape, sizeOf } from '../shape.js';
import { Tensor, type NestedArray } from '../tensor.js';
import { describe, wrap } from '../op.js';
import type { Rng } from '../rng.js';

/** Where and how a new tensor is made. */
export interface CreateOptions {
  /** Element type; float32 unless the data is a Float64Array. */
  dtype?: DType;
  /** Backend; the current default (`getBackend()`) when omitted. */
  backend?: Backend;
  /** Make it a leaf whose gradient `backward()` accumulates. */
  requiresGrad?: boolean;
}

/** Options of {@link tensor}: {@link CreateOptions} plus an explicit shape for flat data. */
export interface TensorOptions extends CreateOptions {
  /** Shape of flat data (defaults to the nesting of the data, or `[length]` for a typed array). */
  shape?: readonly number[];
}

/** Flattens nested arrays, checking they are rectangular; returns data and shape. */
function flatten(data: NestedArray): { flat: number[]; shape: number[] } {
  const shape: number[] = [];
  for (let d: NestedArray = data; Array.isArray(d); d = d[0]!) {
    shape.push(d.length);
    if (d.length === 0) break;
  }
  const flat: number[] = [];
  const walk = (d: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (typeof d !== 'number') throw new ShapeError(`tensor: expected a number at depth ${dim}, got ${Array.isArray(d) ? 'an array' : typeof d}.`);
      flat.push(d);
      return;
    }
    if (!Array.isArray(d) || d.length !== shape[dim]) {
      throw new ShapeError(`tensor: expected a rectangular nested array with dim ${dim} of length ${shape[dim]}, got ${Array.isArray(d) ? d.length : typeof d}.`);
    }
    for (const e of d) walk(e, dim + 1);
  };
  walk(data, 0);
  return { flat, shape };
}

/**
 * Runs an allocation of `size` elements for `op`, turning the engine's RangeError (out of memory,
 * array too long) into a ShapeError that names the op and the size.
 */
export function allocating<T>(op: string, size: number, alloc: () => T): T {
  try {
    return alloc();
  } catch (err) {
    // a JavaScript RangeError, or a backend's own out-of-memory error (the wasm heap's), named here
    if (!(err instanceof RangeError) && !(err instanceof AllocationError)) throw err;
    throw new AllocationError(`${op}: expected a size that can be allocated, got ${size} elements (${(err as Error).message}). Use a smaller shape or split the work.`);
  }
}

/** Checks the options object of a creation op (undefined, or a plain object). */
function checkCreateOptions(op: string, opts: unknown): void {
  if (opts !== undefined && (opts === null || typeof opts !== 'object' || Array.isArray(opts))) {
    throw new KeepdistError(`${op}: expected options { dtype?, backend?, requiresGrad? }, got ${describe(opts)}.`);
  }
}

/** Resolves backend and dtype, checking the backend can hold the dtype. */
function resolve(op: string, opts: CreateOptions, fallback: DType = 'float32'): { backend: Backend; dtype: DType } {
  checkCreateOptions(op, opts);
  const backend = opts.backend ?? getBackend();
  if (typeof backend !== 'object' || backend === null || typeof backend.upload !== 'function') {
    throw new KeepdistError(`${op}: expected options.backend to be a Backend (cpuBackend, a GpuBackend), got ${describe(backend)}.`);
  }
  const dtype = opts.dtype ?? fallback;
  if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(`${op}: expected dtype 'float32' or 'float64', got '${String(dtype)}'.`);
  if (!backend.dtypes.includes(dtype)) {
    throw new DTypeError(`${op}: expected a dtype the '${backend.name}' backend stores (${backend.dtypes.join(', ')}), got ${dtype}. Use the cpu backend for float64.`);
  }
  return { backend, dtype };
}

/**
 * Creates a tensor from a number, nested arrays or a typed array (flat, shaped by `opts.shape`).
 * dtype defaults to float64 for a Float64Array and float32 otherwise.
 */
export function tensor(data: number | NestedArray | TypedArray | ArrayLike<number>, opts: TensorOptions = {}): Tensor {
  let flat: ArrayLike<number>;
  let shape: readonly number[];
  checkCreateOptions('tensor', opts);
  if (typeof data === 'number') {
    flat = [data];
    shape = [];
  } else if (Array.isArray(data)) {
    const f = flatten(data);
    flat = f.flat;
    shape = f.shape;
  } else if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    flat = data as unknown as ArrayLike<number>;
    shape = [flat.length];
  } else {
    throw new KeepdistError(`tensor: expected a number, nested arrays of numbers or a typed array, got ${describe(data)}. Pass e.g. tensor([[1, 2], [3, 4]]).`);
  }
  if (opts.shape !== undefined) {
    checkShape('tensor', opts.shape);
    if (sizeOf(opts.shape) !== flat.length) {
      throw new ShapeError(`tensor: expected ${sizeOf(opts.shape)} elements for shape ${fmtShape(opts.shape)}, got ${flat.length}.`);
    }
    shape = opts.shape.slice();
  }
  const { backend, dtype } = resolve('tensor', opts, data instanceof Float64Array ? 'float64' : 'float32');
  return new Tensor(allocating('tensor', flat.length, () => backend.upload(flat, dtype)), shape, backend, opts.requiresGrad ?? false);
}

/** full under the name `op` (zeros and ones report their own name in errors). */
function filled(op: string, shape: readonly number[], value: number, opts: CreateOptions): Tensor {
  checkShape(op, shape);
  if (typeof value !== 'number') throw new KeepdistError(`${op}: expected a number to fill with, got ${describe(value)}.`);
  const { backend, dtype } = resolve(op, opts);
  const size = sizeOf(shape);
  return new Tensor(allocating(op, size, () => backend.fill(size, value, dtype)), shape.slice(), backend, opts.requiresGrad ?? false);
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: readonly number[], value: number, opts: CreateOptions = {}): Tensor {
  return filled('full', shape, value, opts);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], opts: CreateOptions = {}): Tensor {
  return filled('zeros', shape, 0, opts);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], opts: CreateOptions = {}): Tensor {
  return filled('ones', shape, 1, opts);
}

/** A tensor shaped like `x` (same dtype and backend) filled with `value`. */
export function fullLike(x: Tensor, value: number): Tensor {
  if (!(x instanceof Tensor)) throw new KeepdistError(`fullLike: expected a Tensor, got ${describe(x)}.`);
  return wrap(x.backend.fill(x.size, value, x.dtype), x.shape, x.backend);
}

/** Zeros shaped like `x`. */
export function zerosLike(x: Tensor): Tensor {
  return fullLike(x, 0);
}

/** Ones shaped like `x`. */
export function onesLike(x: Tensor): Tensor {
  return fullLike(x, 1);
}

/** The n × m identity (ones on the main diagonal). */
export function eye(n: number, m = n, opts: CreateOptions = {}): Tensor {
  checkShape('eye', [n, m]);
  const data = allocating('eye', n * m, () => new Float64Array(n * m));
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return allocating('eye', n * m, () => tensor(data, { ...opts, dtype: opts.dtype ?? 'float32', shape: [n, m] }));
}

/** `[start, start + step, …]` up to but excluding `stop` (NumPy's arange). */
export function arange(start: number, stop?: number, step = 1, opts: CreateOptions = {}): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (typeof step !== 'number' || step === 0 || !Number.isFinite(step)) throw new KeepdistError(`arange: expected a finite non-zero step, got ${describe(step)}.`);
  if (typeof start !== 'number' || typeof stop !== 'number' || !Number.isFinite(start) || !Number.isFinite(stop)) {
    throw new KeepdistError(`arange: expected finite start and stop, got start = ${describe(start)}, stop = ${describe(stop)}.`);
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  checkShape('arange', [n]);
  const data = allocating('arange', n, () => new Float64Array(n));
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return tensor(data, { ...opts, dtype: opts.dtype ?? 'float32' });
}

/** Throws a KeepdistError naming `op` unless `rng` is a generator from createRng. */
function checkRng(op: string, rng: unknown): void {
  if (typeof rng !== 'object' || rng === null || typeof (rng as Rng).normalArray !== 'function' || typeof (rng as Rng).uniformArray !== 'function') {
    throw new KeepdistError(`${op}: expected rng, a generator from createRng(seed), got ${rng === undefined ? 'none' : describe(rng)}. Pass ${op}(shape, createRng(seed)).`);
  }
}

/** Standard normal samples from `rng` (seeded; nothing uses Math.random). */
export function randn(shape: readonly number[], rng: Rng, opts: CreateOptions = {}): Tensor {
  checkShape('randn', shape);
  checkRng('randn', rng);
  checkCreateOptions('randn', opts);
  const data = allocating('randn', sizeOf(shape), () => rng.normalArray(sizeOf(shape)));
  return tensor(data, { ...opts, dtype: opts.dtype ?? 'float32', shape });
}

/** Uniform samples in [0, 1) from `rng`. */
export function rand(shape: readonly number[], rng: Rng, opts: CreateOptions = {}): Tensor {
  checkShape('rand', shape);
  checkRng('rand', rng);
  checkCreateOptions('rand', opts);
  const data = allocating('rand', sizeOf(shape), () => rng.uniformArray(sizeOf(shape)));
  return tensor(data, { ...opts, dtype: opts.dtype ?? 'float32', shape });
}
