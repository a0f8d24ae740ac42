/**
 * What the wasm backend's op files share: the heap and kernels of one backend, the checks that a
 * storage belongs to it, and the strided-walk descriptors the kernels read.
 */
import type { Storage } from '../backend.js';
import type { DType } from '../../dtype.js';
import { DTypeError, KeepdistError } from '../../errors.js';
import type { Heap } from './heap.js';
import type { Kernels } from './module.js';
import type { ParallelExport } from './threads.js';
import { WasmStorage } from './storage.js';

/** One backend's memory and kernels. */
export interface WasmContext {
  readonly heap: Heap;
  readonly kernels: Kernels;
  /** Threads the parallel kernels split over (1 without a pool). */
  readonly parts: number;
  /**
   * Runs the kernel export `name` once per part p < parts (≤ this.parts) with `argsFor(p)`, in
   * parallel when a pool exists, and returns when every part is done.
   */
  parallel(name: ParallelExport, parts: number, argsFor: (part: number) => number[]): void;
}

/** The kernels of `dtype`. */
export function typed(ctx: WasmContext, dtype: DType): Kernels['f32'] {
  return dtype === 'float64' ? ctx.kernels.f64 : ctx.kernels.f32;
}

/** A new storage of this backend. */
export function alloc(ctx: WasmContext, size: number, dtype: DType): WasmStorage {
  return new WasmStorage(ctx.heap, size, dtype);
}

/** A new storage of zeros. */
export function zeros(ctx: WasmContext, size: number, dtype: DType): WasmStorage {
  const s = alloc(ctx, size, dtype);
  ctx.kernels.zeroBytes(s.ptr, size * (dtype === 'float64' ? 8 : 4));
  return s;
}

/** `x` as a storage of this backend, or a KeepdistError naming `op`. */
export function own(ctx: WasmContext, op: string, x: Storage): WasmStorage {
  if (x instanceof WasmStorage && x.heap === ctx.heap) return x;
  const what = x instanceof WasmStorage ? 'a storage of another wasm backend' : `${x?.constructor?.name ?? typeof x}`;
  throw new KeepdistError(`${op}: expected a storage of this wasm backend, got ${what}. Move the tensor with toBackend().`);
}

/** Throws a DTypeError naming `op` unless every storage has the dtype of the first. */
export function sameDtype(op: string, xs: readonly Storage[]): DType {
  const dt = xs[0]!.dtype;
  for (const x of xs) {
    if (x.dtype !== dt) throw new DTypeError(`${op}: expected matching dtypes on the wasm backend, got ${dt} and ${x.dtype}. Convert one with cast().`);
  }
  return dt;
}

/** Throws a DTypeError naming `op` for anything but float32 or float64. */
export function checkDtype(op: string, dtype: unknown): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new DTypeError(`${op}: expected float32 or float64 on the wasm backend, got ${String(dtype)}.`);
}

/**
 * Runs `fn(meta, offs)` with a strided-walk descriptor in memory: shape, each operand's strides,
 * odometer slots (the layout of assembly/walk.ts), and each operand's starting offset.
 */
export function withWalk(ctx: WasmContext, shape: readonly number[], strides: readonly (readonly number[])[],
  offsets: readonly number[], fn: (meta: number, offs: number) => void): void {
  const rank = shape.length, k = strides.length;
  const words = rank * (k + 2) + k;
  const block = ctx.heap.alloc(words * 4);
  try {
    const m = ctx.heap.i32();
    let at = block / 4;
    for (const s of shape) m[at++] = s;
    for (const st of strides) for (const s of st) m[at++] = s;
    at += rank;
    const offs = at * 4;
    for (const o of offsets) m[at++] = o;
    fn(block, offs);
  } finally {
    ctx.heap.release(block, words * 4);
  }
}

/** Runs `fn(ptr)` with a scratch block of `bytes` bytes, freed after. */
export function withScratch<T>(ctx: WasmContext, bytes: number, fn: (ptr: number) => T): T {
  const ptr = ctx.heap.alloc(bytes);
  try {
    return fn(ptr);
  } finally {
    ctx.heap.release(ptr, bytes);
  }
}
