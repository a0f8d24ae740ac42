// Bad input and extreme values (issue 13): a clear KeepdistError naming the op, or the right finite value.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import { DomainError, KeepdistError, OptionError, ShapeError } from '@keepdist/autograd';

const f64 = { dtype: 'float64' } as const;
const call = (f: () => unknown): unknown => f;

describe('norm neither overflows nor underflows (scaled by max |x| outside the direct range)', () => {
  it('float64 rows of 1e200 and 1e-200, and whole-tensor norms', () => {
    // √2 · 1e200 and √2 · 1e-200: what Math.hypot gives
    expect(ag.norm(ag.tensor([[1e200, 1e200, 0]], f64), -1).item() / 1e200).toBeCloseTo(Math.SQRT2, 14);
    expect(ag.norm(ag.tensor([[1e-200, -1e-200, 0]], f64)).item() / 1e-200).toBeCloseTo(Math.SQRT2, 14);
    expect(ag.norm(ag.tensor([3e-320, 4e-320], f64)).item()).toBeGreaterThan(0);
  });
  it('float32: 1e20 and 1e-30 rows', () => {
    expect(ag.norm(ag.tensor([1e20, 1e20, 0])).item() / 1e20).toBeCloseTo(Math.SQRT2, 6);
    expect(ag.norm(ag.tensor([1e-30, 1e-30, 0])).item() / 1e-30).toBeCloseTo(Math.SQRT2, 6);
  });
  it('normalize of huge and tiny rows is a unit row; 0, ∞ and NaN stay what they are', () => {
    // rows below eps are divided by eps (documented), so the tiny row gets an eps of 1e-300
    const out = [
      ...(ag.normalize(ag.tensor([[1e200, 1e200, 0], [1e-3, 0, 1e-3]], f64)).toArray() as number[][]),
      ...(ag.normalize(ag.tensor([[1e-200, 0, 1e-200]], f64), -1, 1e-300).toArray() as number[][]),
    ];
    for (const row of out) expect(Math.hypot(...row)).toBeCloseTo(1, 14);
    expect(ag.norm(ag.tensor([0, 0], f64)).item()).toBe(0);
    expect(ag.norm(ag.tensor([Infinity, 1], f64)).item()).toBe(Infinity);
    expect(ag.norm(ag.tensor([NaN, 1e300], f64)).item()).toBeNaN();
  });
  it('the gradient at a huge row is the unit direction', () => {
    const [g] = ag.grad((x) => ag.norm(x))(ag.tensor([3e200, 4e200], f64));
    expect(Array.from(g!.dataSync())).toEqual([expect.closeTo(0.6, 14), expect.closeTo(0.8, 14)]);
  });
});

describe('creation ops refuse bad arguments with a KeepdistError naming them', () => {
  it('tensor(null | undefined | {} | a string)', () => {
    for (const bad of [null, undefined, {}, 'abc']) {
      expect(call(() => ag.tensor(bad as never))).toThrow(KeepdistError);
      expect(call(() => ag.tensor(bad as never))).toThrow(/^tensor: expected a number, nested arrays of numbers or a typed array, got /);
    }
  });
  it("zeros('3') and ones(null) name their op, not full", () => {
    expect(call(() => ag.zeros('3' as never))).toThrow(/^zeros: expected a shape, an array of non-negative integers such as \[2, 3\], got the string '3'\./);
    expect(call(() => ag.ones(null as never))).toThrow(/^ones: expected a shape/);
    expect(call(() => ag.zeros([2, -1]))).toThrow(/^zeros: expected a shape of non-negative integers, got \[2,-1\]/);
  });
  it('zeros([1e10, 1e10]) is a ShapeError before any allocation; an unallocatable size too', () => {
    expect(call(() => ag.zeros([1e10, 1e10]))).toThrow(ShapeError);
    expect(call(() => ag.zeros([1e10, 1e10]))).toThrow(/^zeros: expected at most 4294967295 elements/);
    expect(call(() => ag.zeros([2 ** 31, 2], f64))).toThrow(/^zeros: expected/);
  });
  it('arange with a non-finite start or stop', () => {
    expect(call(() => ag.arange(0, NaN))).toThrow(/^arange: expected finite start and stop, got start = 0, stop = NaN\./);
    expect(call(() => ag.arange(0, Infinity))).toThrow(/^arange: expected finite start and stop/);
    expect(call(() => ag.arange(Infinity))).toThrow(KeepdistError);
  });
  it('randn and rand without an rng', () => {
    expect(call(() => ag.randn([2], undefined as never))).toThrow(/^randn: expected rng, a generator from createRng\(seed\), got none\./);
    expect(call(() => ag.rand([2], {} as never))).toThrow(/^rand: expected rng/);
  });
  it('a backend that is not one', () => {
    const t = ag.tensor([1, 2]);
    expect(call(() => ag.toBackend(t, null as never))).toThrow(/^toBackend: expected a Backend \(cpuBackend, a GpuBackend\), got null\./);
    expect(call(() => ag.tensor([1], { backend: 5 as never }))).toThrow(/^tensor: expected options\.backend to be a Backend/);
    expect(call(() => ag.zeros([2], 5 as never))).toThrow(/^zeros: expected options \{ dtype\?, backend\?, requiresGrad\? \}, got 5\./);
  });
  it('createRng wants an integer seed', () => {
    expect(call(() => ag.createRng(1.5))).toThrow(/^createRng: expected an integer seed, got 1\.5\./);
    expect(call(() => ag.createRng('1' as never))).toThrow(/^createRng: expected an integer seed, got string\./);
    expect(ag.createRng(-3).float()).toBeGreaterThanOrEqual(0);
  });
});

describe('reductions, grad and the tape', () => {
  it('a dim that is an object, null or a string', () => {
    const x = ag.tensor([[1, 2], [3, 4]]);
    for (const dim of [{}, null, 'a']) {
      expect(call(() => ag.sum(x, dim as never))).toThrow(/^sum: expected dim to be an axis number, an array of axis numbers or undefined/);
      expect(call(() => ag.max(x, dim as never))).toThrow(/^max: expected dim to be an axis number or undefined/);
      expect(call(() => ag.norm(x, dim as never))).toThrow(ShapeError);
    }
  });
  it('mean of an empty tensor is an error, not NaN', () => {
    expect(call(() => ag.mean(ag.zeros([0])))).toThrow(/^mean: expected a non-empty reduction, got shape \[0\]/);
    expect(call(() => ag.mean(ag.zeros([2, 0]), 1))).toThrow(ShapeError);
    expect(ag.mean(ag.zeros([0, 2]), 1).shape).toEqual([0]);
  });
  it('grad and valueAndGrad of something that is not a function name themselves', () => {
    expect(call(() => ag.grad(3 as never))).toThrow(/^grad: expected a function of tensors returning a scalar Tensor, got 3\./);
    expect(call(() => ag.valueAndGrad(null as never))).toThrow(/^valueAndGrad: expected a function/);
    expect(call(() => ag.grad((x) => ag.sum(x))(5 as never))).toThrow(/^grad: expected a Tensor as argument 0, got 5\./);
  });
  it('a backward seed of the wrong dtype names backward, not mul', () => {
    const x = ag.tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    expect(call(() => ag.mul(x, 2).backward(ag.tensor([1, 1])))).toThrow(/^backward: expected a seed of dtype float64 on '(?:cpu|wasm)' \(the output's\), got float32/);
    expect(call(() => ag.mul(x, 2).backward([1, 1] as never))).toThrow(/^backward: expected the seed to be a Tensor/);
  });
});

describe('ops that call other ops report their own name', () => {
  it('stack, softmax, logSoftmax and normalize', () => {
    expect(call(() => ag.stack([ag.zeros([2]), ag.zeros([3])]))).toThrow(/^stack: expected tensors of one shape, got \[2\] and \[3\]\./);
    expect(call(() => ag.softmax(ag.zeros([2, 3]), 5))).toThrow(/^softmax: expected an axis in \[-2, 1\], got 5/);
    expect(call(() => ag.logSoftmax(ag.zeros([2, 0])))).toThrow(/^logSoftmax: expected a non-empty dim -1/);
    expect(call(() => ag.normalize(ag.zeros([2, 3]), 2))).toThrow(/^normalize: expected an axis in \[-2, 1\], got 2/);
    expect(call(() => ag.normalize(null as never))).toThrow(/^normalize: expected a Tensor, got null\./);
  });
});

describe('a disposed cpu tensor', () => {
  // tensors made without a backend option go to the cpu backend in this block
  let before: ag.Backend;
  beforeEach(() => {
    before = ag.getBackend();
    ag.setBackend(ag.cpuBackend);
  });
  afterEach(() => ag.setBackend(before));
  it('is refused by the next op, naming it, and by reads', () => {
    const x = ag.tensor([1, 2, 3]);
    x.dispose();
    expect(call(() => ag.exp(x))).toThrow(/^exp: expected a live tensor, got Tensor\(\[3\], float32, cpu\) whose storage was disposed/);
    expect(call(() => ag.add(x, 1))).toThrow(/^add: expected a live tensor/);
    expect(call(() => ag.sum(x))).toThrow(/^sum: expected a live tensor/);
    expect(call(() => x.toArray())).toThrow(/expected a live storage, got one that was disposed/);
    expect(x.shape).toEqual([3]);
  });
  it('tidy on the cpu backend still only drops references (nothing it frees is marked)', () => {
    let inner: ag.Tensor | null = null;
    ag.tidy(() => {
      inner = ag.exp(ag.tensor([0]));
      return null;
    });
    expect(inner!.item()).toBe(1);
  });
});

describe('SGD and Adam', () => {
  const param = (v: number[][]): ag.Tensor => ag.tensor(v, { dtype: 'float64', requiresGrad: true });
  const makers = [
    (ps: ag.Tensor[]) => new ag.SGD(ps, { lr: 0.1, momentum: 0.5 }),
    (ps: ag.Tensor[]) => new ag.Adam(ps, { lr: 0.1 }),
  ];
  it('a NaN or infinite gradient is a DomainError and leaves the parameter unchanged', () => {
    for (const make of makers) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const p = param([[1, 2], [3, 4]]);
        const opt = make([p]);
        p.grad = ag.tensor([[0, 0], [bad, 0]], f64);
        expect(call(() => opt.step())).toThrow(DomainError);
        expect(call(() => opt.step())).toThrow(new RegExp(`^(SGD|Adam): expected a finite gradient, got ${bad} at params\\[0\\]\\.grad flat index 2\\.`));
        expect(p.toArray()).toEqual([[1, 2], [3, 4]]);
      }
    }
  });
  it('a gradient of another shape is not broadcast', () => {
    for (const make of makers) {
      const p = param([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]]);
      const opt = make([p]);
      p.grad = ag.tensor([[1, 1, 1]], f64);
      expect(call(() => opt.step())).toThrow(/^(SGD|Adam): expected params\[0\]\.grad of shape \[4,3\] \(float64 on '(?:cpu|wasm)'\), got \[1,3\]/);
    }
  });
  it('NaN parameters, non-arrays, null entries and null options are refused at construction', () => {
    expect(call(() => new ag.SGD([param([[1, NaN]])], { lr: 0.1 }))).toThrow(/^SGD: expected finite parameter values, got NaN at params\[0\] flat index 1\./);
    expect(call(() => new ag.Adam(param([[1]]) as never))).toThrow(/^Adam: expected params, an array of tensors, got a Tensor\./);
    expect(call(() => new ag.Adam([null] as never))).toThrow(/^Adam: expected params\[0\] to be a Tensor, got null\./);
    expect(call(() => new ag.Adam([param([[1]])], null as never))).toThrow(/^Adam: expected options \{ lr, betas, eps, weightDecay \}, got null\./);
    expect(call(() => new ag.SGD([param([[1]])], undefined as never))).toThrow(/^SGD: expected options \{ lr, momentum, nesterov, weightDecay \}, got none\./);
  });
  it('unknown option keys and betas that are not a pair', () => {
    expect(call(() => new ag.SGD([param([[1]])], { lr: 0.1, lrr: 1 } as never))).toThrow(/^SGD: expected options among lr, momentum, nesterov, weightDecay, got unknown option 'lrr'\./);
    expect(call(() => new ag.Adam([param([[1]])], { betas: 0.9 } as never))).toThrow(/^Adam: expected betas a pair \[b1, b2\], got 0\.9\./);
    expect(call(() => new ag.Adam([param([[1]])], { betas: 'ab' } as never))).toThrow(OptionError);
  });
});
