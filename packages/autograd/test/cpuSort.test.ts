// The cpu backend's row sort: short rows by insertion, long ones by the engine's sort, both the
// stable ascending order (NaN last, ties and ±0 by index) that a plain comparator sort gives.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';

/** The reference: stable sort of the indices by value, NaN last, ties by index. */
function referenceOrder(row: number[]): number[] {
  return row.map((_, i) => i).sort((i, j) => {
    const a = row[i]!, b = row[j]!;
    const an = Number.isNaN(a), bn = Number.isNaN(b);
    if (an !== bn) return an ? 1 : -1;
    if (!an && a !== b) return a < b ? -1 : 1;
    return i - j;
  });
}

describe('cpu backend sort', () => {
  it('rows of every length up to 40 (both sort paths), with repeats, ±0 and NaN: the stable order', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 0.5));
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 40 }), fc.array(value, { minLength: 120, maxLength: 120 }),
      (rows, len, pool) => {
        const data = pool.slice(0, rows * len);
        const { values, indices } = ag.cpuBackend.sort(ag.cpuBackend.upload(data, 'float64'), rows, len);
        const v = ag.cpuBackend.readSync(values), idx = ag.cpuBackend.readSync(indices);
        for (let r = 0; r < rows; r++) {
          const row = data.slice(r * len, (r + 1) * len);
          const want = referenceOrder(row);
          expect(Array.from(idx.subarray(r * len, (r + 1) * len))).toEqual(want);
          want.forEach((k, j) => expect(Object.is(v[r * len + j], row[k])).toBe(true));
        }
      }), { numRuns: 300 });
  });
});
