/**
 * The wasm backend: every primitive as an AssemblyScript kernel compiled to WebAssembly with SIMD
 * (f32x4 for float32, f64x2 for float64), storage in the module's linear memory.
 */
import type { Backend, BinaryOp, ReduceOp, Storage, UnaryOp } from '../backend.js';
import type { NearestResult, PairKernel, PairwiseKernels, PairwiseSumResult } from '../pairwise.js';
import type { SortedRowInput, SortedRowLoss, SortedRowLossResult } from '../sortedRows.js';
import type { DType, TypedArray } from '../../dtype.js';
import { OptionError } from '../../errors.js';
import { alloc, checkDtype, own, sameDtype, typed, withScratch, type WasmContext } from './context.js';
import * as ew from './elementwise.js';
import * as layout from './layout.js';
import * as pairwise from './pairwise.js';
import * as sortedRows from './sortedRows.js';
import * as sphereRows from './sphereRows.js';
import { nearestSelf } from './nearestSelf.js';
import type { AdamRowsResult, AdamRowsSpec, RowsOutcome, SgdRowsResult, SgdRowsSpec } from './sphereRows.js';
import { Heap, type HeapStats } from './heap.js';
import { yieldToTasks } from './collector.js';
import { instantiateKernels, kernelModule, relaxedSimdSupported, type KernelVariant, type Kernels } from './module.js';
import { WorkerPool, checkThreads, threadsUnavailable, type ParallelExport, type ThreadInfo } from './threads.js';
import { reduceCodes } from './opcodes.js';
import { WasmStorage } from './storage.js';

export { WasmStorage } from './storage.js';
export { wasmSupported, type KernelVariant } from './module.js';
export type { HeapStats } from './heap.js';
export type { ThreadInfo } from './threads.js';
export type { AdamRowsResult, AdamRowsSpec, RiemannianRowsSpec, RowsOutcome, SgdRowsResult, SgdRowsSpec } from './sphereRows.js';

/** Options of {@link WasmBackend} and {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /** Initial size of the linear memory in MiB (default 1); it grows as tensors need. */
  initialMiB?: number;
  /**
   * Threads for matmul, the pairwise passes, the nearest-neighbour pass, the Riemannian optimizers'
   * step and large unary ops (default 1). More than one needs SharedArrayBuffer and worker threads:
   * Node's worker_threads, or Web Workers in a cross-origin isolated page; where they are missing
   * the backend runs on one thread and {@link WasmBackend.threadInfo} says why.
   */
  threads?: number;
  /**
   * Run the kernels built with relaxed SIMD where the engine has it (default true): the GEMM
   * micro-kernel, which matmul and the fused pairwise and nearest passes share, then accumulates
   * with a fused multiply-add on CPUs that have one (about 1.15× on a matmul here). Its float32
   * results then differ from the `simd128` build's by rounding, and between CPUs with and without
   * FMA; false keeps every machine on the `simd128` build. {@link WasmBackend.simd} says which runs.
   */
  relaxedSimd?: boolean;
}

/** Elements of output × depth from which a matmul splits its rows over the threads. */
const MATMUL_PARALLEL_MIN = 1 << 18;

/**
 * A {@link Backend} whose kernels are WebAssembly SIMD compiled from AssemblyScript
 * (packages/autograd/assembly): a packed, register-blocked GEMM (4 × 8 float32 tiles, 4 × 4
 * float64) with a thin path for products with at most four output columns, broadcasting
 * elementwise ops, float64-accumulated sums, stable radix sorts, the fused pairwise passes
 * ({@link PairwiseKernels}) on the same micro-kernel and the fused sorted-row pass of the sliced
 * family. Synchronous, float32 and float64. float32 exp, log, sigmoid, acos, asin and atan2 are
 * SIMD polynomials within 4 ulp, sin and cos within 1 ulp (evaluated in f64x2 lanes); float64 atan2
 * is a SIMD rational approximation within 2 ulp; the other transcendentals are musl's float64
 * functions rounded once.
 *
 * Storage lives in the backend's own linear memory, in size-class pools: `dispose()` and
 * {@link tidy} return a block at once, garbage collection returns unreachable ones (after the
 * current task: a loop that awaits now and then stays flat even without tidy). Reads copy out.
 *
 * ```ts
 * const wasm = createWasmBackend();
 * const x = tensor([1, 2, 3], { backend: wasm });
 * x.exp().toArray();
 * ```
 */
export class WasmBackend implements Backend, PairwiseKernels {
  /** `wasm`. */
  readonly name = 'wasm';
  /** Reads need no await. */
  readonly synchronous = true;
  /** float32 and float64. */
  readonly dtypes: readonly DType[] = ['float32', 'float64'];
  private readonly ctx: WasmContext;
  private readonly pool: WorkerPool | null;
  private readonly threading: Omit<ThreadInfo, 'ready'>;
  /**
   * The build of the kernels in use: `relaxed-simd` where the engine has relaxed SIMD (Node 22+,
   * Chrome 114+, Node 20 with `--experimental-wasm-relaxed-simd`) and `relaxedSimd` is not false,
   * else `simd128`.
   */
  readonly simd: KernelVariant;

  /** @param opts memory and thread options */
  constructor(opts: WasmBackendOptions = {}) {
    const requested = checkThreads(opts.threads ?? 1);
    const reason = requested > 1 ? threadsUnavailable() : null;
    const threads = reason ? 1 : requested;
    const pages = Math.max(1, Math.ceil((opts.initialMiB ?? 1) * 16));
    // a shared memory cannot move when it grows, so its maximum is reserved up front: 2 GiB
    const memory = new WebAssembly.Memory(threads > 1 ? { initial: pages, maximum: 32768, shared: true } : { initial: pages, maximum: 65536 });
    if (opts.relaxedSimd !== undefined && typeof opts.relaxedSimd !== 'boolean') {
      throw new OptionError(`createWasmBackend: expected relaxedSimd to be true or false, got ${String(opts.relaxedSimd)}.`);
    }
    this.simd = opts.relaxedSimd !== false && relaxedSimdSupported() ? 'relaxed-simd' : 'simd128';
    const kernels: Kernels = instantiateKernels(memory, this.simd);
    const exports = kernels.exports;
    this.pool = threads > 1 ? new WorkerPool(kernelModule(true, this.simd), memory, threads) : null;
    this.threading = { threads, requested, reason };
    const pool = this.pool;
    this.ctx = {
      heap: new Heap(memory, kernels.heapBase()),
      kernels,
      parts: threads,
      parallel(name: ParallelExport, parts: number, argsFor: (part: number) => number[]): void {
        const local = exports[name]!;
        if (!pool || parts <= 1) for (let p = 0; p < parts; p++) local(...argsFor(p));
        else pool.run(name, parts, argsFor, local);
      },
    };
  }

  /** Threads in use and, when fewer than asked for, why. */
  threadInfo(): ThreadInfo {
    return { ...this.threading, ready: this.pool?.ready() ?? 0 };
  }

  /** Stops the worker threads (the backend must not be used afterwards). Never needed for Node to exit. */
  async destroy(): Promise<void> {
    await this.pool?.terminate();
  }

  /** Sizes of the linear memory, live blocks and free pool, bytes. */
  memoryStats(): HeapStats {
    return this.ctx.heap.stats();
  }

  upload(data: ArrayLike<number>, dtype: DType): Storage {
    const out = alloc(this.ctx, data.length, checkDtype('upload', dtype));
    out.view().set(data);
    return out;
  }

  async read(x: Storage): Promise<TypedArray> {
    const out = this.readSync(x);
    // after a collection the heap asked for, let its finalizers run: a loop that awaits only
    // reads never leaves the microtask queue, and its dropped tensors would never come back
    if (this.ctx.heap.takeCleanup()) await yieldToTasks();
    return out;
  }

  readSync(x: Storage): TypedArray {
    return own(this.ctx, 'read', x).view().slice();
  }

  dispose(x: Storage): void {
    own(this.ctx, 'dispose', x).dispose();
  }

  fill(size: number, value: number, dtype: DType): Storage {
    const out = alloc(this.ctx, size, checkDtype('fill', dtype));
    typed(this.ctx, dtype).fill(out.ptr, size, value);
    return out;
  }

  unary(op: UnaryOp, x: Storage): Storage {
    return ew.unary(this.ctx, op, x);
  }

  binary(op: BinaryOp, a: Storage, aShape: readonly number[], b: Storage, bShape: readonly number[], outShape: readonly number[]): Storage {
    return ew.binary(this.ctx, op, a, aShape, b, bShape, outShape);
  }

  where(cond: Storage, condShape: readonly number[], a: Storage, aShape: readonly number[], b: Storage, bShape: readonly number[],
    outShape: readonly number[]): Storage {
    return ew.where(this.ctx, cond, condShape, a, aShape, b, bShape, outShape, (c) => this.cast(c, a.dtype) as WasmStorage);
  }

  reduce(op: ReduceOp, xs: Storage, outer: number, len: number, inner: number): Storage {
    const x = own(this.ctx, `reduce.${op}`, xs);
    const out = alloc(this.ctx, outer * inner, x.dtype);
    withScratch(this.ctx, 8 * inner, (acc) => typed(this.ctx, x.dtype).reduce(reduceCodes.indexOf(op), out.ptr, x.ptr, outer, len, inner, acc));
    return out;
  }

  matmul(as_: Storage, bs_: Storage, batch: number, m: number, k: number, n: number, transA: boolean, transB: boolean): Storage {
    const a = own(this.ctx, 'matmul', as_), b = own(this.ctx, 'matmul', bs_);
    const dtype = sameDtype('matmul', [a, b]);
    const out = alloc(this.ctx, batch * m * n, dtype);
    if (batch * m * n === 0) return out;
    const kt = typed(this.ctx, dtype);
    const bytes = Math.ceil(kt.matmulScratch(k, n, transA ? 1 : 0) / 64) * 64;
    const parts = batch * m * n * k >= MATMUL_PARALLEL_MIN ? Math.min(this.ctx.parts, Math.ceil(m / 16)) : 1;
    const rows = Math.ceil(m / parts / 4) * 4; // whole micro-tile rows per part
    withScratch(this.ctx, parts * bytes, (s) => this.ctx.parallel(dtype === 'float64' ? 'matmul_f64' : 'matmul_f32', parts, (p) =>
      [a.ptr, b.ptr, out.ptr, batch, m, k, n, transA ? 1 : 0, transB ? 1 : 0, Math.min(m, p * rows), Math.min(m, (p + 1) * rows), s + p * bytes]));
    return out;
  }

  stridedCopy(x: Storage, outShape: readonly number[], strides: readonly number[], offset: number): Storage {
    return layout.stridedCopy(this.ctx, x, outShape, strides, offset);
  }

  stridedScatter(src: Storage, srcShape: readonly number[], size: number, strides: readonly number[], offset: number): Storage {
    return layout.stridedScatter(this.ctx, src, srcShape, size, strides, offset);
  }

  concat(xs: readonly Storage[], outer: number, lens: readonly number[], inner: number): Storage {
    return layout.concat(this.ctx, xs, outer, lens, inner);
  }

  gather(x: Storage, outer: number, len: number, inner: number, indices: Storage): Storage {
    return layout.gather(this.ctx, x, outer, len, inner, indices);
  }

  scatterAdd(g: Storage, outer: number, len: number, inner: number, indices: Storage): Storage {
    return layout.scatterAdd(this.ctx, g, outer, len, inner, indices);
  }

  sort(x: Storage, rows: number, len: number): { values: Storage; indices: Storage } {
    return layout.sort(this.ctx, x, rows, len);
  }

  pairwiseSum(x: Storage, n: number, d: number, kernel: PairKernel, withGrad: boolean): PairwiseSumResult {
    return pairwise.pairwiseSum(this.ctx, x, n, d, kernel, withGrad);
  }

  nearest(q: Storage, m: number, x: Storage, n: number, d: number, excludeSelf: boolean): NearestResult {
    // a set against itself: each pair once, by symmetry (half the products of the general sweep)
    if (q === x && excludeSelf && m === n && x instanceof WasmStorage && x.heap === this.ctx.heap && x.live && x.size === n * d) {
      return nearestSelf(this.ctx, x, n, d);
    }
    return pairwise.nearest(this.ctx, q, m, x, n, d, excludeSelf);
  }

  sortedRowLoss(theta: Storage, rows: number, len: number, kind: SortedRowLoss, input: SortedRowInput): SortedRowLossResult {
    return sortedRows.sortedRowLoss(this.ctx, theta, rows, len, kind, input);
  }

  /**
   * RiemannianAdam's fused update of every row of x (n × d) on the sphere, in new blocks of this
   * heap (threads split the rows); m, v, vMax are the previous state or null. Used by
   * `@keepdist/sphere`'s optimizers; 'composed' and 'overflow' outcomes leave nothing allocated.
   * With `reuseState` the new moments overwrite m, v and vMax, with `reuseX` the new point
   * overwrites x (see the preconditions there).
   */
  riemannianAdamRows(spec: AdamRowsSpec, x: Storage, grad: Storage, m: Storage | null, v: Storage | null,
    vMax: Storage | null, reuseState = false, reuseX = false): RowsOutcome<AdamRowsResult> {
    return sphereRows.adamRows(this.ctx, spec, x, grad, m, v, vMax, reuseState, reuseX);
  }

  /**
   * RiemannianSGD's fused update of every row of x (n × d), as {@link WasmBackend.riemannianAdamRows};
   * with `reuseState` the new momentum buffer, with `reuseX` the new point, overwrite m and x once
   * every row is done.
   */
  riemannianSgdRows(spec: SgdRowsSpec, x: Storage, grad: Storage, m: Storage | null, reuseState = false,
    reuseX = false): RowsOutcome<SgdRowsResult> {
    return sphereRows.sgdRows(this.ctx, spec, x, grad, m, reuseState, reuseX);
  }

  /** The flat index of the first NaN or ±∞ of a storage of this backend, or −1 (a SIMD scan, no copy). */
  firstNonFinite(xs: Storage): number {
    const x = own(this.ctx, 'firstNonFinite', xs);
    return this.ctx.kernels.exports[x.dtype === 'float64' ? 'firstNonFinite_f64' : 'firstNonFinite_f32']!(x.ptr, x.size);
  }

  cast(xs: Storage, dtype: DType): Storage {
    const x = own(this.ctx, 'cast', xs);
    const out = alloc(this.ctx, x.size, checkDtype('cast', dtype));
    const k = this.ctx.kernels;
    if (x.dtype === dtype) this.ctx.heap.u8().copyWithin(out.ptr, x.ptr, x.ptr + x.size * (dtype === 'float64' ? 8 : 4));
    else if (dtype === 'float64') k.castUp(out.ptr, x.ptr, x.size);
    else k.castDown(out.ptr, x.ptr, x.size);
    return out;
  }
}

/** A new {@link WasmBackend} (each has its own memory and kernels instance). */
export function createWasmBackend(opts: WasmBackendOptions = {}): WasmBackend {
  return new WasmBackend(opts);
}
