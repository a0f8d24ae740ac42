// WasmBackend.firstNonFinite (the SIMD scan the optimizers' gradient check uses): the index of the
// first NaN or ±∞ equals a plain loop's, for lengths across the 4-vector chunks, both dtypes, any
// number of bad values; −1 when all are finite (large finite values included).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';

const wasm = ag.createWasmBackend();

describe('wasm firstNonFinite', () => {
  it('property: equals the first index a loop finds (x − x ≠ 0), or −1', () => {
    const cfg = fc.tuple(fc.integer({ min: 0, max: 70 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity)), { maxLength: 3 }),
      fc.constantFrom<ag.DType>('float32', 'float64'), fc.integer());
    fc.assert(fc.property(cfg, ([n, bad, dtype, seed]) => {
      const x = Array.from(ag.createRng(seed).normalArray(n), (v) => v * 1e30);
      for (const [at, v] of bad) if (n > 0) x[at % n] = v;
      const s = wasm.upload(x, dtype), stored = wasm.readSync(s);
      const want = Array.from(stored).findIndex((v) => v - v !== 0);
      expect(wasm.firstNonFinite(s)).toBe(want);
    }), { seed: 20261201, numRuns: 200 });
  });
});
