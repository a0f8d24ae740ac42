// proj, egrad2rgrad, projx, transp (docs/math.md §1). Golden values are in golden.test.ts; here: properties
// over random points and vectors (fast-check, fixed seed), gradients against central differences,
// and edge cases with their error messages.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import { assertClose, assertGradcheck, tensorArb, unitRowsArb } from '@keepdist/autograd/testing';
import { egrad2rgrad, proj, projx, transp } from '@keepdist/sphere';
import { RUNS, maxAbs, rowDots, rowNorms, rows, values } from './helpers.js';

/** Unit rows x with an ambient vector v of the same shape. */
const pointAndVector = unitRowsArb({ n: { min: 1, max: 5 }, d: { min: 2, max: 5 } })
  .chain((x) => fc.tuple(fc.constant(x), tensorArb(x.shape as number[], { min: -3, max: 3 })));

/** Two unit-row matrices of one shape and a vector field. */
const twoPointsAndVector = unitRowsArb({ n: { min: 1, max: 4 }, d: { min: 2, max: 5 } }).chain((x) =>
  fc.tuple(fc.constant(x), unitRowsArb({ n: x.shape[0]!, d: x.shape[1]! }), tensorArb(x.shape as number[])));

describe('proj and egrad2rgrad', () => {
  it('golden: hand-checkable projections', () => {
    const x = rows([[1, 0, 0], [0, 0.6, 0.8]]);
    const v = rows([[2, 3, -1], [1, 1, 1]]);
    // v − (x·v) x: row 0 drops the first coordinate; row 1: x·v = 1.4 → (1, 1 − 0.84, 1 − 1.12)
    assertClose('proj', values(proj(x, v)), [0, 3, -1, 1, 0.16, -0.12]);
    assertClose('egrad2rgrad', values(egrad2rgrad(x, v)), [0, 3, -1, 1, 0.16, -0.12]);
  });

  it('property: lands in the tangent space and is idempotent', () => {
    fc.assert(fc.property(pointAndVector, ([x, v]) => {
      const p = proj(x, v);
      expect(maxAbs(rowDots(x, p))).toBeLessThan(1e-14 * (1 + maxAbs(v.dataSync())));
      assertClose('proj∘proj', values(proj(x, p)), values(p), { rtol: 1e-14, zeroAtol: 1e-14 });
      expect(values(egrad2rgrad(x, v))).toEqual(values(p));
    }), RUNS);
  });

  it('property: gradients in x and v match central differences', () => {
    fc.assert(fc.property(pointAndVector, ([x, v]) => {
      assertGradcheck(proj, [x, v]);
      assertGradcheck(egrad2rgrad, [x, v]);
    }), { ...RUNS, numRuns: 25 });
  });

  it('edge: one row broadcasts against n rows; errors name the op, what was expected and the fix', () => {
    const x = rows([[0, 0, 1]]);
    const v = rows([[1, 2, 3], [4, 5, 6]]);
    expect(proj(x, v).toArray()).toEqual([[1, 2, 0], [4, 5, 0]]);
    expect(() => proj(rows([[1, 1, 0]]), v)).toThrow(/proj: expected x on the sphere, got max \|‖x‖−1\| = 4.14e-1 > 1.00e-5 at row 0. Call projx\(x\) first./);
    expect(() => proj(ag.tensor([1, 0, 0], { dtype: 'float64' }), v)).toThrow(/proj: expected x of shape \[n, d\] .*got \[3\]/);
    expect(() => proj(rows([[1, 0]]), v)).toThrow(/proj: expected rows of one dimension d, got \[1,2\] \(x\) and \[2,3\] \(v\)/);
    expect(() => proj(rows([[1, 0, 0], [1, 0, 0], [1, 0, 0]]), v)).toThrow(/expected row counts that are equal \(or 1\)/);
    expect(() => proj(x, rows([[1, 2, 3]], 'float32'))).toThrow(/proj: expected x and v of one dtype, got float64 and float32/);
    expect(() => egrad2rgrad(x, 3 as unknown as ag.Tensor)).toThrow(/egrad2rgrad: expected g to be a Tensor, got number/);
  });
});

describe('projx', () => {
  it('golden: y / ‖y‖', () => {
    assertClose('projx', values(projx(rows([[3, 4], [0, -2]]))), [0.6, 0.8, 0, -1]);
  });

  it('property: lands on the sphere, is idempotent and scale-invariant', () => {
    fc.assert(fc.property(tensorArb(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), { awayFromZero: 0.05 }),
      fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (y, c) => {
        const p = projx(y);
        expect(maxAbs(rowNorms(p).map((r) => r - 1))).toBeLessThan(1e-15);
        assertClose('projx∘projx', values(projx(p)), values(p), { rtol: 1e-15 });
        assertClose('projx(c y)', values(projx(ag.mul(y, c))), values(p), { rtol: 1e-15 });
      }), RUNS);
  });

  it('property: gradient matches central differences', () => {
    fc.assert(fc.property(tensorArb(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 })), { awayFromZero: 0.2 }),
      (y) => void assertGradcheck(projx, [y])), { ...RUNS, numRuns: 25 });
  });

  it('edge: a zero row has no direction and throws', () => {
    expect(() => projx(rows([[1, 2], [0, 0]]))).toThrow(/projx: expected nonzero rows of y, got ‖y‖ = 0 at row 1/);
    expect(() => projx(rows([[1, 2]]).reshape([2]))).toThrow(ag.ShapeError);
  });
});

describe('transp', () => {
  it('golden: transp(x, y, v) = proj(y, v)', () => {
    assertClose('transp', values(transp(rows([[1, 0, 0]]), rows([[0, 1, 0]]), rows([[0, 2, 5]]))), [0, 0, 5]);
  });

  it('property: lands in the tangent space at y and equals proj(y, v)', () => {
    fc.assert(fc.property(twoPointsAndVector, ([x, y, v]) => {
      const t = transp(x, y, proj(x, v));
      expect(maxAbs(rowDots(y, t))).toBeLessThan(1e-14 * (1 + maxAbs(v.dataSync())));
      expect(values(t)).toEqual(values(proj(y, proj(x, v))));
    }), RUNS);
  });

  it('property: gradients in y and v match central differences', () => {
    fc.assert(fc.property(twoPointsAndVector, ([x, y, v]) => {
      assertGradcheck((b, w) => transp(x, b, w), [y, v]);
    }), { ...RUNS, numRuns: 25 });
  });

  it('edge: y must lie on the sphere', () => {
    expect(() => transp(rows([[1, 0]]), rows([[0, 2]]), rows([[1, 1]]))).toThrow(/transp: expected y on the sphere/);
  });
});
