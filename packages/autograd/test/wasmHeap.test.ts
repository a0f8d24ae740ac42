// The wasm heap's size classes (src/backend/wasm/heap.ts): every block size has a class index
// that maps back to it, indices grow with the size, and finalizer keys (index · 2^32 + address)
// stay exact doubles; the allocator never hands out overlapping blocks, keeps its byte counts
// exact, and compacts its pool before it grows the memory, so that blocks freed in one class serve
// requests of another. Freeing by garbage collection itself is tested in wasmMemory.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap, blockSize, classIndex, classSize, largestClassWithin } from '../src/backend/wasm/heap.js';

describe('wasm heap size classes', () => {
  it('blockSize(b) ∈ [b, 1.25 b] and classSize(classIndex(s)) = s for requests up to 5e6 bytes and near 2^30 and 2^31; indices increase with s', () => {
    let last = -1, lastSize = 0;
    for (let bytes = 1; bytes <= 5e6; bytes += bytes < 5000 ? 1 : 97) {
      const s = blockSize(bytes);
      const c = classIndex(s);
      expect(classSize(c)).toBe(s);
      expect(s >= bytes && s <= Math.max(64, bytes * 1.25), `blockSize(${bytes}) = ${s}`).toBe(true);
      if (s > lastSize) {
        expect(c).toBeGreaterThan(last);
        [last, lastSize] = [c, s];
      }
    }
    for (const bytes of [2 ** 29 + 1, 2 ** 30 - 1, 2 ** 30, 2 ** 30 + 1, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 3 * 2 ** 30 + 5]) {
      const s = blockSize(bytes);
      expect(s >= bytes && s <= bytes * 1.25, `blockSize(${bytes}) = ${s}`).toBe(true);
      expect(classSize(classIndex(s))).toBe(s);
      expect(classIndex(s) * 2 ** 32 + (2 ** 32 - 64)).toBeLessThan(2 ** 53); // finalizer keys stay exact
    }
  });
});

describe('wasm heap allocator', () => {
  it('largestClassWithin(b) is the largest block size ≤ b, for every multiple of 16 from 64 to 2^17', () => {
    for (let b = 64; b <= 2 ** 17; b += 16) {
      const s = largestClassWithin(b);
      expect(s).toBeLessThanOrEqual(b);
      expect(classSize(classIndex(s))).toBe(s);
      expect(classSize(classIndex(s) + 1)).toBeGreaterThan(b);
    }
  });

  it('blocks freed in one class serve another once the pool is a quarter of the memory: the memory does not grow', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 4096 }), 0);
    const small = Array.from({ length: 4000 }, () => heap.alloc(1000));
    for (const p of small) heap.release(p, 1000);
    const before = heap.stats();
    expect(before.pooledBytes).toBe(4000 * blockSize(1000));
    const big = Array.from({ length: 1200 }, () => heap.alloc(3000)); // 3.6 MB of another class, inside the 4 MB pooled
    const after = heap.stats();
    expect(after.memoryBytes).toBe(before.memoryBytes);
    expect(after.liveBytes).toBe(1200 * blockSize(3000));
    expect(new Set(big).size).toBe(big.length);
  });

  it('property: any sequence of allocations and frees hands out disjoint blocks inside the memory, with exact live and pooled counts', () => {
    const op = fc.oneof(fc.record({ alloc: fc.integer({ min: 1, max: 70000 }) }), fc.record({ free: fc.nat() }));
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 300 }), (ops) => {
      const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 65536 }), 1024);
      const live: { ptr: number; bytes: number }[] = [];
      let freedBytes = 0;
      for (const o of ops) {
        if ('alloc' in o) {
          const ptr = heap.alloc(o.alloc), size = blockSize(o.alloc);
          expect(ptr % 16).toBe(0);
          expect(ptr >= 1024 && ptr + size <= heap.stats().memoryBytes).toBe(true);
          for (const b of live) expect(ptr + size <= b.ptr || b.ptr + blockSize(b.bytes) <= ptr, `block ${ptr}+${size} overlaps ${b.ptr}+${blockSize(b.bytes)}`).toBe(true);
          live.push({ ptr, bytes: o.alloc });
        } else if (live.length > 0) {
          const [b] = live.splice(o.free % live.length, 1);
          heap.release(b!.ptr, b!.bytes);
          freedBytes += blockSize(b!.bytes);
        }
      }
      const stats = heap.stats();
      expect(stats.liveBytes).toBe(live.reduce((a, b) => a + blockSize(b.bytes), 0));
      expect(stats.pooledBytes).toBeLessThanOrEqual(freedBytes);
    }), { seed: 7, numRuns: 200 });
  });
});
