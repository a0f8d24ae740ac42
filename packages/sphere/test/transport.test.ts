// ptransp (docs/math.md §1). Golden values are in golden.test.ts; here: parallel transport is an isometry
// T_x S → T_y S (inner products and tangency preserved), P_{x→x} = id, P_{y→x} ∘ P_{x→y} = id,
// P_{x→y}(Log_x y) = −Log_y x, gradients against central differences, and the antipodal edge.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertClose, assertGradcheck, tensorArb } from '@keepdist/autograd/testing';
import * as ag from '@keepdist/autograd';
import { expmap, logmap, proj, ptransp } from '@keepdist/sphere';
import { RUNS, maxAbs, pointsWithTangents, rowDots, rows, values } from './helpers.js';

/** x, a geodesic end point y = Exp_x(w), and two tangent vectors u, v at x. */
const transportCase = pointsWithTangents({ maxNorm: Math.PI - 1e-2 }).chain(({ x, u: w }) =>
  fc.tuple(tensorArb(x.shape as number[]), tensorArb(x.shape as number[]))
    .map(([a, b]) => ({ x, y: expmap(x, w), u: proj(x, a), v: proj(x, b) })));

describe('ptransp', () => {
  it('golden: a quarter turn carries the velocity along and leaves the normal alone', () => {
    const x = rows([[1, 0, 0], [1, 0, 0]]);
    const y = rows([[0, 1, 0], [0, 1, 0]]);
    const v = rows([[0, 1, 0], [0, 0, 1]]);
    assertClose('ptransp', values(ptransp(x, y, v)), [-1, 0, 0, 0, 0, 1], { rtol: 1e-15, zeroAtol: 1e-15 });
  });

  it('property: preserves inner products and tangency (an isometry T_x S → T_y S)', () => {
    fc.assert(fc.property(transportCase, ({ x, y, u, v }) => {
      const pu = ptransp(x, y, u), pv = ptransp(x, y, v);
      assertClose('⟨Pu, Pv⟩', rowDots(pu, pv), rowDots(u, v), { rtol: 1e-10, zeroAtol: 1e-12 });
      expect(maxAbs(rowDots(y, pv))).toBeLessThan(1e-10 * (1 + maxAbs(v.dataSync())));
    }), RUNS);
  });

  it('property: P_{x→x} = id, P_{y→x}∘P_{x→y} = id, P_{x→y}(Log_x y) = −Log_y x', () => {
    fc.assert(fc.property(transportCase, ({ x, y, v }) => {
      assertClose('P_xx', values(ptransp(x, x, v)), values(v), { rtol: 1e-15, zeroAtol: 1e-15 });
      assertClose('round trip', values(ptransp(y, x, ptransp(x, y, v))), values(v), { rtol: 1e-9, zeroAtol: 1e-12 });
      assertClose('log', values(ptransp(x, y, logmap(x, y))), values(ag.neg(logmap(y, x))), { rtol: 1e-9, zeroAtol: 1e-12 });
    }), RUNS);
  });

  it('property: gradients in x, y and v match central differences', () => {
    fc.assert(fc.property(transportCase, ({ x, y, v }) => {
      assertGradcheck(ptransp, [x, y, v]);
    }), { ...RUNS, numRuns: 25 });
  });

  it('edge: antipodal points throw (the geodesic is not unique)', () => {
    const x = rows([[0, 0, 1]]);
    expect(() => ptransp(x, ag.neg(x), rows([[1, 0, 0]]))).toThrow(/ptransp: expected y ≠ −x/);
    expect(() => ptransp(x, rows([[0, 2, 0]]), rows([[1, 0, 0]]))).toThrow(/ptransp: expected y on the sphere/);
  });
});
