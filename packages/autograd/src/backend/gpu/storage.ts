import type { Storage } from '../backend.js';
import { KeepdistError } from '../../errors.js';
import type { DeviceResult, KernelValue } from './gpujs.js';

/** What `GpuBackend.memoryStats()` reports: the device results its storages hold and have not freed. */
export interface GpuMemoryStats {
  /** Bytes of those results (4 per float32 value). */
  liveBytes: number;
  /** How many storages hold one. */
  liveStorages: number;
}

/** A device result a storage holds, and the backend's counts it is part of. */
interface Held {
  readonly result: DeviceResult;
  readonly bytes: number;
  readonly memory: GpuMemoryStats | undefined;
}

/** Takes a held result out of its backend's counts. */
function uncount(h: Held): void {
  if (h.memory === undefined) return;
  h.memory.liveBytes -= h.bytes;
  h.memory.liveStorages--;
}

/** Frees a device result once the storage holding it is garbage collected. */
const finalizer = new FinalizationRegistry<Held>((h) => {
  uncount(h);
  try {
    h.result.delete();
  } catch {
    // the context may already be gone (gpu.destroy()); nothing left to free
  }
});

/** Device results are objects with `delete`; host values are Float32Arrays. */
function isDevice(v: KernelValue): v is DeviceResult {
  return !(v instanceof Float32Array) && !Array.isArray(v);
}

/**
 * The gpu backend's handle to `size` float32 values: a host Float32Array (webasm, cpu), a GL
 * texture or a WebGPU buffer handle (pipeline outputs that stay on the device between kernels),
 * or a Promise of one of these while an asynchronous kernel is in flight. Ops chain on pending
 * storages without waiting; only `read` awaits. Device memory is freed by `dispose` or when the
 * storage is garbage collected.
 */
export class GpuStorage implements Storage {
  /** Always float32: the gpu backend stores no other dtype. */
  readonly dtype = 'float32' as const;
  private value: KernelValue | null = null;
  private pending: Promise<KernelValue> | null = null;
  private failure: unknown = null;
  /** Kernels launched with this storage as an input that have not finished. */
  private uses = 0;
  /** `dispose` was called while the storage was pending or in use: free it once both end. */
  private disposeRequested = false;
  /** The device result this storage owns, once settled (null for host values and once freed). */
  private held: Held | null = null;

  /**
   * @param size number of elements
   * @param v the kernel result, or a Promise of it
   * @param memory the backend's counts, which a device result joins while this storage holds it
   */
  constructor(readonly size: number, v: KernelValue | Promise<KernelValue>, private readonly memory?: GpuMemoryStats) {
    if (v instanceof Promise) {
      this.pending = v.then(
        (r) => {
          this.settle(r);
          return r;
        },
        (e: unknown) => {
          this.failure = e;
          this.pending = null;
          throw e;
        },
      );
      this.pending.catch(() => undefined); // never an unhandled rejection: the error surfaces on read
    } else {
      this.settle(v);
    }
  }

  /** True once `dispose` was called: kernels and reads must not use it any more. */
  get disposed(): boolean {
    return this.disposeRequested;
  }

  private settle(r: KernelValue): void {
    this.value = r;
    this.pending = null;
    if (isDevice(r)) {
      this.held = { result: r, bytes: 4 * this.size, memory: this.memory };
      if (this.memory) {
        this.memory.liveBytes += this.held.bytes;
        this.memory.liveStorages++;
      }
      finalizer.register(this, this.held, this);
    }
    this.freeIfReleased();
  }

  /** The settled value, or undefined while pending; throws the kernel's error if it failed. */
  get settled(): KernelValue | undefined {
    if (this.failure !== null) throw this.failure;
    return this.value ?? undefined;
  }

  /** The value once settled (rejects with the error of a failed kernel). */
  resolved(): Promise<KernelValue> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return this.pending ?? Promise.resolve(this.value!);
  }

  /** True while the producing kernel is in flight. */
  get isPending(): boolean {
    return this.pending !== null;
  }

  /** Marks a kernel launched with this storage as an input; {@link release} when it has run. */
  retain(): void {
    this.uses++;
  }

  /** Ends a {@link retain}; frees the storage if it was disposed meanwhile. */
  release(): void {
    this.uses--;
    this.freeIfReleased();
  }

  /**
   * Frees device memory; the storage must not be used afterwards (a later read or kernel gets a
   * clear error). When the producing kernel is still in flight, or kernels reading this storage
   * have not run yet, the memory is freed as soon as they are done.
   */
  dispose(): void {
    if (this.disposeRequested) return;
    this.disposeRequested = true;
    this.freeIfReleased();
  }

  /**
   * Hands the value, once settled, to a new owner (a storage made from it): this storage is spent
   * as if disposed, but frees nothing, so its collection cannot free the new owner's result.
   */
  async take(): Promise<KernelValue> {
    const v = await this.resolved();
    this.disown();
    this.disposeRequested = true;
    this.spend();
    return v;
  }

  private freeIfReleased(): void {
    if (!this.disposeRequested || this.uses > 0 || this.pending !== null) return;
    const h = this.held;
    this.disown();
    h?.result.delete();
    this.spend();
  }

  /** Drops the held result from the counts and the finalizer, without freeing it. */
  private disown(): void {
    if (this.held === null) return;
    finalizer.unregister(this);
    uncount(this.held);
    this.held = null;
  }

  /** Forgets the value: later reads and kernels get a clear error. */
  private spend(): void {
    this.value = null;
    this.failure ??= new KeepdistError('gpu backend: expected a live storage, got one that was disposed. Keep tensors you still use.');
  }
}

/** Flattens what a read or a kernel returns (2-D outputs come as rows) into one Float32Array. */
export function flatten(v: Float32Array | Float32Array[], size: number): Float32Array {
  if (v instanceof Float32Array) return v.length === size ? v : v.slice(0, size);
  const out = new Float32Array(size);
  let at = 0;
  for (const row of v) {
    out.set(row.length + at > size ? row.subarray(0, size - at) : row, at);
    at += row.length;
  }
  return out;
}

/** Reads a settled value to the host (GL textures synchronously, WebGPU handles through a Promise). */
export function toHost(v: KernelValue, size: number): Float32Array | Promise<Float32Array> {
  if (v instanceof Float32Array || Array.isArray(v)) return flatten(v, size);
  const r = v.toArray();
  return r instanceof Promise ? r.then((a) => flatten(a, size)) : flatten(r, size);
}
