// Property: regularizers and metrics are invariant under a random rotation of X and a permutation
// of its rows (slice planes and Lloyd samples rotated along with X; axis pairs relabelled along
// with a permutation of the columns).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertClose } from '@keepdist/autograd/testing';
import {
  angleSummary, circularVariance, meanAngle, medianAngle, minAngle, minAnglePerPoint, regularizer,
} from '@keepdist/dispersion';
import {
  configs, permutationFrom, rotate, rotationFrom, rowsOf, spherePointsArb, sync, t64, withDraws,
} from './helpers.js';

const tol = { rtol: 1e-8, zeroAtol: 1e-12 };

describe('regularizers: rotation and permutation invariance', () => {
  it.each(configs.map((c) => [c.label, c] as const))('%s', (_label, cfg) => {
    fc.assert(fc.property(spherePointsArb({ min: 3, max: 8 }, { min: 2, max: 5 }), fc.integer({ min: 0, max: 1e6 }), (X, seed) => {
      const rows = rowsOf(X);
      const n = rows.length, d = rows[0]!.length;
      const { options, generic } = withDraws(cfg, rows, seed);
      fc.pre(generic);
      const perm = permutationFrom(seed + 1, n);
      const moved = { ...options };
      let Y: number[][];
      if (cfg.name === 'slicedAxis') {
        // A permutation of the coordinates maps coordinate planes to coordinate planes.
        const sigma = permutationFrom(seed + 2, d);
        Y = perm.map((i) => sigma.map((_, k) => rows[i]![sigma.indexOf(k)]!));
        moved.pairs = (options.pairs as [number, number][]).map(([a, b]) => [sigma[a]!, sigma[b]!]);
      } else {
        const R = rotationFrom(seed + 2, d);
        Y = perm.map((i) => rotate([rows[i]!], R)[0]!);
        if (options.points) moved.points = rotate(options.points as number[][], R);
        if (options.planes) {
          moved.planes = (options.planes as [number[], number[]][]).map(([p, q]) => [rotate([p], R)[0]!, rotate([q], R)[0]!]);
        }
      }
      const f = (o: Record<string, unknown>, Z: number[][]): number => regularizer(cfg.name, o as never)(t64(Z)).item();
      assertClose(cfg.label, f(moved, Y), f(options, rows), tol);
    }), { seed: 42, numRuns: 15 });
  });
});

describe('metrics: rotation and permutation invariance', () => {
  it('minAngle, minAnglePerPoint (permuted), meanAngle, medianAngle, circularVariance', () => {
    fc.assert(fc.property(spherePointsArb({ min: 2, max: 12 }, { min: 2, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (X, seed) => {
      const rows = rowsOf(X);
      const perm = permutationFrom(seed, rows.length);
      const R = rotationFrom(seed + 1, rows[0]!.length);
      const Y = t64(perm.map((i) => rotate([rows[i]!], R)[0]!));
      assertClose('minAngle', sync(minAngle(Y)), sync(minAngle(X)), tol);
      assertClose('meanAngle', sync(meanAngle(Y)), sync(meanAngle(X)), tol);
      assertClose('medianAngle', sync(medianAngle(Y)), sync(medianAngle(X)), tol);
      assertClose('circularVariance', sync(circularVariance(Y)), sync(circularVariance(X)), { rtol: 1e-8, zeroAtol: 1e-10 });
      const per = sync(minAnglePerPoint(X));
      assertClose('minAnglePerPoint', sync(minAnglePerPoint(Y)), perm.map((i) => per[i]!), tol);
      const s = sync(angleSummary(Y));
      expect(s.minAngle).toBeCloseTo(sync(minAngle(X)), 10);
    }), { seed: 42, numRuns: 30 });
  });
});
