// The cache-blocked cpu matmul against a textbook triple loop in float64, on shapes that cross
// the 4 × 4 tile edges and the 256-deep packing blocks, with every transpose flag.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpuBackend, createRng } from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';

function naive(a: Float64Array, b: Float64Array, m: number, k: number, n: number, ta: boolean, tb: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (ta ? a[p * m + i]! : a[i * k + p]!) * (tb ? b[j * k + p]! : b[p * n + j]!);
    c[i * n + j] = s;
  }
  return c;
}

describe('cpu matmul kernel', () => {
  it('equals the triple loop for random sizes and transpose flags (float64, batched)', () => {
    const rng = createRng(7);
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 2 }), fc.boolean(), fc.boolean(), (m, k, n, batch, ta, tb) => {
        const a = rng.normalArray(batch * m * k), b = rng.normalArray(batch * k * n);
        const c = cpuBackend.readSync(cpuBackend.matmul(cpuBackend.upload(a, 'float64'), cpuBackend.upload(b, 'float64'), batch, m, k, n, ta, tb));
        for (let t = 0; t < batch; t++) {
          const ref = naive(a.subarray(t * m * k, (t + 1) * m * k), b.subarray(t * k * n, (t + 1) * k * n), m, k, n, ta, tb);
          assertClose(`matmul ${m}x${k}x${n} ta=${ta} tb=${tb}`, c.subarray(t * m * n, (t + 1) * m * n), ref, { rtol: 1e-13, zeroAtol: 1e-13 });
        }
      }), { seed: 3, numRuns: 40 });
  });
  it('float32 inputs accumulate in float64 and round once', () => {
    const k = 1000;
    const a = new Float32Array(k).fill(0.1), b = new Float32Array(k).fill(1);
    const c = cpuBackend.readSync(cpuBackend.matmul(cpuBackend.upload(a, 'float32'), cpuBackend.upload(b, 'float32'), 1, 1, k, 1, false, false));
    expect(c[0]).toBe(Math.fround(k * Math.fround(0.1)));
  });
});
