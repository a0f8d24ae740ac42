/**
 * The wasm backend's storage: a block of the backend's linear memory, freed by dispose() or,
 * once unreachable, by garbage collection (the heap's FinalizationRegistry, keyed by a number; a
 * storage is registered only if it outlives the job that made it).
 */
import type { Storage } from '../backend.js';
import type { DType, TypedArray } from '../../dtype.js';
import { KeepdistError } from '../../errors.js';
import { blockSize, classIndex, type Heap, type Settling } from './heap.js';

/** Bytes per element. */
export function bytesOf(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4;
}

/** Blocks smaller than this many bytes are registered with the finalizer only if they outlive their job. */
const DEFER_BELOW = 256 * 1024;

/**
 * `size` elements of `dtype` at address `ptr` of a wasm backend's memory. Reads copy out;
 * using a disposed storage throws.
 */
export class WasmStorage implements Storage, Settling {
  private address: number;
  /** True once registered with the heap's finalizer (see {@link Heap.adopt}). */
  private registered = false;
  /** Bytes of the block (a size class of the heap) and its class index. */
  private readonly block: number;
  private readonly cls: number;
  /** True once a Tensor holds this storage. */
  held = false;
  /**
   * True once a second Tensor may share this storage (a `detach()`, a reshape view, an `assign`):
   * the optimizers then no longer write a parameter's new values into it in place.
   */
  aliased = false;

  /**
   * A new block of `size` elements (contents undefined).
   * @param heap the owning backend's heap
   * @param size elements
   * @param dtype element type
   */
  constructor(readonly heap: Heap, readonly size: number, readonly dtype: DType) {
    this.block = blockSize(size * bytesOf(dtype));
    this.cls = classIndex(this.block);
    this.address = heap.allocSized(this.block, this.cls);
    // registering costs about as much as a small op; a large block's op costs far more, and it is
    // registered at once, so that a dropped large block never waits in the heap's queue
    if (this.block < DEFER_BELOW) heap.adopt(this, this.block);
    else this.settle();
  }

  /** Registers this storage with the heap's finalizer if it still holds its block (once). */
  settle(): void {
    if (this.address < 0 || this.registered) return;
    this.registered = true;
    this.heap.finalizer.register(this, this.heap.key(this.address, this.cls), this);
  }

  /** The block's address; throws once disposed. */
  get ptr(): number {
    if (this.address < 0) throw new KeepdistError('wasm backend: expected a live storage, got one that was disposed. Keep tensors you still use (tidy frees what a scope made).');
    return this.address;
  }

  /** True until dispose(). */
  get live(): boolean {
    return this.address >= 0;
  }

  /** True after dispose() (ops check it first, so their error names the op). */
  get disposed(): boolean {
    return this.address < 0;
  }

  /** The elements as a view of the memory (valid until the next allocation). */
  view(): TypedArray {
    const p = this.ptr;
    return this.dtype === 'float64' ? this.heap.f64().subarray(p / 8, p / 8 + this.size) : this.heap.f32().subarray(p / 4, p / 4 + this.size);
  }

  /** Frees the block now (idempotent). */
  dispose(): void {
    if (this.address < 0) return;
    if (this.registered) this.heap.finalizer.unregister(this);
    this.heap.releaseSized(this.address, this.block, this.cls);
    this.address = -1;
  }
}
