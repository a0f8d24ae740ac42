// The wasm backend's nearest pass for few queries against many rows (Lloyd's samples against the
// points): on two threads the rows, not the queries, are split, and each query keeps the best of
// the parts. It must give what one thread gives bit for bit (each cosine is the same sum in the
// same order), including ties across the split (a copy of an early row late in X: the lowest
// index wins) and NaN rows (the first NaN wins), with or without an edge block of rows.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';

const one = ag.createWasmBackend();
const two = ag.createWasmBackend({ threads: 2 });
const unavailable = two.threadInfo().reason;
if (unavailable) console.log(`wasm nearest rows split: skipping the two-thread comparisons: ${unavailable}`);

/** n × d unit rows from a seed; row `copyTo` a copy of row `copyFrom`; row `nanRow` NaN (−1: none). */
function rowsOf(n: number, d: number, seed: number, copyFrom: number, copyTo: number, nanRow: number): Float64Array {
  const x = ag.createRng(seed).normalArray(n * d);
  for (let i = 0; i < n; i++) {
    const r = Math.hypot(...x.subarray(i * d, i * d + d));
    for (let j = i * d; j < i * d + d; j++) x[j] = x[j]! / r;
  }
  x.copyWithin(copyTo * d, copyFrom * d, copyFrom * d + d);
  if (nanRow >= 0) x[nanRow * d + 1] = NaN;
  return x;
}

describe.skipIf(unavailable !== null)('wasm nearest, few queries against many rows on two threads', () => {
  it('property: equals one thread bit for bit (values and indices), ties across the split to the lowest index', () => {
    const cfg = fc.tuple(fc.constantFrom(64, 100, 127), fc.constantFrom(4096, 4100, 5000), fc.constantFrom(8, 9, 16), fc.integer(),
      fc.integer({ min: 0, max: 200 }), fc.constantFrom(-1, -1, 3000));
    fc.assert(fc.property(cfg, ([m, n, d, seed, copyFrom, nanRow]) => {
      const x = rowsOf(n, d, seed, copyFrom, n - 1 - copyFrom, nanRow);
      // m · n · d ≥ 2^21: the sizes at which the rows are split. The queries: rows of X itself (so the copies tie exactly), and a few fresh ones
      const q = new Float64Array(m * d);
      for (let k = 0; k < m; k++) q.set(k % 2 === 0 ? x.subarray(copyFrom * d, copyFrom * d + d) : ag.createRng(seed + k).normalArray(d), k * d);
      for (const dtype of ['float32', 'float64'] as const) {
        const r1 = one.nearest(one.upload(q, dtype), m, one.upload(x, dtype), n, d, false);
        const r2 = two.nearest(two.upload(q, dtype), m, two.upload(x, dtype), n, d, false);
        const i1 = Array.from(one.readSync(r1.indices));
        expect(Array.from(two.readSync(r2.indices)), `indices m=${m} n=${n} ${dtype}`).toEqual(i1);
        expect(Array.from(two.readSync(r2.values)), `values m=${m} n=${n} ${dtype}`).toEqual(Array.from(one.readSync(r1.values)));
        if (nanRow < 0) expect(i1[0], 'a query equal to row copyFrom finds it, not its later copy').toBe(copyFrom);
        else expect(i1[0], 'the NaN row wins').toBe(nanRow);
      }
    }), { seed: 20261202, numRuns: 12 });
  });
});
