// Property: a small Riemannian step along −grad lowers every loss (the gradient is a descent
// direction on the sphere): X' = expmap(X, −η · proj(X, ∇L)).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mul, norm, valueAndGrad } from '@keepdist/autograd';
import { expmap, proj } from '@keepdist/sphere';
import { regularizer } from '@keepdist/dispersion';
import { configs, rowsOf, spherePointsArb, withDraws } from './helpers.js';

describe('descent direction', () => {
  it.each(configs.map((c) => [c.label, c] as const))('%s', (_label, cfg) => {
    fc.assert(fc.property(spherePointsArb({ min: 3, max: 8 }, { min: 2, max: 5 }), fc.integer({ min: 0, max: 1e6 }), (X, seed) => {
      const { options, generic } = withDraws(cfg, rowsOf(X), seed);
      fc.pre(generic);
      const f = regularizer(cfg.name, options as never);
      const { value, grads } = valueAndGrad(f)(X);
      const rg = proj(X, grads[0]!);
      const biggest = norm(rg, -1).max().item();
      fc.pre(biggest > 1e-8);
      // Each row moves by at most 1e-4 rad: small enough that no nearest neighbour, Voronoi cell
      // or slice rank changes at these generic points, large enough to beat rounding.
      const Y = expmap(X, mul(rg, -1e-4 / biggest));
      const before = value.item(), after = f(Y).item();
      expect(after).toBeLessThan(before);
    }), { seed: 42, numRuns: 15 });
  });
});
