/**
 * The slice of gpu.js 2.24.1 this backend uses, typed structurally (so the autograd package
 * type-checks and bundles without gpu.js), and how gpu.js is found at run time.
 */
import { KeepdistError } from '../../errors.js';

/** A device-resident kernel result: a GL `Texture` or a WebGPU buffer handle. */
export interface DeviceResult {
  /** Reads back (synchronously on GL, a Promise on WebGPU); 2-D outputs come back as rows. */
  toArray(): Float32Array | Float32Array[] | Promise<Float32Array | Float32Array[]>;
  /** Releases the device memory (reference-counted inside gpu.js). */
  delete(): void;
}

/**
 * gpu.js's WebGPU pipeline result (`WebGPUBufferResult`): the fields {@link flatVectorResult}
 * reads to relabel a vector-returning kernel's output.
 */
interface WebGpuBufferResult extends DeviceResult {
  readonly buffer: unknown;
  readonly output: number[];
  readonly componentCount: number;
  readonly context: unknown;
  readonly kernel: unknown;
  readonly constructor: new (settings: { buffer: unknown; output: number[]; componentCount: number; context: unknown; kernel: unknown }) => DeviceResult;
}

/**
 * The output of a WebGPU kernel that returns `Array(c)` as a flat 1-D result of `size` values: the
 * same buffer, whose cells hold their c components contiguously (`result[cell · c + k]`), so a
 * kernel over `[w, h]` returning c values per cell wrote row-major `h × (w·c)`. gpu.js takes
 * vector results as arguments only with one component per cell; the relabelled handle shares
 * the buffer (reference-counted) and `v` is released.
 */
export function flatVectorResult(v: KernelValue, size: number): KernelValue {
  const r = v as WebGpuBufferResult;
  if (typeof r !== 'object' || r === null || !('componentCount' in r) || r.componentCount === 1) return v;
  const flat = new r.constructor({ buffer: r.buffer, output: [size], componentCount: 1, context: r.context, kernel: r.kernel });
  r.delete();
  return flat;
}

/** What a kernel call returns, or what one accepts as an array argument. */
export type KernelValue = Float32Array | Float32Array[] | DeviceResult;

/** The backend kernel object behind a run shortcut (it changes when gpu.js falls back). */
export interface GpuJsKernel {
  /** The constructor carries the mode that actually runs, e.g. `webasm` or `cpu`. */
  readonly constructor: { readonly mode: string };
  /** Why gpu.js degraded this kernel to its cpu backend, or null/undefined. */
  readonly fallbackReason?: string | null;
  /** Single or unsigned (8-bit packed) precision, on the GL backends. */
  readonly precision?: string;
  /** Internal: the webasm worker pool (shared across kernels by this backend). */
  _pool?: unknown;
  /** Releases the kernel. */
  destroy(removeCanvasReferences?: boolean): void;
}

/** A compiled kernel: call it with arrays/results and numbers. */
export interface GpuJsShortcut {
  (...args: (KernelValue | number)[]): KernelValue | Promise<KernelValue>;
  /** The kernel that runs now. */
  readonly kernel: GpuJsKernel;
  /** Releases the kernel. */
  destroy(): void;
}

/** Settings this backend passes to `createKernel`. */
export interface GpuJsKernelSettings {
  output: number[];
  pipeline: boolean;
  immutable: boolean;
  precision: 'single';
  tactic: 'precision';
  loopMaxIterations: number;
  asyncMode: boolean;
  dynamicOutput: false;
  dynamicArguments: false;
}

/** A `GPU` instance. */
export interface GpuJsInstance {
  /** The mode gpu.js chose (the requested one, or the auto-selected one). */
  readonly mode: string;
  createKernel(source: string, settings: GpuJsKernelSettings): GpuJsShortcut;
  destroy(): Promise<void>;
}

/** The `GPU` class with the static feature probes this backend reads. */
export interface GpuJsClass {
  new (settings: { mode: string }): GpuJsInstance;
  readonly isHeadlessGLSupported: boolean;
  readonly isWebGL2Supported: boolean;
  readonly isWebGLSupported: boolean;
  readonly isWebGPUSupported: boolean;
  readonly isWebAssemblySupported: boolean;
  isWebGPUAvailable(): Promise<boolean>;
}

/** The gpu.js module (`import * as gpujs from 'gpu.js'`, or the browser bundle's global `GPU`). */
export interface GpuJsModule {
  readonly GPU: GpuJsClass;
  /** gpu.js's WebGL 2 kernels: its GL kernel classes all report the mode `gpu`, so they are told apart by class. */
  readonly WebGL2Kernel?: unknown;
  /** WebGL 1 kernels. */
  readonly WebGLKernel?: unknown;
  /** headless-gl kernels. */
  readonly HeadlessGLKernel?: unknown;
}

/**
 * The mode that runs `kernel`: its class's `mode`, except that gpu.js's GL kernel classes all
 * inherit `mode = 'gpu'` from their shared base class, so those are told apart by class.
 */
export function kernelModeOf(kernel: GpuJsKernel, gpujs: GpuJsModule): string {
  const ctor = kernel.constructor;
  if (ctor.mode !== 'gpu') return ctor.mode;
  if (ctor === gpujs.HeadlessGLKernel) return 'headlessgl';
  if (ctor === gpujs.WebGL2Kernel) return 'webgl2';
  if (ctor === gpujs.WebGLKernel) return 'webgl';
  return ctor.mode;
}

/** The browser bundle's global `GPU` (gpu.js's `dist/gpu-browser.js` loaded by a script tag), or null. */
export function globalGpuJs(): GpuJsModule | null {
  const global = (globalThis as { GPU?: unknown }).GPU as GpuJsModule | undefined;
  return global && typeof global.GPU === 'function' ? global : null;
}

/** Node's `require`, obtained without a static import of `node:module` (browsers never see it). */
type Require = ((id: string) => unknown) & { resolve(id: string): string };

/** A `require` that resolves from this file, via `process.getBuiltinModule` (Node ≥ 20.16). */
export function nodeRequire(): Require | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('module') as { createRequire?: (from: string) => Require } | undefined;
  return mod?.createRequire ? mod.createRequire(import.meta.url) : null;
}

/** Accepts the module or the class itself. */
function asModule(g: GpuJsModule | GpuJsClass): GpuJsModule {
  // the browser build's GPU class is also its module: every export is a static of it, GPU.GPU included
  if (typeof g === 'function' && (g as unknown as GpuJsModule).GPU !== g) return { GPU: g };
  return g as GpuJsModule;
}

/**
 * Finds gpu.js: the one passed in, else the browser bundle's global `GPU`, else `require('gpu.js')`
 * in Node. Throws a KeepdistError saying how to pass it when none is found.
 */
export function loadGpuJs(given?: GpuJsModule | GpuJsClass): GpuJsModule {
  if (given) return asModule(given);
  const global = globalGpuJs();
  if (global) return global;
  const req = nodeRequire();
  if (req) {
    try {
      return req('gpu.js') as GpuJsModule;
    } catch (e) {
      throw new KeepdistError(`gpu backend: expected the gpu.js package, got a failed require ('${(e as Error).message}'). Install gpu.js@2.24.1 or pass { gpu }.`);
    }
  }
  throw new KeepdistError(
    "gpu backend: expected gpu.js, got none (no { gpu } option, no global GPU, no Node require). Pass new GpuBackend({ mode, gpu: await import('gpu.js') }) or use createGpuBackend().",
  );
}

/** `await import('gpu.js')` with a computed specifier, so bundlers leave gpu.js out of the main bundle. */
export async function importGpuJs(): Promise<GpuJsModule> {
  const specifier = 'gpu.js';
  const mod = (await import(/* @vite-ignore */ specifier)) as GpuJsModule & { default?: GpuJsModule };
  return typeof mod.GPU === 'function' ? mod : mod.default!;
}
