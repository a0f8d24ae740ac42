/**
 * The gpu.js backend: every primitive of the cpu backend as a gpu.js kernel, float32.
 */
import type { Backend, BinaryOp, ReduceOp, Storage, UnaryOp } from '../backend.js';
import type { DType } from '../../dtype.js';
import { DTypeError, KeepdistError } from '../../errors.js';
import { globalGpuJs, loadGpuJs, importGpuJs, nodeRequire, type GpuJsClass, type GpuJsInstance, type GpuJsModule } from './gpujs.js';
import {
  checkMode, gpuModes, probeWebGPU, unavailableError, unavailableReason,
  type GpuMode, type InstalledGlobals, type ResolvedGpuMode,
} from './modes.js';
import { KernelRunner, checkSize, type KernelRecord } from './runner.js';
import { GpuStorage, toHost, type GpuMemoryStats } from './storage.js';
import * as ew from './elementwise.js';
import { reduce } from './reduce.js';
import { matmul } from './matmul.js';
import { concat, gather, scatterAdd, stridedCopy, stridedScatter } from './layout.js';
import { sortRows } from './sort.js';
import { checkGradientPath, pairwiseSum, type PairwiseGradientPath } from './pairwise.js';
import { nearest } from './pairwiseNearest.js';
import type { NearestResult, PairKernel, PairwiseSumResult } from '../pairwise.js';
import { composedSortedRowLoss, type SortedRowInput, type SortedRowLoss, type SortedRowLossResult } from '../sortedRows.js';

export { GpuStorage, type GpuMemoryStats } from './storage.js';
export { pairwiseGradientPaths, type PairwiseGradientPath } from './pairwise.js';
export { gpuModes, isDeviceMode, type GpuMode, type ResolvedGpuMode } from './modes.js';
export { maxElements, maxFloatIndex, type KernelRecord } from './runner.js';
export type { GpuJsModule, GpuJsClass } from './gpujs.js';

/** Options of {@link GpuBackend} and {@link createGpuBackend}. */
export interface GpuBackendOptions {
  /**
   * gpu.js mode, default `auto`. An explicit mode that cannot run here throws. `auto` takes the
   * first available of headlessgl, webgl2, webgl, webasm, cpu; {@link createGpuBackend}'s `auto`
   * first asks for a WebGPU adapter (which needs an await).
   */
  mode?: GpuMode;
  /**
   * The gpu.js module (`await import('gpu.js')`) or its `GPU` class. When omitted: the browser
   * bundle's global `GPU`, else `require('gpu.js')` in Node (gpu.js is never loaded until a
   * backend is made, so the cpu path and the browser bundle do not pay for it).
   */
  gpu?: GpuJsModule | GpuJsClass;
  /**
   * Run kernels under gpu.js's Promise contract: on webasm, outputs of at least `threadMinCells`
   * cells split over a worker pool (one pool shared by all kernels); webgpu is always async. The
   * backend is then asynchronous: `await t.data()` reads, `toArray()`/`item()` throw.
   */
  async?: boolean;
  /** Throw when gpu.js degrades a kernel to another mode (default: record it in {@link GpuBackend.kernels}). */
  strict?: boolean;
  /** webasm with `async`: smaller outputs run on the calling thread (default 16384). */
  threadMinCells?: number;
  /**
   * How the gradient of `pairwiseSum` is formed (default `auto`): `fused` recomputes the cosines
   * in registers and writes no tile, `tiles` writes k′ once per pair into a row-block tile and
   * multiplies it by X, `auto` takes whichever measured faster for the mode and row width (see
   * {@link PairwiseGradientPath}). Every path gives the same values to float32 rounding.
   */
  pairwiseGradient?: PairwiseGradientPath;
}

/** Globals (navigator.gpu in Node) a backend made by createGpuBackend installed, removed by destroy(). */
const installedBy = new WeakMap<GpuBackend, InstalledGlobals>();

/** The gpu backend's storage, or a clear error for any other. */
function gs(x: Storage): GpuStorage {
  if (x instanceof GpuStorage) return x;
  throw new KeepdistError(`gpu backend: expected a storage of this backend, got ${x?.constructor?.name ?? typeof x}. Move the tensor with toBackend().`);
}

/** Throws a DTypeError for anything but float32 (no silent precision drop). */
function float32Only(fn: string, dtype: DType): void {
  if (dtype !== 'float32') {
    throw new DTypeError(`${fn}: expected float32 on the gpu backend, got ${dtype}. The gpu backend stores float32 only; keep float64 tensors (gradient checks) on cpuBackend.`);
  }
}

/**
 * A {@link Backend} running every primitive as a gpu.js kernel in float32, in any gpu.js mode
 * (webgpu, webgl2, webgl, headlessgl, webasm, cpu). Kernels are generated per op and shape,
 * compiled once and cached; results stay where the kernel left them (textures, storage buffers)
 * and come back to the host only on `read`. Ops return tensors synchronously on every mode; on
 * asynchronous ones (webgpu, or `async: true`) a storage holds a pending kernel and later kernels
 * chain on it.
 *
 * ```ts
 * const gpu = new GpuBackend({ mode: 'webasm' });             // Node: loads gpu.js itself
 * const gpu2 = await createGpuBackend({ mode: 'webgpu' });     // probes the adapter first
 * const x = tensor([1, 2, 3], { backend: gpu });
 * await x.exp().data();
 * gpu.kernels();                                               // the mode each kernel ran on
 * ```
 *
 * The fused pairwise passes (pairwiseSum, nearest) run in row-block tiles of these kernels.
 * Sorting runs as a bitonic network on the device; index scatter-adds sort their indices and
 * binary-search them. The one host fallback: a `stridedScatter` whose strides are not
 * decodable largest-first (never produced by slice) is computed on the host and re-uploaded,
 * reported with mode `host`. Tensors are limited to {@link maxElements} elements; kernels that
 * decode flat indices in float32 variables (reductions, strided copies, gathers, sorts) to tensors
 * of {@link maxFloatIndex} elements, except on mode `cpu` (float64).
 */
export class GpuBackend implements Backend {
  /** `gpu:<mode>`, with `+async` under the Promise contract. */
  readonly name: string;
  /** True when reads need no await (every mode but webgpu, unless `async`). */
  readonly synchronous: boolean;
  /** float32 only: float64 tensors throw a DTypeError on this backend. */
  readonly dtypes: readonly DType[] = ['float32'];
  /** The mode kernels are compiled for (what `auto` resolved to). */
  readonly mode: ResolvedGpuMode;
  /** The mode that was asked for. */
  readonly requestedMode: GpuMode;
  /** How `pairwiseSum` forms its gradient ({@link GpuBackendOptions.pairwiseGradient}). */
  readonly pairwiseGradient: PairwiseGradientPath;
  private readonly gpu: GpuJsInstance;
  private readonly runner: KernelRunner;

  /** @param opts mode and loading options; throws a clear error for a mode that cannot run here */
  constructor(opts: GpuBackendOptions = {}) {
    this.requestedMode = checkMode(opts.mode ?? 'auto');
    this.pairwiseGradient = checkGradientPath(opts.pairwiseGradient ?? 'auto');
    const gpujs = loadGpuJs(opts.gpu);
    if (this.requestedMode === 'auto') {
      this.mode = gpuModes.find((m) => m !== 'webgpu' && unavailableReason(gpujs, m) === null) ?? 'cpu';
    } else {
      const why = unavailableReason(gpujs, this.requestedMode);
      if (why) throw unavailableError(this.requestedMode, why);
      this.mode = this.requestedMode;
    }
    const async = this.mode === 'webgpu' || (opts.async ?? false);
    this.synchronous = !async;
    this.name = `gpu:${this.mode}${async && this.mode !== 'webgpu' ? '+async' : ''}`;
    try {
      this.gpu = new gpujs.GPU({ mode: this.mode });
    } catch (e) {
      throw unavailableError(this.mode, (e as Error).message);
    }
    this.runner = new KernelRunner(this.gpu, gpujs, this.mode, { async, strict: opts.strict ?? false, threadMinCells: opts.threadMinCells ?? 16384 });
  }

  /** Every kernel compiled so far: primitive, shapes, the mode that actually ran it, fallback reason, calls. */
  kernels(): KernelRecord[] {
    return this.runner.records().map((r) => ({ ...r }));
  }

  /** Kernel key → the mode that actually ran it (with the reason when gpu.js fell back). */
  kernelModes(): Map<string, string> {
    return new Map(this.runner.records().map((r) => [r.key, r.fallbackReason ? `${r.mode} (fallback: ${r.fallbackReason})` : r.mode]));
  }

  /** Kernels that did not run on {@link mode} (gpu.js fallbacks and host fallbacks). */
  fallbacks(): KernelRecord[] {
    return this.kernels().filter((r) => r.mode !== this.mode);
  }

  /**
   * Device memory held by this backend's tensors (and intermediates) not yet freed, by `dispose`
   * or, for dropped ones, by garbage collection. 0 on the host modes, whose values are JS arrays.
   */
  memoryStats(): GpuMemoryStats {
    return { ...this.runner.memory };
  }

  /** Releases every kernel, the gpu.js instance and any globals createGpuBackend installed. */
  async destroy(): Promise<void> {
    this.runner.destroy();
    await this.gpu.destroy();
    installedBy.get(this)?.uninstall();
    installedBy.delete(this);
  }

  upload(data: ArrayLike<number>, dtype: DType): Storage {
    float32Only('upload', dtype);
    return this.runner.upload(Float32Array.from(data));
  }

  async read(x: Storage): Promise<Float32Array> {
    const s = gs(x);
    const v = await s.resolved();
    const h = await toHost(v, s.size);
    return v === h ? h.slice() : h;
  }

  readSync(x: Storage): Float32Array {
    const s = gs(x);
    const v = this.synchronous ? s.settled : undefined;
    const h = v === undefined ? undefined : toHost(v, s.size);
    if (h === undefined || h instanceof Promise) {
      throw new KeepdistError(`readSync: expected a synchronous backend, got '${this.name}'. Use await t.data() or await t.array().`);
    }
    return h;
  }

  dispose(x: Storage): void {
    gs(x).dispose();
  }

  fill(size: number, value: number, dtype: DType): Storage {
    float32Only('fill', dtype);
    checkSize('fill', size);
    return this.runner.upload(new Float32Array(size).fill(value));
  }

  unary(op: UnaryOp, x: Storage): Storage {
    return ew.unary(this.runner, op, gs(x));
  }

  binary(op: BinaryOp, a: Storage, aShape: readonly number[], b: Storage, bShape: readonly number[], outShape: readonly number[]): Storage {
    return ew.binary(this.runner, op, gs(a), aShape, gs(b), bShape, outShape);
  }

  where(cond: Storage, condShape: readonly number[], a: Storage, aShape: readonly number[], b: Storage, bShape: readonly number[],
    outShape: readonly number[]): Storage {
    return ew.where(this.runner, gs(cond), condShape, gs(a), aShape, gs(b), bShape, outShape);
  }

  reduce(op: ReduceOp, x: Storage, outer: number, len: number, inner: number): Storage {
    return reduce(this.runner, op, gs(x), outer, len, inner);
  }

  matmul(a: Storage, b: Storage, batch: number, m: number, k: number, n: number, transA: boolean, transB: boolean): Storage {
    return matmul(this.runner, gs(a), gs(b), batch, m, k, n, transA, transB);
  }

  stridedCopy(x: Storage, outShape: readonly number[], strides: readonly number[], offset: number): Storage {
    return stridedCopy(this.runner, gs(x), outShape, strides, offset);
  }

  stridedScatter(src: Storage, srcShape: readonly number[], size: number, strides: readonly number[], offset: number): Storage {
    return stridedScatter(this.runner, gs(src), srcShape, size, strides, offset);
  }

  concat(xs: readonly Storage[], outer: number, lens: readonly number[], inner: number): Storage {
    return concat(this.runner, xs.map(gs), outer, lens, inner);
  }

  gather(x: Storage, outer: number, len: number, inner: number, indices: Storage): Storage {
    return gather(this.runner, gs(x), outer, len, inner, gs(indices));
  }

  scatterAdd(g: Storage, outer: number, len: number, inner: number, indices: Storage): Storage {
    return scatterAdd(this.runner, gs(g), outer, len, inner, gs(indices));
  }

  sort(x: Storage, rows: number, len: number): { values: Storage; indices: Storage } {
    return sortRows(this.runner, gs(x), rows, len);
  }

  pairwiseSum(x: Storage, n: number, d: number, kernel: PairKernel, withGrad: boolean): PairwiseSumResult {
    return pairwiseSum(this.runner, gs(x), n, d, kernel, withGrad, this.pairwiseGradient);
  }

  nearest(q: Storage, m: number, x: Storage, n: number, d: number, excludeSelf: boolean): NearestResult {
    return nearest(this.runner, gs(q), m, gs(x), n, d, excludeSelf);
  }

  /** Composed from this backend's sort, elementwise, sum and scatter-add kernels. */
  sortedRowLoss(theta: Storage, rows: number, len: number, kind: SortedRowLoss, input: SortedRowInput): SortedRowLossResult {
    return composedSortedRowLoss(this, gs(theta), rows, len, kind, input);
  }

  cast(x: Storage, dtype: DType): Storage {
    float32Only('cast', dtype);
    return gs(x);
  }
}

/**
 * Makes a {@link GpuBackend} after the checks that need an await: loads gpu.js (a dynamic
 * import outside Node), and for `webgpu` (or `auto`, which tries it first) installs
 * `navigator.gpu` from the `webgpu` package in Node and asks for an adapter. An explicit mode
 * that cannot run throws `gpu backend: mode '<mode>' is not available here (<reason>)`.
 */
export async function createGpuBackend(opts: GpuBackendOptions = {}): Promise<GpuBackend> {
  const requested = checkMode(opts.mode ?? 'auto');
  const gpu = opts.gpu ?? globalGpuJs() ?? (nodeRequire() ? loadGpuJs() : await importGpuJs());
  const gpujs = loadGpuJs(gpu);
  let mode: GpuMode = requested;
  let installed: InstalledGlobals | null = null;
  if (requested === 'webgpu') installed = await probeWebGPU(gpujs);
  if (requested === 'auto') {
    try {
      installed = await probeWebGPU(gpujs);
      mode = 'webgpu';
    } catch {
      mode = 'auto';
    }
  }
  const backend = new GpuBackend({ ...opts, mode, gpu });
  if (installed) installedBy.set(backend, installed);
  return backend;
}
