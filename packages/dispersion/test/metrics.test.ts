// Metrics (docs/math.md §3): tiled sweeps against a brute-force reference, the exact streaming median,
// asynchronous backends, and hand-checkable configurations.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpuBackend, tensor, type Backend } from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import {
  angleSummary, circularVariance, meanAngle, medianAngle, minAngle, minAngleDegrees, minAnglePerPoint, toDegrees,
} from '@keepdist/dispersion';
import { sweepPairs } from '../src/metrics/pairSweep.js';
import { unitRowsOf } from '../src/metrics/hostRows.js';
import { rowsOf, spherePoints, spherePointsArb, sync } from './helpers.js';

/** All pair angles (stable formula), per-point minima. */
function brute(X: number[][]): { angles: number[]; per: number[] } {
  const n = X.length;
  const unit = X.map((x) => { const r = Math.hypot(...x); return x.map((v) => v / r); });
  const ang = (a: number[], b: number[]): number => 2 * Math.atan2(
    Math.hypot(...a.map((v, k) => v - b[k]!)), Math.hypot(...a.map((v, k) => v + b[k]!)));
  const angles: number[] = [];
  const per = new Array<number>(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const t = ang(unit[i]!, unit[j]!);
      angles.push(t);
      per[i] = Math.min(per[i]!, t);
      per[j] = Math.min(per[j]!, t);
    }
  }
  return { angles, per };
}

function medianOf(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)]! + s[Math.floor(s.length / 2)]!) / 2;
}

const tol = { rtol: 1e-9, zeroAtol: 1e-12 };

describe('metrics against brute force', () => {
  it('every metric equals the all-pairs reference', () => {
    fc.assert(fc.property(spherePointsArb({ min: 2, max: 40 }, { min: 1, max: 6 }), (X) => {
      const rows = rowsOf(X);
      const { angles, per } = brute(rows);
      assertClose('minAngle', sync(minAngle(X)), Math.min(...angles), tol);
      assertClose('minAngleDegrees', sync(minAngleDegrees(X)), toDegrees(Math.min(...angles)), tol);
      assertClose('minAnglePerPoint', sync(minAnglePerPoint(X)), per, tol);
      assertClose('meanAngle', sync(meanAngle(X)), angles.reduce((a, b) => a + b, 0) / angles.length, tol);
      assertClose('medianAngle', sync(medianAngle(X)), medianOf(angles), tol);
      const s = sync(angleSummary(X));
      assertClose('summary.min', s.minAngle, Math.min(...angles), tol);
      assertClose('summary.median', s.medianAngle, medianOf(angles), tol);
      assertClose('summary.mean', s.meanAngle, sync(meanAngle(X)), tol);
      assertClose('summary.cv', s.circularVariance, sync(circularVariance(X)), tol);
    }), { seed: 42, numRuns: 40 });
  });

  it('small tiles and a small median cap (forcing the histogram passes) give the same numbers', () => {
    fc.assert(fc.property(spherePointsArb({ min: 2, max: 60 }, { min: 2, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 40 }), (X, tile, cap) => {
      const u = unitRowsOf('test', X.dataSync(), X.shape, 2);
      const ref = sweepPairs(u, { angleSum: true, median: true });
      const small = sweepPairs(u, { angleSum: true, median: true }, cap, tile);
      assertClose('angleSum', small.angleSum, ref.angleSum, tol);
      // Exact whenever the candidates fit in the cap; with cap 0 every rank is narrowed to a cosine
      // bin narrower than 1e-15 and the acos of its midpoint returned (1e-15 / sin θ off in angle).
      expect(Math.abs(small.medianAngles![0] - ref.medianAngles![0])).toBeLessThan(1e-9);
      expect(Math.abs(small.medianAngles![1] - ref.medianAngles![1])).toBeLessThan(1e-9);
      if (cap >= 1) expect(small.medianAngles).toEqual(ref.medianAngles);
    }), { seed: 42, numRuns: 60 });
  });

  it('the streaming median copes with many tied pairs (repeated points)', () => {
    const rows: number[][] = [];
    for (let i = 0; i < 30; i++) rows.push(i % 3 === 0 ? [1, 0, 0] : i % 3 === 1 ? [0, 1, 0] : [0.6, 0.8, 0]);
    const u = unitRowsOf('test', rows.flat(), [30, 3], 2);
    const exact = sweepPairs(u, { median: true }).medianAngles!;
    for (const cap of [0, 1, 10, 100]) {
      const got = sweepPairs(u, { median: true }, cap, 4).medianAngles!;
      expect(Math.abs(got[0] - exact[0])).toBeLessThan(1e-12);
      expect(Math.abs(got[1] - exact[1])).toBeLessThan(1e-12);
    }
  });
});

describe('hand-checkable values', () => {
  it('the square on S¹, the octahedron and the tetrahedron', () => {
    const square = [[1, 0], [0, 1], [-1, 0], [0, -1]];
    expect(sync(minAngle(square))).toBeCloseTo(Math.PI / 2, 14);
    expect(sync(minAngleDegrees(square))).toBeCloseTo(90, 12);
    // pairs: 4 at π/2, 2 at π → mean 2π/3, median π/2
    expect(sync(meanAngle(square))).toBeCloseTo((4 * Math.PI / 2 + 2 * Math.PI) / 6, 14);
    expect(sync(medianAngle(square))).toBeCloseTo(Math.PI / 2, 14);
    expect(sync(circularVariance(square))).toBeCloseTo(1, 14);
    const s3 = 1 / Math.sqrt(3);
    const tetra = [[s3, s3, s3], [s3, -s3, -s3], [-s3, s3, -s3], [-s3, -s3, s3]];
    expect(sync(minAngleDegrees(tetra))).toBeCloseTo(109.4712206, 6);
    expect(Array.from(sync(minAnglePerPoint(tetra)))).toEqual(new Array(4).fill(sync(minAngle(tetra))));
  });

  it('near-coincident points: the stable formula resolves angles far below √ε', () => {
    const t = 1e-9;
    const X = [[1, 0, 0], [Math.cos(t), Math.sin(t), 0], [0, 0, 1]];
    assertClose('minAngle', sync(minAngle(X)), t, { rtol: 1e-6 });
  });

  it('circular variance: 0 for one repeated direction, rows are normalised first', () => {
    expect(sync(circularVariance([[2, 0], [3, 0]]))).toBe(0);
    expect(sync(minAngle([[2, 0], [0, 5]]))).toBeCloseTo(Math.PI / 2, 14);
    expect(sync(circularVariance([[1, 0]]))).toBe(0);
  });
});

describe('asynchronous backends', () => {
  const asyncBackend: Backend = { ...cpuBackend, name: 'fake-async', synchronous: false };

  it('return Promises with the same values', async () => {
    const X = spherePoints(3, 20, 4);
    const Y = tensor(X.dataSync(), { shape: [20, 4], dtype: 'float64', backend: asyncBackend });
    const p = minAngle(Y);
    expect(p).toBeInstanceOf(Promise);
    expect(await p).toBe(sync(minAngle(X)));
    expect(await meanAngle(Y)).toBe(sync(meanAngle(X)));
    expect(await medianAngle(Y)).toBe(sync(medianAngle(X)));
    expect(await circularVariance(Y)).toBe(sync(circularVariance(X)));
    expect(Array.from(await minAnglePerPoint(Y))).toEqual(Array.from(sync(minAnglePerPoint(X))));
    expect((await angleSummary(Y)).minAngle).toBe(sync(minAngle(X)));
  });
});
