// Tensors from the arbitraries feed autograd, sphere and dispersion ops.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, matmul, mul, sum, transpose } from '@keepdist/autograd';
import { unitRowsArb } from '@keepdist/autograd/testing';
import { dist, expmap, proj, projx } from '@keepdist/sphere';
import { mma, mmd, uniformity } from '@keepdist/dispersion';

describe('arbitraries feed every package', () => {
  it('autograd: products and sums', () => {
    fc.assert(fc.property(unitRowsArb({ n: 4, d: 3 }), (X) => {
      const g = matmul(X, transpose(X, 0, 1));
      expect(g.shape).toEqual([4, 4]);
      expect(Number(sum(add(mul(X, 2), 1)).toArray())).toBeTypeOf('number');
    }), { seed: 3, numRuns: 10 });
  });

  it('sphere: expmap of a tangent vector stays on the sphere; dist to itself is 0', () => {
    fc.assert(fc.property(unitRowsArb({ n: 4, d: 3 }), unitRowsArb({ n: 4, d: 3 }), (X, V) => {
      const y = expmap(X, mul(proj(X, V), 0.3));
      const norms = (projx(y).toArray() as number[][]).map((r) => Math.hypot(...r));
      for (const r of norms) expect(r).toBeCloseTo(1, 12);
      for (const d of dist(X, X).toArray() as number[]) expect(Math.abs(d)).toBeLessThan(1e-6);
    }), { seed: 4, numRuns: 10 });
  });

  it('dispersion: losses are finite and differentiable', () => {
    fc.assert(fc.property(unitRowsArb({ n: 6, d: 4 }), (X) => {
      const x = X.detach().requireGrad();
      const loss = add(add(mmd(x, { kernel: 'gaussian', distance: 'geodesic' }), mma(x)), uniformity(x));
      loss.backward();
      expect(Number.isFinite(Number(loss.toArray()))).toBe(true);
      expect((x.grad!.toArray() as number[][]).flat().every(Number.isFinite)).toBe(true);
    }), { seed: 5, numRuns: 10 });
  });
});
