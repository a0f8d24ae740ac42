// The gradient-testing kit as a user meets it: ops from the main entry, gradcheck and the
// arbitraries from the /testing entry, all from the installed tarballs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineOp, exp, mul, square, sum, Tensor, tensor } from '@keepdist/autograd';
import { assertGradcheck, gradcheck, tensorArb, unitRowsArb } from '@keepdist/autograd/testing';

const cube = defineOp({
  name: 'cube',
  forward: (x) => mul(mul(x, x), x),
  backward: (dy, [x]) => [mul(dy, mul(square(x!), 3))],
});

// d(x³)/dx is 3x², not 2x²: gradcheck must catch this.
const wrongCube = defineOp({
  name: 'wrongCube',
  forward: (x) => mul(mul(x, x), x),
  backward: (dy, [x]) => [mul(dy, mul(square(x!), 2))],
});

describe('gradcheck from @keepdist/autograd/testing', () => {
  const x = tensor([[0.5, -1.2, 2], [0.3, 1.1, -0.7]], { dtype: 'float64' });

  it('passes a custom defineOp op with a correct VJP', () => {
    const report = gradcheck((t) => cube(t), [x]);
    expect(report.ok).toBe(true);
    expect(report.maxRelError).toBeLessThan(1e-6);
  });

  it('fails a custom op with a wrong VJP, naming the worst element', () => {
    const wrong = gradcheck((t) => wrongCube(t), [x]);
    expect(wrong.ok).toBe(false);
    expect(wrong.worst).not.toBeNull();
    expect(() => assertGradcheck((t) => wrongCube(t), [x])).toThrow(/gradcheck/);
  });

  it('checks library ops (sum ∘ exp)', () => {
    expect(gradcheck((t) => sum(exp(t)), [x]).ok).toBe(true);
  });

  it('runs the docs example: a property over unitRowsArb', () => {
    fc.assert(fc.property(unitRowsArb({ n: 5, d: 3 }), (X) => {
      assertGradcheck((t) => cube(t), [X]);
    }), { seed: 1, numRuns: 25 });
  });

  it('gives arbitraries whose tensors are the main entry\'s Tensor', () => {
    fc.assert(fc.property(tensorArb([2, 3]), (t) => {
      expect(t).toBeInstanceOf(Tensor);
      expect(mul(t, 2).shape).toEqual([2, 3]);
    }), { seed: 2, numRuns: 10 });
  });
});
