/**
 * Compiles, caches and calls gpu.js kernels; records which mode actually ran each one.
 */
import { KeepdistError, ShapeError } from '../../errors.js';
import { flatVectorResult, kernelModeOf, type GpuJsInstance, type GpuJsModule, type GpuJsShortcut, type KernelValue } from './gpujs.js';
import { isDeviceMode, type ResolvedGpuMode } from './modes.js';
import { GpuStorage, flatten, toHost, type GpuMemoryStats } from './storage.js';
import { divmod, kernelSource } from './codegen.js';

/**
 * Most elements of one gpu tensor: 2^31 − 1, the reach of the int32 thread ids and output offsets
 * gpu.js computes (webgpu's buffer limits may refuse less; gpu.js then says so).
 */
export const maxElements = 2 ** 31 - 1;

/**
 * Largest index a kernel may compute in float32 arithmetic: 2^24, below which float32 integers are
 * exact. gpu.js declares every kernel variable float32 on the GPU modes and webasm (WebGL has no
 * other arithmetic), so a kernel that decodes or offsets a flat index in variables is limited to
 * tensors of 2^24 elements; thread ids used inline, and the output offset gpu.js derives from
 * them, are int32. The cpu mode computes in float64 and has no such limit.
 */
export const maxFloatIndex = 2 ** 24;

/** One kernel to compile: its source, output layout and a cache key naming op and shapes. */
export interface KernelSpec {
  /** Backend primitive, e.g. `binary.add`, for reports and errors. */
  primitive: string;
  /** Cache key: the primitive plus everything baked into the source. */
  key: string;
  /** Kernel source (see codegen.ts). */
  source: string;
  /** gpu.js output: `[n]`, or `[w, h]` where `thread.y` should stay uniform across SIMD lanes. */
  output: number[];
  /** Longest loop in the source (GL unrolls loops up to this bound). */
  loopMax?: number;
  /**
   * Largest index the source computes in float32 variables (checked against
   * {@link maxFloatIndex}); default: the output's and every input's size. 0 for a kernel that
   * indexes only with inline thread ids. The GL modes always use the default.
   */
  floatIndex?: number;
  /**
   * Values each thread returns (`return [v0, …]`): c = 2 or 4 for a kernel over `[w, h]` that
   * writes row-major `h × c·w`. On webgpu the result is relabelled flat; on the GL modes (1-D
   * outputs only) it is a texture of c-vectors that one more kernel lays out flat. Not on the
   * host modes. Default 1.
   */
  components?: 2 | 4;
}

/** Which mode ran one cached kernel, and how often it was called. */
export interface KernelRecord {
  /** Cache key (primitive and shapes). */
  readonly key: string;
  /** Backend primitive. */
  readonly primitive: string;
  /** The gpu.js mode that actually ran it (`host` for the documented host fallbacks). */
  mode: string;
  /** Why gpu.js degraded it, when it did. */
  fallbackReason: string | null;
  /** Calls so far. */
  calls: number;
}

/** Options of a {@link KernelRunner}. */
export interface RunnerOptions {
  /** Run kernels under gpu.js's Promise contract (webasm: worker threads for big outputs). */
  async: boolean;
  /** Throw when gpu.js degrades a kernel to another mode, instead of only recording it. */
  strict: boolean;
  /** webasm under `async`: outputs with fewer cells run synchronously (threads cost a round trip). */
  threadMinCells: number;
}

/** A cached kernel and its record. */
interface Entry {
  run: GpuJsShortcut;
  record: KernelRecord;
}

/** Checks a tensor size against {@link maxElements}. */
export function checkSize(primitive: string, size: number): void {
  if (size > maxElements) {
    throw new ShapeError(`gpu backend: expected at most ${maxElements} elements per tensor in '${primitive}' (int32 thread ids), got ${size}. Split the work or use the cpu backend.`);
  }
}

/**
 * True on the modes whose thread ids and array indices are integers (webgpu and webasm int32,
 * cpu float64); the GL modes address textures in float32 whatever the source says.
 */
export function hasIntIndices(mode: ResolvedGpuMode): boolean {
  return mode === 'webgpu' || mode === 'webasm' || mode === 'cpu';
}

/** Checks the largest float32-computed index of a kernel against {@link maxFloatIndex} (the cpu mode computes in float64). */
export function checkFloatIndex(primitive: string, mode: ResolvedGpuMode, bound: number): void {
  if (mode !== 'cpu' && bound > maxFloatIndex) {
    throw new ShapeError(`gpu backend: expected tensors of at most ${maxFloatIndex} elements in '${primitive}' on ${mode} (its kernel computes indices in float32, exact below 2^24), got ${bound}. Split the work, or use mode 'cpu' or the cpu backend.`);
  }
}

/** The kernel cache and call path of one {@link GpuBackend}. */
export class KernelRunner {
  private readonly cache = new Map<string, Entry>();
  /** Device results held by this runner's storages (see {@link GpuMemoryStats}). */
  readonly memory: GpuMemoryStats = { liveBytes: 0, liveStorages: 0 };
  private readonly hostRecords = new Map<string, KernelRecord>();
  private sharedPool: unknown = null;

  constructor(private readonly gpu: GpuJsInstance, private readonly gpujs: GpuJsModule, readonly mode: ResolvedGpuMode,
    private readonly opts: RunnerOptions) {}

  /** Every kernel compiled so far, with the mode that ran it. */
  records(): KernelRecord[] {
    return [...[...this.cache.values()].map((e) => e.record), ...this.hostRecords.values()];
  }

  /** Runs `spec` on `inputs` (then `scalars`); the result stays where the kernel put it. */
  run(spec: KernelSpec, inputs: readonly GpuStorage[], scalars: readonly number[] = []): GpuStorage {
    if (spec.components !== undefined && this.mode !== 'webgpu') return this.runVectors(spec, inputs, scalars);
    const size = spec.output.reduce((a, b) => a * b, spec.components ?? 1);
    checkSize(spec.primitive, size);
    const natural = Math.max(size, ...inputs.map((x) => x.size));
    checkFloatIndex(spec.primitive, this.mode, hasIntIndices(this.mode) ? spec.floatIndex ?? natural : natural);
    if (size === 0) return new GpuStorage(0, new Float32Array(0));
    const entry = this.kernel(spec, size);
    const call = (vals: KernelValue[]): KernelValue | Promise<KernelValue> => {
      entry.record.calls++;
      const r = entry.run(...vals, ...scalars);
      this.check(entry);
      return r instanceof Promise ? r.then((v) => this.normalize(entry, v, size)) : this.normalize(entry, r, size);
    };
    // gpu.js cannot take empty arrays; a kernel with an empty operand never reads it
    const args = inputs.map((x) => (x.size === 0 ? new GpuStorage(1, new Float32Array(1)) : x));
    const now = args.map((x) => x.settled);
    const result = now.every((v) => v !== undefined) ? call(now as KernelValue[]) : Promise.all(args.map((x) => x.resolved())).then(call);
    // inputs disposed while this kernel waits (or runs, under async) are freed once it is done
    if (result instanceof Promise) {
      for (const x of args) x.retain();
      const done = (): void => { for (const x of args) x.release(); };
      result.then(done, done);
    }
    return new GpuStorage(size, result, this.memory);
  }

  /**
   * The documented host fallback: reads `inputs` back, computes `fn` on the host and uploads the
   * result. Synchronous when every input can be read synchronously.
   */
  host(primitive: string, key: string, inputs: readonly GpuStorage[], size: number,
    fn: (xs: Float32Array[]) => Float32Array): GpuStorage {
    const record = this.hostRecords.get(key) ?? { key, primitive, mode: 'host', fallbackReason: null, calls: 0 };
    this.hostRecords.set(key, record);
    record.calls++;
    const reads = inputs.map((x) => {
      const v = x.settled;
      return v === undefined ? x.resolved().then((r) => toHost(r, x.size)) : toHost(v, x.size);
    });
    if (reads.every((r) => r instanceof Float32Array)) return this.upload(fn(reads as Float32Array[]));
    return new GpuStorage(size, Promise.all(reads).then((xs) => this.upload(fn(xs)).take()), this.memory);
  }

  /**
   * A kernel returning c values per thread on a GL mode: gpu.js keeps its result as a texture of
   * c-vectors, which one more kernel reads cell by cell into the flat layout (one read and one
   * write per value, against the loads the vector kernel shares among its c outputs).
   */
  private runVectors(spec: KernelSpec, inputs: readonly GpuStorage[], scalars: readonly number[]): GpuStorage {
    const c = spec.components!;
    if (!isDeviceMode(this.mode) || spec.output.length !== 1) {
      throw new KeepdistError(`gpu backend: '${spec.primitive}' expected a 1-D output on webgpu or a GL mode for a kernel returning ${c} values, got [${spec.output.join(', ')}] on ${this.mode}.`);
    }
    const cells = spec.output[0]!;
    checkFloatIndex(spec.primitive, this.mode, c * cells);
    const { components: _, ...one } = spec;
    const vectors = this.run(one, inputs, scalars);
    const pick = Array.from({ length: c }, (_, u) => (u < c - 1 ? `if (u === ${u}) { return v[${u}]; }` : `return v[${u}];`));
    const flat = this.run({
      primitive: spec.primitive, key: `flatten${c}[${cells}]`, output: [c * cells],
      source: kernelSource(['a'], ['const t = this.thread.x;', ...divmod('t', c, 'cell', 'u', true), 'const v = a[cell];', ...pick]),
    }, [vectors]);
    vectors.dispose();
    return flat;
  }

  /** A storage holding a copy of `data`: a host array, or a device copy on GPU modes. */
  upload(data: Float32Array): GpuStorage {
    checkSize('upload', data.length);
    if (!isDeviceMode(this.mode) || data.length === 0) return new GpuStorage(data.length, data);
    const n = data.length;
    const spec: KernelSpec = { primitive: 'upload', key: `upload[${n}]`, output: [n], floatIndex: 0, source: kernelSource(['x'], ['return x[this.thread.x];']) };
    return this.run(spec, [new GpuStorage(n, data)]);
  }

  /** Releases every kernel and the shared worker pool. */
  destroy(): void {
    for (const { run } of this.cache.values()) {
      if (run.kernel._pool === this.sharedPool) run.kernel._pool = null; // released once, below
      run.destroy();
    }
    this.cache.clear();
    (this.sharedPool as { destroy?: () => void } | null)?.destroy?.();
    this.sharedPool = null;
  }

  private kernel(spec: KernelSpec, size: number): Entry {
    const hit = this.cache.get(spec.key);
    if (hit) return hit;
    const asyncMode = this.mode === 'webgpu' || (this.opts.async && (this.mode !== 'webasm' || size >= this.opts.threadMinCells));
    const run = this.gpu.createKernel(spec.source, {
      output: spec.output, pipeline: true, immutable: true, precision: 'single', tactic: 'precision',
      loopMaxIterations: Math.max(1, spec.loopMax ?? 1), asyncMode, dynamicOutput: false, dynamicArguments: false,
    });
    // gpu.js gives every threaded webasm kernel its own worker pool; one shared pool keeps the
    // thread count at the core count however many kernels are cached (entry ids are global)
    if (asyncMode && this.mode === 'webasm' && this.sharedPool && run.kernel._pool === null) run.kernel._pool = this.sharedPool;
    const entry: Entry = { run, record: { key: spec.key, primitive: spec.primitive, mode: this.mode, fallbackReason: null, calls: 0 } };
    this.cache.set(spec.key, entry);
    return entry;
  }

  /** Records the mode that ran; throws on a precision drop, and on any fallback when strict. */
  private check(entry: Entry): void {
    const k = entry.run.kernel;
    if (this.mode === 'webasm' && !this.sharedPool && k._pool) this.sharedPool = k._pool;
    const mode = kernelModeOf(k, this.gpujs);
    entry.record.mode = mode;
    entry.record.fallbackReason = k.fallbackReason ?? null;
    if (isDeviceMode(this.mode) && k.precision !== undefined && k.precision !== 'single') {
      throw new KeepdistError(`gpu backend: kernel '${entry.record.primitive}' expected single precision on ${this.mode}, got '${k.precision}' (8-bit packed). This device has no float textures; use mode 'webasm' or the cpu backend.`);
    }
    if (this.opts.strict && mode !== this.mode) {
      throw new KeepdistError(`gpu backend: kernel '${entry.record.key}' expected to run on ${this.mode}, got a fallback to ${mode} (${entry.record.fallbackReason ?? 'no reason given'}). Report it, or create the backend with strict: false.`);
    }
  }

  /** Host results of 2-D kernels come back as rows: one flat array instead. */
  private normalize(entry: Entry, v: KernelValue, size: number): KernelValue {
    if (kernelModeOf(entry.run.kernel, this.gpujs) !== entry.record.mode) this.check(entry); // switched while in flight
    return Array.isArray(v) ? flatten(v, size) : flatVectorResult(v, size);
  }
}
