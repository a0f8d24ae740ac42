// dist and inner (docs/math.md §1). Golden values are in golden.test.ts; here: properties (dist along a
// geodesic equals the tangent length, symmetry), gradients against central differences and against
// the closed form −Log_x(y)/θ, and finiteness of the gradient near y = x where acos would fail.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import { assertClose, assertGradcheck } from '@keepdist/autograd/testing';
import { dist, egrad2rgrad, expmap, inner, logmap } from '@keepdist/sphere';
import { RUNS, pointsWithTangents, rowNorms, rows, values } from './helpers.js';

describe('dist', () => {
  it('golden: right angle, same point, antipode; shape [n]', () => {
    const x = rows([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const y = rows([[0, 1, 0], [0, 1, 0], [0, 0, -1]]);
    const d = dist(x, y);
    expect(d.shape).toEqual([3]);
    expect(values(d)).toEqual([Math.PI / 2, 0, Math.PI]);
  });

  it('property: dist(x, expmap(x, u)) = ‖u‖ for ‖u‖ < π − 1e-3, and dist is symmetric', () => {
    fc.assert(fc.property(pointsWithTangents({ maxNorm: Math.PI - 1e-3 }), ({ x, u }) => {
      const y = expmap(x, u);
      assertClose('dist = ‖u‖', values(dist(x, y)), rowNorms(u), { rtol: 1e-14, zeroAtol: 1e-15 });
      expect(values(dist(y, x))).toEqual(values(dist(x, y)));
    }), RUNS);
  });

  it('property: full relative accuracy for near points (θ down to 1e-12), where acos(x·y) loses it', () => {
    fc.assert(fc.property(pointsWithTangents({ minNorm: 1e-12, maxNorm: 1e-6 }), ({ x, u }) => {
      const y = expmap(x, u);
      // reference from the stored values: ‖x − y‖ is computed exactly enough (Sterbenz), θ = 2 asin(‖x − y‖/2)
      const chord = rowNorms(ag.sub(x, y));
      assertClose('near', values(dist(x, y)), chord.map((c) => 2 * Math.asin(c / 2)), { rtol: 1e-13 });
    }), RUNS);
  });

  it('property: gradients match central differences and the Riemannian gradient is −Log_x(y)/θ', () => {
    fc.assert(fc.property(pointsWithTangents({ minNorm: 1e-3, maxNorm: Math.PI - 1e-2, n: { min: 1, max: 4 } }), ({ x, u }) => {
      const y = expmap(x, u);
      assertGradcheck(dist, [x, y]);
      const [gx] = ag.grad((a) => ag.sum(dist(a, y)))(x);
      const expected = ag.div(ag.neg(logmap(x, y)), ag.unsqueeze(dist(x, y), -1));
      assertClose('rgrad', values(egrad2rgrad(x, gx!)), values(expected), { rtol: 1e-9 });
    }), { ...RUNS, numRuns: 25 });
  });

  it('edge: the gradient stays finite (a unit vector) at θ = 1e-7, and is 0 at y = x', () => {
    const x = rows([[1, 0, 0]]);
    const y = expmap(x, rows([[0, 1e-7, 0]]));
    const [gx] = ag.grad((a) => ag.sum(dist(a, y)))(x);
    const rg = egrad2rgrad(x, gx!);
    assertClose('rgrad near', values(rg), [0, -1, 0], { rtol: 1e-6 });
    const [g0] = ag.grad((a) => ag.sum(dist(a, x)))(x);
    expect(values(g0!)).toEqual([0, 0, 0]);
  });

  it('edge: inputs are checked', () => {
    expect(() => dist(rows([[1, 0]]), rows([[0, 3]]))).toThrow(/dist: expected y on the sphere/);
    expect(() => dist(rows([[1, 0]]), rows([[1, 0, 0]]))).toThrow(/dist: expected rows of one dimension d/);
  });
});

describe('inner', () => {
  it('golden: row-wise ⟨u, v⟩, and ‖u‖² by default', () => {
    const x = rows([[1, 0, 0], [0, 1, 0]]);
    const u = rows([[0, 1, 2], [3, 0, 4]]);
    const v = rows([[0, 3, 1], [1, 0, 1]]);
    expect(values(inner(x, u, v))).toEqual([5, 7]);
    expect(values(inner(x, u))).toEqual([5, 25]);
  });
});
