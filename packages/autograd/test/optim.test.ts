import { describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';

const f64 = { dtype: 'float64' as const };
const target = ag.tensor([1, -2, 3], f64);
const quad = (x: ag.Tensor): ag.Tensor => ag.sum(ag.square(ag.sub(x, target)));

function minimise(make: (p: ag.Tensor) => ag.Optimizer<unknown>, steps: number): ag.Tensor {
  const x = ag.zeros([3], { ...f64, requiresGrad: true });
  const opt = make(x);
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    quad(x).backward();
    opt.step();
  }
  return x;
}

describe('Euclidean optimizers', () => {
  it('SGD, SGD with (Nesterov) momentum and Adam reach the minimum of a quadratic', () => {
    for (const make of [
      (p: ag.Tensor) => new ag.SGD([p], { lr: 0.1 }),
      (p: ag.Tensor) => new ag.SGD([p], { lr: 0.05, momentum: 0.9 }),
      (p: ag.Tensor) => new ag.SGD([p], { lr: 0.05, momentum: 0.9, nesterov: true }),
      (p: ag.Tensor) => new ag.Adam([p], { lr: 0.1 }),
    ]) {
      const x = minimise(make, 400);
      expect(Math.max(...Array.from(x.dataSync(), (v, i) => Math.abs(v - target.dataSync()[i]!)))).toBeLessThan(1e-3);
    }
  });
  it('one SGD step is x − lr·∇ and updates the same tensor object', () => {
    const x = ag.tensor([1, 2], { ...f64, requiresGrad: true });
    const opt = new ag.SGD([x], { lr: 0.5 });
    ag.sum(ag.square(x)).backward();
    opt.step();
    expect(x.toArray()).toEqual([0, 0]);
  });
  it('first Adam step moves each coordinate by lr·sign(g) (bias correction)', () => {
    const x = ag.tensor([1, -3], { ...f64, requiresGrad: true });
    const opt = new ag.Adam([x], { lr: 0.1 });
    ag.sum(ag.square(x)).backward();
    opt.step();
    const [a, b] = x.toArray() as number[];
    expect(a).toBeCloseTo(0.9, 6);
    expect(b).toBeCloseTo(-2.9, 6);
    expect(opt.state.get(x)!.step).toBe(1);
  });
  it('options are validated with clear errors', () => {
    const p = ag.zeros([1], { requiresGrad: true });
    expect(() => new ag.SGD([p], { lr: -1 })).toThrow(/SGD: expected lr in \(0, Infinity\), got -1/);
    expect(() => new ag.Adam([p], { betas: [0.9, 1] })).toThrow(/Adam: expected betas\[1\] in \[0, 1\), got 1/);
    expect(() => new ag.SGD([ag.zeros([1])], { lr: 1 })).toThrow(/SGD: expected parameters with requiresGrad/);
    expect(() => new ag.SGD([p], { lr: 1, nesterov: true })).toThrow(/momentum \(with nesterov\)/);
  });
});
