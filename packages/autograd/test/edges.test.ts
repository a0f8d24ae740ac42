// Edge cases with named expectations: scalars, size-0 dims, results of transpose/slice, repeated
// inputs, gradients through argsort/gather, domain boundaries of acos/sqrt/log, mixed dtypes.
import { describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import { assertGradcheck } from '@keepdist/autograd/testing';

const f64 = { dtype: 'float64' as const };

describe('scalars and empty tensors', () => {
  it('scalar ops, broadcasting a scalar against a matrix, backward from a scalar', () => {
    const s = ag.tensor(3, { ...f64, requiresGrad: true });
    expect(s.shape).toEqual([]);
    const m = ag.tensor([[1, 2], [3, 4]], f64);
    const y = ag.sum(ag.mul(s, m));
    y.backward();
    expect(y.item()).toBe(30);
    expect(s.grad!.item()).toBe(10);
    expect(ag.add(2, ag.tensor(1, f64)).item()).toBe(3);
  });
  it('size-0 dims flow through elementwise, matmul, sum and concat', () => {
    const e = ag.zeros([0, 3], f64);
    expect(ag.exp(e).shape).toEqual([0, 3]);
    expect(ag.sum(e, 0).toArray()).toEqual([0, 0, 0]);
    expect(ag.matmul(ag.ones([2, 0], f64), ag.ones([0, 3], f64)).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(ag.concat([e, ag.ones([1, 3], f64)], 0).toArray()).toEqual([[1, 1, 1]]);
    expect(() => ag.max(e)).toThrow(/max: expected a non-empty tensor, got shape \[0,3\]/);
  });
});

describe('layouts: transpose and slice results', () => {
  it('a transposed and a strided slice are materialised with the right values and gradients', () => {
    const x = ag.tensor([[1, 2, 3], [4, 5, 6]], { ...f64, requiresGrad: true });
    const t = ag.transpose(x);
    expect(t.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    const s = ag.slice(t, 0, 0, undefined, 2);
    expect(s.toArray()).toEqual([[1, 4], [3, 6]]);
    ag.sum(ag.mul(s, ag.tensor([[1, 10], [100, 1000]], f64))).backward();
    expect(x.grad!.toArray()).toEqual([[1, 0, 100], [10, 0, 1000]]);
    expect(ag.slice(x, 1, -2).toArray()).toEqual([[2, 3], [5, 6]]);
    assertGradcheck((a) => ag.matmul(ag.transpose(a), ag.slice(a, 1, 1)), [x]);
  });
});

describe('repeated inputs and accumulation', () => {
  it('x * x has gradient 2x; a tensor used twice gets the sum', () => {
    const x = ag.tensor([1.5, -2], { ...f64, requiresGrad: true });
    ag.sum(ag.mul(x, x)).backward();
    expect(x.grad!.toArray()).toEqual([3, -4]);
  });
  it('gradients accumulate across backward calls until zeroed', () => {
    const x = ag.tensor([1, 2], { ...f64, requiresGrad: true });
    ag.sum(ag.mul(x, 3)).backward();
    ag.sum(ag.mul(x, 3)).backward();
    expect(x.grad!.toArray()).toEqual([6, 6]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });
  it('valueAndGrad leaves its arguments untouched; grad of an unused argument is zeros', () => {
    const x = ag.tensor([1, 2], f64), y = ag.tensor([5], f64);
    const { value, grads } = ag.valueAndGrad((a, _b) => ag.sum(ag.exp(a)))(x, y);
    expect(value.item()).toBeCloseTo(Math.E + Math.E ** 2, 12);
    expect(grads[1]!.toArray()).toEqual([0]);
    expect(x.grad).toBeNull();
  });
  it('defineOp: a user op with its own VJP, checked by gradcheck; noGrad records nothing', () => {
    const cube = ag.defineOp({
      name: 'cube',
      forward: (x) => ag.mul(ag.mul(x, x), x),
      backward: (dy, [x]) => [ag.mul(dy, ag.mul(ag.square(x!), 3))],
    });
    assertGradcheck((x) => cube(x), [ag.tensor([0.5, -1.5, 2], f64)]);
    const x = ag.tensor([1], { ...f64, requiresGrad: true });
    expect(ag.noGrad(() => cube(x)).requiresGrad).toBe(false);
    expect(x.detach().requiresGrad).toBe(false);
  });
});

describe('gradients through argsort and gather', () => {
  it('sorted values pass the cotangent back to the original positions; argsort is stable', () => {
    const x = ag.tensor([3, 1, 2, 1], { ...f64, requiresGrad: true });
    const { values, indices } = ag.sort(x);
    expect(values.toArray()).toEqual([1, 1, 2, 3]);
    expect(indices.toArray()).toEqual([1, 3, 2, 0]);
    ag.sum(ag.mul(values, ag.tensor([1, 2, 3, 4], f64))).backward();
    expect(x.grad!.toArray()).toEqual([4, 1, 3, 2]);
  });
  it('indexSelect with repeated indices sums their cotangents', () => {
    const x = ag.tensor([10, 20, 30], { ...f64, requiresGrad: true });
    ag.sum(ag.indexSelect(x, 0, [2, 0, 2])).backward();
    expect(x.grad!.toArray()).toEqual([1, 0, 2]);
    expect(() => ag.indexSelect(x, 0, [3])).toThrow(/indexSelect: expected integer indices in \[0, 3\), got 3/);
  });
});

describe('domain boundaries (documented values, no silent NaN)', () => {
  it('acos: exact at ±1 with gradient −∞; outside [−1, 1] throws a DomainError', () => {
    const x = ag.tensor([-1, 1], { ...f64, requiresGrad: true });
    const y = ag.acos(x);
    expect(y.toArray()).toEqual([Math.PI, 0]);
    ag.sum(y).backward();
    expect(x.grad!.toArray()).toEqual([-Infinity, -Infinity]);
    expect(() => ag.acos(ag.tensor([1.0000001], f64))).toThrow(ag.DomainError);
    expect(() => ag.acos(ag.tensor([1.5], f64))).toThrow(/acos: expected x in \[-1, 1\], got 1.5 at flat index 0. Clamp/);
    const c = ag.tensor([1], { ...f64, requiresGrad: true });
    ag.sum(ag.acos(ag.clamp(c, -1 + 1e-7, 1 - 1e-7))).backward();
    expect(Number.isFinite(c.grad!.item())).toBe(true);
  });
  it('sqrt(0) = 0 with gradient +∞; log(0) = −∞ with gradient +∞; negatives throw', () => {
    const x = ag.tensor([0], { ...f64, requiresGrad: true });
    const s = ag.sqrt(x);
    expect(s.item()).toBe(0);
    s.backward();
    expect(x.grad!.item()).toBe(Infinity);
    const z = ag.tensor([0], { ...f64, requiresGrad: true });
    const l = ag.log(z);
    expect(l.item()).toBe(-Infinity);
    l.backward();
    expect(z.grad!.item()).toBe(Infinity);
    expect(() => ag.sqrt(ag.tensor([-1e-3], f64))).toThrow(/sqrt: expected x ≥ 0, got -0.001/);
    expect(() => ag.log(ag.tensor([-2], f64))).toThrow(/log: expected x ≥ 0, got -2/);
  });
  it('norm of a zero vector has the zero subgradient, not 0/0; normalize of a zero row stays finite', () => {
    const x = ag.zeros([2, 3], { ...f64, requiresGrad: true });
    ag.sum(ag.norm(x, 1)).backward();
    expect(x.grad!.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(ag.normalize(ag.zeros([1, 2], f64)).toArray()).toEqual([[0, 0]]);
  });
  it('logsumexp is stable for large inputs and all −∞ rows', () => {
    expect(ag.logsumexp(ag.tensor([1000, 1000], f64)).item()).toBeCloseTo(1000 + Math.LN2, 10);
    expect(ag.logsumexp(ag.tensor([-Infinity, -Infinity], f64)).item()).toBe(-Infinity);
  });
});

describe('errors name the op and the offending shapes or values', () => {
  it('mixed dtypes', () => {
    expect(() => ag.add(ag.ones([2]), ag.ones([2], f64))).toThrow(/add: expected matching dtypes, got float32 and float64/);
    expect(() => ag.add(ag.ones([2]), ag.ones([2], f64))).toThrow(ag.DTypeError);
  });
  it('shape mismatch in broadcasting and matmul', () => {
    expect(() => ag.mul(ag.ones([2, 3]), ag.ones([4]))).toThrow(/mul: expected broadcast-compatible shapes, got \[2,3\] and \[4\]/);
    expect(() => ag.matmul(ag.ones([4, 3]), ag.ones([2, 5]))).toThrow(/matmul: expected inner dimensions to match, got \[4,3\] and \[2,5\]/);
    expect(() => ag.reshape(ag.ones([2, 3]), [4])).toThrow(/reshape: expected 6 elements \(from \[2,3\]\), got shape \[4\]/);
    expect(() => ag.tensor([[1, 2], [3]])).toThrow(/tensor: expected a rectangular nested array/);
  });
  it('bad axis', () => {
    expect(() => ag.sum(ag.ones([2, 3]), 2)).toThrow(/sum: expected an axis in \[-2, 1\], got 2 for a rank-2 tensor/);
    expect(() => ag.transpose(ag.ones([2]), 0, 1)).toThrow(ag.ShapeError);
  });
  it('wrong dtype', () => {
    expect(() => ag.zeros([2], { dtype: 'int32' as never })).toThrow(/zeros|full: expected dtype 'float32' or 'float64', got 'int32'/);
  });
  it('backward on a non-scalar without a seed, with a wrong seed, on a constant', () => {
    const x = ag.ones([2], { requiresGrad: true });
    expect(() => ag.mul(x, 2).backward()).toThrow(/backward: expected a scalar output or an explicit seed, got shape \[2\] without a seed/);
    expect(() => ag.mul(x, 2).backward(ag.ones([3]))).toThrow(/backward: expected a seed of shape \[2\], got \[3\]/);
    expect(() => ag.ones([1]).backward()).toThrow(/backward: expected a tensor that depends on a requiresGrad input/);
    const y = ag.mul(x, 2);
    y.backward(ag.tensor([1, 10]));
    expect(x.grad!.toArray()).toEqual([2, 20]);
  });
});

describe('large indices', () => {
  it('a float32 tensor is indexed exactly past 2^24 elements (indices are float64 on cpu)', () => {
    const n = 2 ** 24 + 3;
    const data = new Float32Array(n);
    data[n - 2] = 7;
    data[n - 3] = 5;
    const t = ag.tensor(data);
    expect(ag.indexSelect(t, 0, [n - 2, n - 3]).toArray()).toEqual([7, 5]);
  });
});
