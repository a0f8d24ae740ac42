// expmap, expmapDelta, logmap, retr (docs/math.md §1). Golden values are in golden.test.ts; here: properties
// over random points and tangent vectors (fast-check, fixed seed), gradients against central
// differences (also inside the series branch near ‖u‖ = 0), and the edges: u = 0, tiny u, huge u,
// antipodal points, non-tangent u.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import { assertClose, assertGradcheck } from '@keepdist/autograd/testing';
import { expmap, expmapDelta, logmap, retr } from '@keepdist/sphere';
import { logmapUnchecked } from '../src/maps.js';
import { RUNS, maxAbs, pointsWithTangents, rowNorms, rows, values } from './helpers.js';

const SAFE = Math.PI - 1e-3;

describe('expmap', () => {
  it('golden: a quarter turn and a half turn on the equator', () => {
    const x = rows([[1, 0, 0], [1, 0, 0]]);
    const u = rows([[0, Math.PI / 2, 0], [0, 0, Math.PI]]);
    assertClose('expmap', values(expmap(x, u)), [Math.cos(Math.PI / 2), 1, 0, -1, 0, Math.sin(Math.PI)], { rtol: 1e-15, zeroAtol: 1e-15 });
  });

  it('property: stays on the sphere for any length of u (it wraps past π)', () => {
    fc.assert(fc.property(pointsWithTangents({ maxNorm: 20 }), ({ x, u }) => {
      expect(maxAbs(rowNorms(expmap(x, u)).map((r) => r - 1))).toBeLessThan(1e-14);
    }), RUNS);
  });

  it('property: expmap(x, u) = x + expmapDelta(x, u), and expmapDelta ≈ u to second order', () => {
    fc.assert(fc.property(pointsWithTangents({ maxNorm: 1e-3 }), ({ x, u }) => {
      const delta = expmapDelta(x, u);
      assertClose('x + delta', values(expmap(x, u)), values(ag.add(x, delta)), { rtol: 1e-16 });
      const theta = Math.max(...rowNorms(u));
      expect(maxAbs(values(ag.sub(delta, u)))).toBeLessThanOrEqual(theta * theta + 1e-300);
    }), RUNS);
  });

  it('property: gradients in x and u match central differences, for ordinary and tiny ‖u‖ (series branch)', () => {
    fc.assert(fc.property(pointsWithTangents({ maxNorm: 3, n: { min: 1, max: 3 } }), ({ x, u }) => {
      assertGradcheck(expmap, [x, u]);
      assertGradcheck(expmapDelta, [x, u]);
    }), { ...RUNS, numRuns: 25 });
    fc.assert(fc.property(pointsWithTangents({ minNorm: 1e-4, maxNorm: 5e-3, n: { min: 1, max: 3 } }), ({ x, u }) => {
      assertGradcheck(expmap, [x, u]);
    }), { ...RUNS, numRuns: 15 });
  });

  it('edge: u = 0 gives x exactly, with the identity as Jacobian in u', () => {
    const x = rows([[0.6, 0, 0.8], [0, -1, 0]]);
    const u = ag.zerosLike(x);
    expect(values(expmap(x, u))).toEqual(values(x));
    expect(values(expmapDelta(x, u))).toEqual([0, 0, 0, 0, 0, 0]);
    assertGradcheck((a) => expmap(x, a), [u]);
    const w = rows([[1, 2, 3], [4, 5, 6]]);
    const [gu] = ag.grad((a) => ag.sum(ag.mul(expmap(x, a), w)))(u);
    expect(values(gu!)).toEqual(values(w));
  });

  it('edge: ‖u‖ = 1e-9 is exact and finite; ‖u‖ = 2π returns to x', () => {
    const x = rows([[0, 0, 1]]);
    const delta = expmapDelta(x, rows([[1e-9, 0, 0]]));
    assertClose('tiny delta', values(delta), [1e-9, 0, -5e-19], { rtol: 1e-15 });
    assertClose('full turn', values(expmap(x, rows([[2 * Math.PI, 0, 0]]))), [0, 0, 1], { rtol: 1e-15, zeroAtol: 1e-15 });
  });

  it('edge: x off the sphere or u not tangent throws', () => {
    expect(() => expmap(rows([[1, 0, 0.1]]), rows([[0, 1, 0]]))).toThrow(/expmap: expected x on the sphere, got max \|‖x‖−1\| = 4.99e-3 > 1.00e-5 at row 0/);
    expect(() => expmap(rows([[1, 0, 0]]), rows([[0.1, 1, 0]]))).toThrow(/expmap: expected u tangent at x \(⟨x, u⟩ = 0\), got \|⟨x, u⟩\| = 1.00e-1 at row 0. Project it first with proj\(x, u\)/);
    expect(() => expmap(rows([[1, 0, 0]]), rows([[1e-7, 1, 0]]))).not.toThrow();
  });
});

describe('logmap', () => {
  it('golden: a quarter turn', () => {
    assertClose('logmap', values(logmap(rows([[1, 0, 0]]), rows([[0, 1, 0]]))), [0, Math.PI / 2, 0], { rtol: 1e-15, zeroAtol: 1e-15 });
  });

  it('property: logmap(x, expmap(x, u)) = u for ‖u‖ < π − 1e-3', () => {
    fc.assert(fc.property(pointsWithTangents({ maxNorm: SAFE }), ({ x, u }) => {
      assertClose('log∘exp', values(logmap(x, expmap(x, u))), values(u), { rtol: 1e-10, zeroAtol: 1e-14 });
    }), RUNS);
  });

  it('property: expmap(x, logmap(x, y)) = y and ‖logmap(x, y)‖ = dist', () => {
    fc.assert(fc.property(pointsWithTangents({ maxNorm: SAFE }), ({ x, u }) => {
      const y = expmap(x, u);
      assertClose('exp∘log', values(expmap(x, logmap(x, y))), values(y), { rtol: 1e-12 });
    }), RUNS);
  });

  it('property: gradients in x and y match central differences (ordinary and near points)', () => {
    fc.assert(fc.property(pointsWithTangents({ minNorm: 0.05, maxNorm: 2.8, n: { min: 1, max: 3 } }), ({ x, u }) => {
      assertGradcheck(logmap, [x, expmap(x, u)]);
    }), { ...RUNS, numRuns: 25 });
    fc.assert(fc.property(pointsWithTangents({ minNorm: 1e-3, maxNorm: 5e-3, n: { min: 1, max: 3 } }), ({ x, u }) => {
      assertGradcheck(logmap, [x, expmap(x, u)], { atol: 1e-6 });
    }), { ...RUNS, numRuns: 15 });
  });

  it('edge: logmap(x, x) = 0 with finite gradients', () => {
    const x = rows([[0.6, 0.8, 0], [0, 0, -1]]);
    expect(values(logmap(x, x))).toEqual([0, 0, 0, 0, 0, 0]);
    const [gx, gy] = ag.grad((a, b) => ag.sum(ag.mul(logmap(a, b), rows([[1, 2, 3], [4, 5, 6]]))))(x, x);
    expect([...values(gx!), ...values(gy!)].every(Number.isFinite)).toBe(true);
  });

  it('edge: antipodal points throw a DomainError, never a silently wrong vector', () => {
    const x = rows([[1, 0, 0], [0, 1, 0]]);
    expect(() => logmap(x, ag.neg(x))).toThrow(/logmap: expected y ≠ −x \(geodesic distance below π − 1.50e-8\), got θ = 3.14159.* at row 0/);
    expect(() => logmap(x, ag.neg(x))).toThrow(ag.DomainError);
    const nearly = rows([[-1, 1e-9, 0], [0, 1, 0]]);
    expect(() => logmap(x, ag.div(nearly, ag.norm(nearly, -1, true)))).toThrow(/logmap: expected y ≠ −x/);
    const far = rows([[Math.cos(3.1), Math.sin(3.1), 0], [0, 1, 0]]);
    assertClose('θ = 3.1 is fine', values(logmap(x, far)), [0, 3.1, 0, 0, 0, 0], { rtol: 1e-13 });
  });

  it('edge: where the values cannot be checked (asynchronous backends) the antipodal rows are NaN', () => {
    const x = rows([[1, 0, 0], [0, 1, 0]]);
    const y = rows([[-1, 0, 0], [1, 0, 0]]);
    const out = values(logmapUnchecked(x, y));
    expect(out.slice(0, 3).every(Number.isNaN)).toBe(true);
    assertClose('other row', out.slice(3), [Math.PI / 2, 0, 0], { rtol: 1e-15 });
  });
});

describe('retr', () => {
  it('golden: (x + u) / ‖x + u‖', () => {
    assertClose('retr', values(retr(rows([[1, 0]]), rows([[0, 1]]))), [Math.SQRT1_2, Math.SQRT1_2], { rtol: 1e-15 });
  });

  it('property: agrees with expmap to second order: ‖retr − expmap‖ = ‖u‖³/3 + O(‖u‖⁵)', () => {
    fc.assert(fc.property(pointsWithTangents({ minNorm: 1e-3, maxNorm: 0.2 }), ({ x, u }) => {
      const diff = rowNorms(ag.sub(retr(x, u), expmap(x, u)));
      rowNorms(u).forEach((t, i) => {
        expect(diff[i]!).toBeLessThanOrEqual((t ** 3 / 3) * (1 + t * t) + 1e-15);
        expect(diff[i]!).toBeGreaterThanOrEqual((t ** 3 / 3) * (1 - t * t) - 1e-15);
      });
    }), RUNS);
  });

  it('property: on the sphere, and gradients match central differences', () => {
    fc.assert(fc.property(pointsWithTangents({ maxNorm: 5, n: { min: 1, max: 3 } }), ({ x, u }) => {
      expect(maxAbs(rowNorms(retr(x, u)).map((r) => r - 1))).toBeLessThan(1e-15);
      assertGradcheck(retr, [x, u]);
    }), { ...RUNS, numRuns: 25 });
  });

  it('edge: x must lie on the sphere', () => {
    expect(() => retr(rows([[2, 0]]), rows([[0, 1]]))).toThrow(/retr: expected x on the sphere/);
  });
});
