/**
 * The wasm backend's allocator: blocks of linear memory in size classes (four per power of two,
 * so a block wastes at most a quarter), each class with a free list. Freed blocks are reused by
 * the next allocation of their class; the top of the heap grows the memory when no free block
 * fits. Before it grows, a pool that holds a quarter of the memory or more is compacted: adjacent
 * free blocks merge, a run that ends at the top gives its bytes back to it, long runs become
 * extents that requests of any class are cut from, short ones are cut into blocks of the size
 * classes again. So blocks freed in one class (a burst of garbage collection, say) serve requests
 * of another, and the memory stays near the peak of the live blocks instead of the sum of every
 * class's own peak. When the live blocks have grown by 64 MiB without coming down, the heap asks
 * the engine for a full garbage collection where it offers one (Node), so that a loop that never
 * disposes its tensors gets their blocks back; the next async read then waits for the event loop,
 * so that the collection's finalizers run even in a loop whose awaits are all microtasks. Nothing
 * is returned to the runtime.
 */
import { AllocationError, KeepdistError } from '../../errors.js';
import { fullCollector } from './collector.js';

/** Smallest block, bytes (also the alignment of every block: SIMD loads want 16). */
const MIN_BLOCK = 64;
const PAGE = 65536;
/** WebAssembly's 32-bit limit: 65536 pages of 64 KiB. */
const MAX_PAGES = 65536;

/** The block size that holds `bytes`: the next of 2^k · {1, 1.25, 1.5, 1.75}, at least 64. */
export function blockSize(bytes: number): number {
  if (bytes <= MIN_BLOCK) return MIN_BLOCK;
  // p = the largest power of two ≤ bytes (integer ops below 2^31, where every block size lies)
  const p = bytes < 2 ** 30 ? 1 << (31 - Math.clz32(bytes)) : bytes < 2 ** 31 ? 2 ** (31 - Math.clz32(bytes)) : 2 ** Math.floor(Math.log2(bytes));
  const step = p / 4;
  return Math.ceil(bytes / step) * step;
}

/** The index of a block size (one of blockSize's values): 4k + j for 2^k · (4 + j)/4. */
export function classIndex(size: number): number {
  if (size < 2 ** 30) {
    const k = 31 - Math.clz32(size);
    return 4 * k + (size >>> (k - 2)) - 4;
  }
  const k = size < 2 ** 31 ? 31 - Math.clz32(size) : Math.floor(Math.log2(size));
  return 4 * k + (size / 2 ** (k - 2) - 4);
}

/** The block size of a class index (the inverse of {@link classIndex}). */
export function classSize(index: number): number {
  const k = Math.floor(index / 4);
  return 2 ** (k - 2) * (4 + (index % 4));
}

/**
 * Growth of the live bytes, over their lowest value since the last requested collection, past
 * which the heap asks the engine for a full garbage collection (where it offers one: Node), so
 * that the blocks of tensors nobody disposed come back (their finalizers run once the current job
 * ends). A loop that disposes its tensors keeps its live bytes flat and never asks.
 */
const COLLECT_AFTER = 64 * 2 ** 20;

/** Free runs of at least this many bytes stay whole after a compaction, for requests of every class. */
const EXTENT_MIN = 65536;

/** The largest block size (a value of {@link blockSize}) of at most `bytes` ≥ 64 bytes. */
export function largestClassWithin(bytes: number): number {
  const size = blockSize(bytes);
  return size === bytes ? size : classSize(classIndex(size) - 1);
}

/** Finalizer keys: class index · 2^32 + address (exact: below 2^40). */
const KEY = 2 ** 32;

/**
 * Something the heap registers with its finalizer later: {@link Heap.adopt} queues it, and
 * `settle()`, called once the current job has run (or the queue is long), registers it if it still
 * holds its block.
 */
export interface Settling {
  settle(): void;
}

/**
 * Adopted storages waiting to be registered: past this many, or this many bytes of their blocks,
 * the queue settles at once (a long synchronous loop), so that the dropped blocks it holds stay bounded.
 */
const SETTLE_BATCH = 256;
const SETTLE_BYTES = 4 * 2 ** 20;

/** What `WasmBackend.memoryStats()` reports. */
export interface HeapStats {
  /** Size of the linear memory, bytes. */
  memoryBytes: number;
  /** Bytes in blocks handed out and not yet freed. */
  liveBytes: number;
  /** Bytes in free blocks waiting for reuse. */
  pooledBytes: number;
}

/** A size-class pool over one WebAssembly.Memory. */
export class Heap {
  private top: number;
  /** Free blocks per size class index. */
  private readonly free: number[][] = [];
  /** Free runs that any class is cut from, as start, end pairs (made by compaction). */
  private extents: number[] = [];
  private live = 0;
  private pooled = 0;
  /** The lowest live bytes since the last collection this heap asked for ({@link COLLECT_AFTER}). */
  private liveMark = 0;

  /** True from a requested collection until {@link Heap.takeCleanup} reports it. */
  private cleanupDue = false;

  /** Asks for a full collection (the blocks it frees return after the current job). */
  private collect(): void {
    this.liveMark = this.live;
    this.cleanupDue = true;
    fullCollector()?.();
  }

  /**
   * True once after each collection the heap asked for: its finalizers wait for a task of their
   * own, which a loop that only awaits settled promises (microtasks) never lets run, so the
   * backend's async read then yields to the event loop ({@link yieldToTasks}).
   */
  takeCleanup(): boolean {
    const due = this.cleanupDue;
    this.cleanupDue = false;
    return due;
  }
  private buffer: ArrayBuffer | null = null;
  private f32v = new Float32Array(0);
  private f64v = new Float64Array(0);
  private i32v = new Int32Array(0);
  private u8v = new Uint8Array(0);

  /**
   * @param memory the kernels' memory
   * @param base first byte the heap may hand out (after the module's static data)
   */
  constructor(readonly memory: WebAssembly.Memory, base: number) {
    this.top = Math.ceil(base / MIN_BLOCK) * MIN_BLOCK;
  }

  /**
   * Frees the blocks of storages that garbage collection found unreachable: a storage registers
   * itself with {@link Heap.key} of its block (a number, so registering allocates nothing more).
   */
  readonly finalizer = new FinalizationRegistry<number>((key) => this.releaseSized(key % KEY, classSize(Math.floor(key / KEY))));

  /**
   * Storages made since the last settle. Registering with a FinalizationRegistry costs about as
   * much as a small op itself, and most storages of a step are disposed (by tidy) within the job
   * that made them: only those still live when the job ends are registered.
   */
  private pending: Settling[] = [];
  private pendingBytes = 0;
  private readonly settleAll = (): void => {
    const list = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const s of list) s.settle();
  };

  /**
   * Queues `s` (holding a block of `bytes`) to {@link Settling.settle} after the current job, or
   * now when the queue is long.
   */
  adopt(s: Settling, bytes: number): void {
    const n = this.pending.push(s);
    this.pendingBytes += bytes;
    if (n === 1) queueMicrotask(this.settleAll);
    if (n >= SETTLE_BATCH || this.pendingBytes >= SETTLE_BYTES) this.settleAll();
  }

  private walk = { ptr: -1, bytes: 0 };

  /**
   * The block that strided-walk descriptors are written into (assembly/walk.ts), at least `bytes`
   * long: one per heap, kept and reused by every op (grown when a walk needs more).
   */
  walkBlock(bytes: number): number {
    if (bytes > this.walk.bytes) {
      if (this.walk.ptr >= 0) this.release(this.walk.ptr, this.walk.bytes);
      const size = blockSize(Math.max(bytes, 256));
      this.walk = { ptr: this.allocSized(size), bytes: size };
    }
    return this.walk.ptr;
  }

  /** The finalizer key of the block at `ptr` of size class `c`. */
  key(ptr: number, c: number): number {
    return c * KEY + ptr;
  }

  /** A block of at least `bytes` bytes (contents undefined); returns its address. */
  alloc(bytes: number): number {
    return this.allocSized(blockSize(bytes));
  }

  /** A block of exactly `size` bytes, a value of {@link blockSize} (of class `c`); returns its address. */
  allocSized(size: number, c = classIndex(size)): number {
    this.live += size;
    if (this.live - this.liveMark >= COLLECT_AFTER) this.collect();
    const pooled = this.fromPool(size, c);
    if (pooled >= 0) return pooled;
    const have = this.memory.buffer.byteLength;
    if (this.top + size > have && this.pooled >= have / 4) {
      this.compact();
      const merged = this.fromPool(size, c);
      if (merged >= 0) return merged;
    }
    const ptr = this.top;
    const end = ptr + size;
    if (end > have) {
      const pages = this.memory.buffer.byteLength / PAGE;
      const need = Math.ceil((end - have) / PAGE);
      const grow = Math.min(Math.max(need, Math.ceil(pages / 8)), MAX_PAGES - pages);
      try {
        if (grow < need) throw new RangeError('past the 4 GiB limit of 32-bit WebAssembly');
        this.memory.grow(grow);
        this.buffer = null; // the views are remade over the grown buffer
      } catch (e) {
        this.live -= size;
        throw new AllocationError(`wasm backend: expected room for ${size} more bytes, got a full memory of ${have} bytes (${(e as Error).message}). Free tensors with tidy() or dispose(), or use smaller batches.`);
      }
    }
    this.top = end;
    return ptr;
  }

  /**
   * Merges the free blocks: sorted by address, adjacent ones join into runs. A run that ends at the
   * top lowers the top; a run of at least {@link EXTENT_MIN} bytes becomes an extent that later
   * requests of any class are cut from; a shorter one is cut, largest class first, into blocks of
   * the size classes (class sizes are multiples of 16, so the tail left over is 0–48 bytes, which
   * stay unused).
   */
  private compact(): void {
    const ptrs: number[] = [], sizes: number[] = [];
    for (let c = 0; c < this.free.length; c++) {
      const list = this.free[c];
      if (!list || list.length === 0) continue;
      const size = classSize(c);
      for (const p of list) {
        ptrs.push(p);
        sizes.push(size);
      }
      list.length = 0;
    }
    for (let e = 0; e < this.extents.length; e += 2) {
      ptrs.push(this.extents[e]!);
      sizes.push(this.extents[e + 1]! - this.extents[e]!);
    }
    this.extents = [];
    const order = ptrs.map((_, i) => i).sort((a, b) => ptrs[a]! - ptrs[b]!);
    this.pooled = 0;
    const runs: number[] = [];
    for (let k = 0; k < order.length;) {
      const start = ptrs[order[k]!]!;
      let end = start + sizes[order[k]!]!;
      k++;
      while (k < order.length && ptrs[order[k]!] === end) end += sizes[order[k++]!]!;
      runs.push(start, end);
    }
    for (let r = runs.length - 2; r >= 0; r -= 2) {
      const start = runs[r]!, end = runs[r + 1]!;
      if (end === this.top) {
        this.top = start;
      } else if (end - start >= EXTENT_MIN) {
        this.extents.push(start, end);
        this.pooled += end - start;
      } else {
        for (let at = start; end - at >= MIN_BLOCK;) {
          const size = largestClassWithin(end - at);
          const c = classIndex(size);
          (this.free[c] ?? (this.free[c] = [])).push(at);
          this.pooled += size;
          at += size;
        }
      }
    }
  }

  /** A pooled block for a request of `size` bytes (class `c`): its free list's last, else one cut from an extent; −1 if none. */
  private fromPool(size: number, c: number): number {
    const list = this.free[c];
    if (list && list.length > 0) {
      this.pooled -= size;
      return list.pop()!;
    }
    return this.extents.length > 0 ? this.carve(size) : -1;
  }

  /** A block of `size` bytes cut from the front of the first extent that holds it, or −1. */
  private carve(size: number): number {
    const ex = this.extents;
    for (let e = 0; e < ex.length; e += 2) {
      const start = ex[e]!, end = ex[e + 1]!;
      if (end - start < size) continue;
      if (end - start - size < MIN_BLOCK) {
        ex.splice(e, 2); // the few bytes past the block stay unused
        this.pooled -= end - start;
      } else {
        ex[e] = start + size;
        this.pooled -= size;
      }
      return start;
    }
    return -1;
  }

  /** Returns the block at `ptr` (made by alloc(bytes)) to its free list. */
  release(ptr: number, bytes: number): void {
    this.releaseSized(ptr, blockSize(bytes));
  }

  /** Returns the block at `ptr` (made by allocSized(size), of class `c`) to its free list. */
  releaseSized(ptr: number, size: number, c = classIndex(size)): void {
    const list = this.free[c] ?? (this.free[c] = []);
    list.push(ptr);
    this.live -= size;
    this.pooled += size;
    if (this.live < this.liveMark) this.liveMark = this.live;
  }

  /** Sizes of the memory, the live blocks and the pool. */
  stats(): HeapStats {
    return { memoryBytes: this.memory.buffer.byteLength, liveBytes: this.live, pooledBytes: this.pooled };
  }

  /** Remakes the views after a grow (only this heap grows the memory: reading `memory.buffer` per call cost more). */
  private views(): void {
    if (this.buffer !== null) return;
    const b = this.memory.buffer;
    this.buffer = b;
    this.f32v = new Float32Array(b);
    this.f64v = new Float64Array(b);
    this.i32v = new Int32Array(b);
    this.u8v = new Uint8Array(b);
  }

  /** The memory as float32 (index = address / 4); valid until the next alloc. */
  f32(): Float32Array {
    this.views();
    return this.f32v;
  }
  /** The memory as float64 (index = address / 8); valid until the next alloc. */
  f64(): Float64Array {
    this.views();
    return this.f64v;
  }
  /** The memory as int32 (index = address / 4); valid until the next alloc. */
  i32(): Int32Array {
    this.views();
    return this.i32v;
  }
  /** The memory as bytes; valid until the next alloc. */
  u8(): Uint8Array {
    this.views();
    return this.u8v;
  }
}
