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

/**
 * `x` as a storage of this backend, or a KeepdistError naming `op` (and `variant`, as `op.variant`:
 * the name is only put together for the error).
 */
export function own(ctx: WasmContext, op: string, x: Storage, variant?: string): WasmStorage {
  if (x instanceof WasmStorage && x.heap === ctx.heap) return x;
  const what = x instanceof WasmStorage ? 'a storage of another wasm backend' : `${x?.constructor?.name ?? typeof x}`;
  throw new KeepdistError(`${opName(op, variant)}: expected a storage of this wasm backend, got ${what}. Move the tensor with toBackend().`);
}

/** `op` or `op.variant`. */
function opName(op: string, variant: string | undefined): string {
  return variant === undefined ? op : `${op}.${variant}`;
}

/** Throws a DTypeError naming `op` unless every storage has the dtype of the first. */
export function sameDtype(op: string, xs: readonly Storage[]): DType {
  const dt = xs[0]!.dtype;
  for (const x of xs) checkPair(op, dt, x.dtype);
  return dt;
}

/** The dtype of two storages, or a DTypeError naming `op` (`op.variant`) when they differ. */
export function pairDtype(op: string, a: Storage, b: Storage, variant?: string): DType {
  checkPair(op, a.dtype, b.dtype, variant);
  return a.dtype;
}

function checkPair(op: string, a: DType, b: DType, variant?: string): void {
  if (a !== b) throw new DTypeError(`${opName(op, variant)}: expected matching dtypes on the wasm backend, got ${a} and ${b}. Convert one with cast().`);
}

/** Throws a DTypeError naming `op` for anything but float32 or float64. */
export function checkDtype(op: string, dtype: unknown): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new DTypeError(`${op}: expected float32 or float64 on the wasm backend, got ${String(dtype)}.`);
}

/**
 * Each operand's strides over the output's dims while a walk is planned (operand j's row at j · rank),
 * and the collapsed dims: host scratch reused by every plan, grown for a larger rank.
 */
let raw = new Int32Array(64);
const collapsedDims: number[] = [];

/** A strided walk written into memory by {@link planBroadcast} or {@link planStrided} (one at a time). */
export interface WalkPlan {
  /** Collapsed rank (what the kernels take as `rank`). */
  rank: number;
  /** Address of the descriptor: shape, each operand's strides, odometer slots (assembly/walk.ts). */
  meta: number;
  /** Address of each operand's starting offset (i32). */
  offs: number;
}
const plan: WalkPlan = { rank: 0, meta: 0, offs: 0 };

/** Room in `raw` for `k` operands of rank `r`. */
function reserve(r: number, k: number): void {
  if (raw.length < r * k) raw = new Int32Array(r * k);
}

/**
 * Collapses the walk over `shape` of `k` operands whose strides are in `raw` (row j at j · r),
 * merging adjacent dims that every operand walks contiguously and dropping size-1 dims (as the cpu
 * backend's `collapseDims`), and writes the descriptor of assembly/walk.ts into the heap's walk
 * block, operand 1 starting at `offset1` and the others at 0. Allocates nothing once warm; the
 * plan stays valid until the next one.
 */
function writePlan(ctx: WasmContext, shape: readonly number[], k: number, offset1: number): WalkPlan {
  const r = shape.length;
  let rank = 0; // the collapsed strides overwrite the rows in place (column rank ≤ i when dim i is read)
  const dims: number[] = collapsedDims;
  for (let i = 0; i < r; i++) {
    const n = shape[i]!;
    if (n === 1) continue; // a size-1 dim never moves any pointer
    let merge = rank > 0;
    for (let j = 0; merge && j < k; j++) merge = raw[j * r + rank - 1] === raw[j * r + i]! * n;
    if (merge) {
      dims[rank - 1] = dims[rank - 1]! * n;
      for (let j = 0; j < k; j++) raw[j * r + rank - 1] = raw[j * r + i]!;
    } else {
      dims[rank] = n;
      for (let j = 0; j < k; j++) raw[j * r + rank] = raw[j * r + i]!;
      rank++;
    }
  }
  const words = rank * (k + 2) + k;
  const meta = ctx.heap.walkBlock(words * 4);
  const m = ctx.heap.i32();
  let at = meta / 4;
  for (let i = 0; i < rank; i++) m[at++] = dims[i]!;
  for (let j = 0; j < k; j++) for (let i = 0; i < rank; i++) m[at++] = raw[j * r + i]!;
  at += rank;
  plan.rank = rank;
  plan.meta = meta;
  plan.offs = at * 4;
  m[at++] = 0;
  for (let j = 1; j < k; j++) m[at++] = j === 1 ? offset1 : 0;
  return plan;
}

/** Writes operand j's row-major strides of `s` broadcast to rank r (0 on size-1 and missing dims) into `raw`. */
function broadcastRow(j: number, s: readonly number[], r: number): void {
  const off = r - s.length;
  let st = 1;
  for (let i = r - 1; i >= 0; i--) {
    const n = i < off ? 1 : s[i - off]!;
    raw[j * r + i] = n === 1 ? 0 : st;
    st *= n;
  }
}

/**
 * The walk of a broadcasting op over `outShape`: operand 0 the contiguous output, then `a`, `b`
 * and (for where) `c`, each a contiguous tensor of its shape broadcast to `outShape`.
 */
export function planBroadcast(ctx: WasmContext, outShape: readonly number[], a: readonly number[], b: readonly number[],
  c?: readonly number[]): WalkPlan {
  const r = outShape.length, k = c ? 4 : 3;
  reserve(r, k);
  broadcastRow(0, outShape, r);
  broadcastRow(1, a, r);
  broadcastRow(2, b, r);
  if (c) broadcastRow(3, c, r);
  return writePlan(ctx, outShape, k, 0);
}

/** The walk of a strided view: operand 0 contiguous over `shape`, operand 1 with `strides` from `offset`. */
export function planStrided(ctx: WasmContext, shape: readonly number[], strides: readonly number[], offset: number): WalkPlan {
  const r = shape.length;
  reserve(r, 2);
  broadcastRow(0, shape, r);
  for (let i = 0; i < r; i++) raw[r + i] = strides[i]!;
  return writePlan(ctx, shape, 2, offset);
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
