// Property: the reverse-mode gradient of every regularizer and option set matches central
// differences (gradcheck, float64) at random generic points of the sphere.
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { createRng, type Tensor } from '@keepdist/autograd';
import { assertGradcheck, unitRowsArb } from '@keepdist/autograd/testing';
import { regularizer, type RegularizerName } from '@keepdist/dispersion';
import { configs, genericAngles, genericPairs, planeAnglesOf, planesFrom, rowsOf, spherePointsArb, withDraws } from './helpers.js';

const points = spherePointsArb({ min: 3, max: 7 }, { min: 2, max: 5 });
const run = { seed: 42, numRuns: 20 };

describe('gradcheck of every regularizer', () => {
  it.each(configs.map((c) => [c.label, c] as const))('%s', (_label, cfg) => {
    fc.assert(fc.property(points, fc.integer({ min: 0, max: 1e6 }), (X, seed) => {
      const { options, generic } = withDraws(cfg, rowsOf(X), seed);
      fc.pre(generic);
      assertGradcheck(regularizer(cfg.name, options as never), [X], { rtol: 1e-5, atol: 1e-6 });
    }), run);
  });
});

describe('gradcheck with minibatches (a fixed generator per evaluation)', () => {
  const batched: [RegularizerName, Record<string, unknown>][] = [
    ['mmd', { kernel: 'riesz', distance: 'geodesic', s: 1 }],
    ['mmd', { kernel: 'gaussian', distance: 'euclidean' }],
    ['uniformity', {}], ['mma', {}], ['mmcs', {}], ['koleo', {}], ['lloyd', { samples: 4 }],
  ];
  it.each(batched.map(([n, o]) => [`${n} ${JSON.stringify(o)}`, n, o] as const))('%s', (_l, name, o) => {
    fc.assert(fc.property(spherePointsArb({ min: 4, max: 7 }, { min: 2, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (X, seed) => {
      const rows = rowsOf(X);
      fc.pre(genericPairs(rows) && genericPairs(createRng(seed).choice(rows.length, 3).map((i) => rows[i]!)));
      // A fresh generator with the same seed at every evaluation: the same batch (and samples) each time.
      const f = (Y: Tensor): Tensor => regularizer(name, { ...o, batchSize: 3, rng: createRng(seed) } as never)(Y);
      assertGradcheck(f, [X], { rtol: 1e-5, atol: 1e-6 });
    }), { seed: 42, numRuns: 10 });
  });
});

describe('gradcheck of sliced and ssw with planes drawn from the generator', () => {
  it.each(['sliced', 'ssw'] as const)('%s', (name) => {
    fc.assert(fc.property(spherePointsArb({ min: 3, max: 6 }, { min: 2, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (X, seed) => {
      const d = X.shape[1]!;
      // drawPlane consumes the generator exactly like the regularizer does, so these are its planes.
      fc.pre(genericAngles(planeAnglesOf(rowsOf(X), planesFrom(seed, d, 2))));
      const opts = name === 'sliced' ? { slices: 2 } : { projections: 2 };
      const f = (Y: Tensor): Tensor => regularizer(name, { ...opts, rng: createRng(seed) })(Y);
      assertGradcheck(f, [X], { rtol: 1e-5, atol: 1e-6 });
    }), { seed: 42, numRuns: 10 });
  });
});

describe('gradcheck on unitRowsArb (smooth losses, no selection)', () => {
  it.each([
    ['mmd', { kernel: 'gaussian', distance: 'euclidean', gamma: 2 }],
    ['uniformity', { t: 2 }],
  ] as const)('%s', (name, o) => {
    fc.assert(fc.property(unitRowsArb({ n: { min: 2, max: 6 }, d: { min: 1, max: 5 } }), (X) => {
      assertGradcheck(regularizer(name, o as never), [X], { rtol: 1e-5, atol: 1e-6 });
    }), { seed: 42, numRuns: 30 });
  });
});
