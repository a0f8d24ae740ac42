// The wasm heap's size classes (src/backend/wasm/heap.ts): every block size has a class index
// that maps back to it, indices grow with the size, and finalizer keys (index · 2^32 + address)
// stay exact doubles. Freeing by garbage collection itself is tested in wasmMemory.test.ts.
import { describe, expect, it } from 'vitest';
import { blockSize, classIndex, classSize } from '../src/backend/wasm/heap.js';

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
