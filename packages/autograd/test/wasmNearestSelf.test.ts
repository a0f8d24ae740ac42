// The wasm backend's nearest pass of a set against itself (src/backend/wasm/nearestSelf.ts, one
// storage as queries and rows with excludeSelf: the upper block triangle only, threads merged)
// against the general sweep of `nearest` on a copy of the rows (every query against every row):
// the same values and indices exactly, since each cosine is the same sum in the same order. Sizes
// across block edges (64 rows) and thread splits; repeated rows (ties: the lowest index) and NaN
// rows (a NaN wins, the lowest-index one).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { DType } from '@keepdist/autograd';
import { dtypes } from './wasmHelpers.js';

const RUNS = { seed: 20261201, numRuns: 25 };
const backends = [ag.createWasmBackend(), ag.createWasmBackend({ threads: 2 })];

/** n × d values from a seed, every third row a copy of row 0, and row `nanRow` NaN (−1: none). */
function rowsOf(n: number, d: number, seed: number, nanRow: number): number[] {
  const z = ag.createRng(seed).normalArray(n * d);
  const out = Array.from(z, (v, i) => (Math.floor(i / d) % 3 === 2 ? z[i % d]! : v));
  if (nanRow >= 0 && nanRow < n) out[nanRow * d] = NaN;
  return out;
}

describe('wasm nearest of a set against itself', () => {
  it('property: equals the general sweep (queries a copy of the rows) bit for bit, on one and two threads', () => {
    const cfg = fc.tuple(fc.constantFrom(2, 3, 63, 64, 65, 129, 200, 300, 520), fc.integer({ min: 1, max: 9 }), fc.integer(),
      fc.constantFrom(-1, -1, 0, 5, 150), fc.constantFrom(0, 1));
    fc.assert(fc.property(cfg, ([n, d, seed, nanRow, which]) => {
      const wasm = backends[which]!;
      const x = rowsOf(n, d, seed, nanRow);
      for (const dtype of dtypes as DType[]) {
        const s = wasm.upload(x, dtype);
        const self = wasm.nearest(s, n, s, n, d, true);
        const general = wasm.nearest(wasm.upload(x, dtype), n, s, n, d, true);
        expect(Array.from(wasm.readSync(self.values)), `values n=${n} d=${d} ${dtype}`).toEqual(Array.from(wasm.readSync(general.values)));
        expect(Array.from(wasm.readSync(self.indices)), `indices n=${n} d=${d} ${dtype}`).toEqual(Array.from(wasm.readSync(general.indices)));
      }
    }), RUNS);
  });

  it('edge: one row has no candidate (−∞, −1); two rows are each other\'s nearest', () => {
    const wasm = backends[0]!;
    const one = wasm.upload([1, 0], 'float64');
    const r1 = wasm.nearest(one, 1, one, 1, 2, true);
    expect([...wasm.readSync(r1.values), ...wasm.readSync(r1.indices)]).toEqual([-Infinity, -1]);
    const two = wasm.upload([1, 0, 0.6, 0.8], 'float64');
    const r2 = wasm.nearest(two, 2, two, 2, 2, true);
    expect([...wasm.readSync(r2.values), ...wasm.readSync(r2.indices)]).toEqual([0.6, 0.6, 1, 0]);
  });
});
