// Property: for every differentiable op, reverse mode equals central differences (gradcheck, float64)
// on random shapes and values, each op on its valid domain; binary ops on broadcast-compatible shapes.
import { describe, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { Tensor } from '@keepdist/autograd';
import { assertGradcheck, broadcastShapesArb, shapeArb, tensorArb, type TensorConstraints } from '@keepdist/autograd/testing';

const RUNS = { seed: 20261123, numRuns: 25 };
const shapes = shapeArb({ maxRank: 3, maxDim: 4 });

function checkUnary(f: (x: Tensor) => Tensor, c: TensorConstraints = {}): void {
  fc.assert(fc.property(tensorArb(shapes, c), (x) => void assertGradcheck(f, [x])), RUNS);
}

function checkBinary(f: (a: Tensor, b: Tensor) => Tensor, ca: TensorConstraints = {}, cb: TensorConstraints = ca,
  generic: (a: Tensor, b: Tensor) => boolean = () => true): void {
  const pair = broadcastShapesArb({ maxRank: 3, maxDim: 3 }).chain(([sa, sb]) => fc.tuple(tensorArb(sa, ca), tensorArb(sb, cb)));
  fc.assert(fc.property(pair, ([a, b]) => {
    fc.pre(generic(a, b));
    assertGradcheck(f, [a, b]);
  }), RUNS);
}

/** No two broadcast elements of a and b within `gap` (keeps max/min away from ties). */
const apart = (gap: number) => (a: Tensor, b: Tensor): boolean =>
  (ag.noGrad(() => ag.min(ag.abs(ag.sub(a, b)))).item() > gap);

/** No two entries of x within `gap` (generic positions for sort/max/min). */
function distinct(x: Tensor, gap = 1e-3): boolean {
  const v = Array.from(x.dataSync()).sort((p, q) => p - q);
  return v.every((e, i) => i === 0 || e - v[i - 1]! > gap);
}

describe('unary ops', () => {
  it('neg exp square sin cos tanh sigmoid', () => {
    for (const f of [ag.neg, ag.exp, ag.square, ag.sin, ag.cos, ag.tanh, ag.sigmoid]) checkUnary(f);
  });
  it('log and sqrt on x > 0', () => {
    checkUnary(ag.log, { min: 0.1, max: 3 });
    checkUnary(ag.sqrt, { min: 0.1, max: 3 });
  });
  it('reciprocal, abs and relu away from 0', () => {
    for (const f of [ag.reciprocal, ag.abs, ag.relu]) checkUnary(f, { awayFromZero: 0.1 });
  });
  it('acos and asin inside (−1, 1)', () => {
    checkUnary(ag.acos, { min: -0.95, max: 0.95 });
    checkUnary(ag.asin, { min: -0.95, max: 0.95 });
  });
  it('clamp away from its bounds', () => {
    checkUnary((x) => ag.clamp(x, -0.5, 0.5), {});
  });
});

describe('binary ops with broadcasting', () => {
  it('add sub mul', () => {
    for (const f of [ag.add, ag.sub, ag.mul]) checkBinary(f);
  });
  it('div with the divisor away from 0', () => {
    checkBinary(ag.div, {}, { awayFromZero: 0.2 });
  });
  it('pow with a positive base', () => {
    checkBinary(ag.pow, { min: 0.2, max: 2 }, { min: -2, max: 2 });
  });
  it('atan2 away from the origin and the branch cut', () => {
    checkBinary(ag.atan2, { awayFromZero: 0.2 }, { min: 0.2, max: 2 });
  });
  it('maximum and minimum away from ties', () => {
    checkBinary(ag.maximum, {}, {}, apart(1e-3));
    checkBinary(ag.minimum, {}, {}, apart(1e-3));
  });
  it('where with a fixed condition (the branches get the cotangent where selected)', () => {
    const pick = (t: Tensor): Tensor => ag.gt(ag.sin(ag.mul(ag.arange(t.size, undefined, 1, { dtype: t.dtype }), 2.3)), 0).reshape(t.shape);
    checkBinary((a, b) => {
      const both = ag.add(a, b);
      return ag.where(ag.noGrad(() => pick(both)), ag.mul(a, a), ag.mul(b, 3));
    });
  });
});

describe('reductions', () => {
  const withDim = tensorArb(shapeArb({ minRank: 1, maxRank: 3, maxDim: 4 }), { awayFromZero: 0.05 }).chain((x) =>
    fc.tuple(fc.constant(x), fc.integer({ min: -x.rank, max: x.rank - 1 }), fc.boolean()));
  it('sum and mean over one dim, all dims, keepdim', () => {
    fc.assert(fc.property(withDim, ([x, d, keep]) => {
      assertGradcheck((t) => ag.sum(t, d, keep), [x]);
      assertGradcheck((t) => ag.mean(t, d, keep), [x]);
      assertGradcheck((t) => ag.sum(t), [x]);
      assertGradcheck((t) => ag.mean(t, [d], true), [x]);
    }), RUNS);
  });
  it('max and min (generic positions), logsumexp, norm', () => {
    fc.assert(fc.property(withDim, ([x, d, keep]) => {
      fc.pre(distinct(x));
      assertGradcheck((t) => ag.max(t, d, keep), [x]);
      assertGradcheck((t) => ag.min(t, d, keep), [x]);
      assertGradcheck((t) => ag.max(t), [x]);
      assertGradcheck((t) => ag.logsumexp(t, d, keep), [x]);
      assertGradcheck((t) => ag.norm(t, d, keep), [x]);
    }), RUNS);
  });
});

describe('shape ops', () => {
  const mat = tensorArb(shapeArb({ minRank: 2, maxRank: 3, minDim: 1, maxDim: 4 }));
  it('reshape, permute, transpose, expand, unsqueeze, flip', () => {
    fc.assert(fc.property(mat, (x) => {
      assertGradcheck((t) => ag.reshape(t, [-1]), [x]);
      assertGradcheck((t) => ag.permute(t, x.shape.map((_, i) => x.rank - 1 - i)), [x]);
      assertGradcheck((t) => ag.transpose(t, 0, -1), [x]);
      assertGradcheck((t) => ag.expand(ag.unsqueeze(t, 0), [2, ...x.shape]), [x]);
      assertGradcheck((t) => ag.flip(t, 0), [x]);
    }), RUNS);
  });
  it('slice with steps, indexSelect with repeats, takeAlongDim', () => {
    fc.assert(fc.property(mat, fc.integer({ min: 1, max: 2 }), (x, step) => {
      assertGradcheck((t) => ag.slice(t, -1, 0, undefined, step), [x]);
      assertGradcheck((t) => ag.slice(t, 0, 1), [x]);
      const n = x.shape[0]!;
      assertGradcheck((t) => ag.indexSelect(t, 0, [n - 1, 0, n - 1]), [x]);
      const idx = ag.tensor(Array.from({ length: x.size }, (_, i) => (i * 7) % x.shape[x.rank - 1]!), { shape: x.shape, dtype: 'float64' });
      assertGradcheck((t) => ag.takeAlongDim(t, idx, -1), [x]);
    }), RUNS);
  });
  it('concat and stack', () => {
    fc.assert(fc.property(mat, (x) => {
      assertGradcheck((a, b) => ag.concat([a, ag.mul(b, 2), a], 1), [x, x]);
      assertGradcheck((a, b) => ag.stack([a, b], -1), [x, ag.noGrad(() => ag.exp(x))]);
    }), RUNS);
  });
});

describe('linear algebra, sorting, nn helpers', () => {
  const dims = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }));
  it('matmul 2-D, batched with broadcast batch dims, vectors; transposed flags', () => {
    fc.assert(fc.property(dims.chain(([m, k, n]) => fc.tuple(tensorArb([m, k]), tensorArb([2, k, n]), tensorArb([k]), tensorArb([n, k]))),
      ([a, b3, v, bt]) => {
        assertGradcheck(ag.matmul, [a, b3]);
        assertGradcheck(ag.matmul, [a, v]);
        assertGradcheck(ag.matmul, [v, ag.noGrad(() => ag.transpose(a))]);
        assertGradcheck((p, q) => ag.matmulT(p, q, false, true), [a, bt]);
        assertGradcheck((p, q) => ag.matmulT(p, q, true, true), [ag.noGrad(() => ag.transpose(a)), bt]);
        assertGradcheck(ag.gram, [a]);
      }), RUNS);
  });
  it('sort values (generic positions) along each dim', () => {
    fc.assert(fc.property(tensorArb(shapeArb({ minRank: 1, maxRank: 2, maxDim: 5 })), (x) => {
      fc.pre(distinct(x));
      assertGradcheck((t) => ag.sort(t, -1).values, [x]);
      assertGradcheck((t) => ag.sort(t, 0).values, [x]);
    }), RUNS);
  });
  it('normalize, softmax, logSoftmax, fillDiagonal', () => {
    fc.assert(fc.property(dims.chain(([m, k]) => tensorArb([m, k], { awayFromZero: 0.1 })), (x) => {
      assertGradcheck((t) => ag.normalize(t), [x]);
      assertGradcheck((t) => ag.softmax(t, 0), [x]);
      assertGradcheck((t) => ag.logSoftmax(t), [x]);
      assertGradcheck((t) => ag.fillDiagonal(ag.gram(t), -1), [x]);
    }), RUNS);
  });
});
