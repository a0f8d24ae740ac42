// The metrics' synchronous variants: the same values as the metrics where those are synchronous,
// a synchronous type, and a clear refusal (before any read) on an asynchronous backend.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpuBackend, toBackend, type Backend } from '@keepdist/autograd';
import { unitRowsArb } from '@keepdist/autograd/testing';
import {
  angleSummary, angleSummarySync, circularVariance, circularVarianceSync, meanAngle, meanAngleSync, medianAngle,
  medianAngleSync, minAngle, minAngleDegrees, minAngleDegreesSync, minAnglePerPoint, minAnglePerPointSync, minAngleSync,
} from '@keepdist/dispersion';

// The cpu kernels behind an object that says it is asynchronous, as a device backend would.
const asyncCpu: Backend = { ...cpuBackend, name: 'cpu-async', synchronous: false };

describe('synchronous metrics', () => {
  it('property: each equals its metric on synchronous inputs (tensors and nested arrays)', () => {
    fc.assert(fc.property(unitRowsArb({ n: { min: 2, max: 12 }, d: { min: 2, max: 5 } }), (X) => {
      const rows = X.toArray() as number[][];
      for (const input of [X, rows]) {
        expect(minAngleSync(input)).toBe(minAngle(input));
        expect(minAngleDegreesSync(input)).toBe(minAngleDegrees(input));
        expect(Array.from(minAnglePerPointSync(input))).toEqual(Array.from(minAnglePerPoint(input) as Float64Array));
        expect(meanAngleSync(input)).toBe(meanAngle(input));
        expect(medianAngleSync(input)).toBe(medianAngle(input));
        expect(circularVarianceSync(input)).toBe(circularVariance(input));
        expect(angleSummarySync(input).minAngle).toBe((angleSummary(input) as { minAngle: number }).minAngle);
      }
      // the synchronous type: a number method compiles and runs
      expect(minAngleDegreesSync(X).toFixed(2)).toMatch(/^\d+\.\d\d$/);
    }), { seed: 11, numRuns: 20 });
  });

  it('edge: an asynchronous backend is refused with the function named and the async form suggested', () => {
    const X = toBackend(fc.sample(unitRowsArb({ n: 4, d: 3 }), { seed: 1, numRuns: 1 })[0]!, asyncCpu);
    expect(() => minAngleSync(X)).toThrow(/^minAngleSync: expected X on a synchronous backend \(wasm, cpu\), got one on 'cpu-async'\. Use await minAngle\(X\) there\./);
    expect(() => angleSummarySync(X)).toThrow(/^angleSummarySync: .*await angleSummary\(X\)/);
    expect(minAngle(X)).toBeInstanceOf(Promise);
  });
});
