// RiemannianAdam and RiemannianSGD (docs/math.md §1): the radam.json golden runs (float64 at 1e-9 and float32
// at 1e-4), the Tammes problem for n = 4 and n = 6 on S² with the mmd gaussian energy, rows staying
// on the sphere over long runs, the pure update, stabilize, and option validation.
import { describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import type { DType, Tensor } from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import { RiemannianAdam, RiemannianSGD, expmap, proj, randomUniform, retr, type Retraction } from '@keepdist/sphere';
import { loadGolden, maxAbs, minAngleDegrees, mmdGaussian, rowDots, rowNorms, rows, values } from './helpers.js';

interface RadamCase {
  id: string;
  retraction: Retraction;
  options: { lr: number; betas: [number, number]; eps: number };
  stabilize: number | null;
  steps: number;
  loss: { name: string; options: { kernel: string; distance: string; gamma: number } };
  X0: number[][];
  lossBefore: number[];
  X: number[][][];
  m: number[][][];
  v: number[][];
  lossAfter: number;
}

const radam = loadGolden<RadamCase>('radam.json');

/** Minimises `loss` over x with `opt`, calling `each` after every step. */
function run(x: Tensor, opt: { zeroGrad(): void; step(): void }, loss: (x: Tensor) => Tensor, steps: number,
  each: (k: number) => void = () => {}): void {
  for (let k = 0; k < steps; k++) {
    opt.zeroGrad();
    loss(x).backward();
    opt.step();
    each(k);
  }
}

const TETRAHEDRON = (Math.acos(-1 / 3) * 180) / Math.PI; // 109.4712206…°

describe('RiemannianAdam', () => {
  describe.each(['float64', 'float32'] as const)('golden radam.json (%s)', (dtype: DType) => {
    it.each(radam.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
      expect(c.loss).toMatchObject({ name: 'mmd', options: { kernel: 'gaussian', distance: 'euclidean' } });
      expect(c.stabilize).toBeNull();
      const x = rows(c.X0, dtype, true);
      const opt = new RiemannianAdam([x], { ...c.options, retraction: c.retraction, stabilize: c.stabilize });
      const energy = (p: Tensor): Tensor => mmdGaussian(p, c.loss.options.gamma);
      for (let k = 0; k < c.steps; k++) {
        opt.zeroGrad();
        const loss = energy(x);
        assertClose(`${c.id} lossBefore[${k}]`, loss.item(), c.lossBefore[k]!, dtype);
        loss.backward();
        opt.step();
        const st = opt.state.get(x)!;
        expect(st.step).toBe(k + 1);
        expect(st.v.shape).toEqual([x.shape[0]]);
        assertClose(`${c.id} X[${k}]`, values(x), c.X[k]!, dtype);
        assertClose(`${c.id} m[${k}]`, values(st.m), c.m[k]!, dtype);
        assertClose(`${c.id} v[${k}]`, values(st.v), c.v[k]!, dtype);
      }
      assertClose(`${c.id} lossAfter`, ag.noGrad(() => energy(x)).item(), c.lossAfter, dtype);
    });
  });

  describe('Tammes problem on S² with the mmd gaussian energy (γ = 1)', () => {
    it.each([
      [4, TETRAHEDRON, 'expmap'], [4, TETRAHEDRON, 'retr'], [6, 90, 'expmap'], [6, 90, 'retr'],
    ] as const)('n = %i reaches the optimal minimum angle %f° within 0.05° (%s)', (n, optimum, retraction) => {
      const x = randomUniform(n, 3, { rng: ag.createRng(n), dtype: 'float64', requiresGrad: true });
      const opt = new RiemannianAdam([x], { lr: 0.03, retraction });
      run(x, opt, (p) => mmdGaussian(p), 600);
      expect(Math.abs(minAngleDegrees(x) - optimum)).toBeLessThan(0.05);
    });
  });

  it('keeps every row on the sphere after every step: 1e-12 in float64, 1e-6 in float32', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const retraction of ['expmap', 'retr'] as const) {
        const x = randomUniform(40, 3, { rng: ag.createRng(5), dtype, requiresGrad: true });
        const opt = new RiemannianAdam([x], { lr: 0.02, retraction });
        let worst = 0;
        run(x, opt, (p) => mmdGaussian(p, 2), 1500, () => {
          worst = Math.max(worst, maxAbs(rowNorms(x).map((r) => r - 1)));
        });
        expect(worst, `${dtype} ${retraction}`).toBeLessThanOrEqual(dtype === 'float64' ? 1e-12 : 1e-6);
        const m = opt.state.get(x)!.m;
        expect(maxAbs(rowDots(x, m))).toBeLessThan(dtype === 'float64' ? 1e-12 : 1e-6);
      }
    }
  });

  it('update() is a pure function: the first step is R(x, −lr · g/‖g‖) per row (bias correction)', () => {
    const x = randomUniform(5, 4, { rng: ag.createRng(8), dtype: 'float64', requiresGrad: true });
    const grad = ag.createRng(9).normal([5, 4], { dtype: 'float64' });
    const opt = new RiemannianAdam([x], { lr: 0.1, eps: 1e-300 });
    const before = values(x);
    const { value, state } = opt.update(x.detach(), grad, undefined);
    expect(values(x)).toEqual(before);
    expect(opt.state.size).toBe(0);
    const g = proj(x, grad);
    const unit = ag.div(g, ag.norm(g, -1, true));
    assertClose('first step', values(value), values(expmap(x, ag.mul(unit, -0.1))), 'float64');
    expect(state.step).toBe(1);
    assertClose('v after one step', values(state.v), rowNorms(g).map((r) => 0.001 * r * r), 'float64');
  });

  it('stabilize re-projects every k steps and otherwise changes nothing but rounding', () => {
    const runWith = (stabilize: number | null): number[] => {
      const x = randomUniform(10, 3, { rng: ag.createRng(3), dtype: 'float64', requiresGrad: true });
      run(x, new RiemannianAdam([x], { lr: 0.05, stabilize }), (p) => mmdGaussian(p), 30);
      return values(x);
    };
    assertClose('stabilize 5 vs off', runWith(5), runWith(null), { rtol: 1e-12 });
  });

  it('updates the same Tensor object, skips parameters without a gradient, zeroGrad clears', () => {
    const x = randomUniform(4, 3, { rng: ag.createRng(1), dtype: 'float64', requiresGrad: true });
    const y = randomUniform(4, 3, { rng: ag.createRng(2), dtype: 'float64', requiresGrad: true });
    const yBefore = values(y);
    const opt = new RiemannianAdam([x, y], { lr: 0.1 });
    mmdGaussian(x).backward();
    const ref = x;
    opt.step();
    expect(ref).toBe(x);
    expect(values(y)).toEqual(yBefore);
    expect(opt.state.has(y)).toBe(false);
    opt.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it('validates its options with clear errors', () => {
    const x = randomUniform(3, 3, { rng: ag.createRng(1), dtype: 'float64', requiresGrad: true });
    expect(() => new RiemannianAdam([x], { lr: -1 })).toThrow(/RiemannianAdam: expected lr in \(0, Infinity\), got -1/);
    expect(() => new RiemannianAdam([x], { lr: Number.NaN })).toThrow(/expected lr/);
    expect(() => new RiemannianAdam([x], { betas: [1, 0.999] })).toThrow(/RiemannianAdam: expected betas\[0\] in \[0, 1\), got 1/);
    expect(() => new RiemannianAdam([x], { betas: [0.9, -0.1] })).toThrow(/expected betas\[1\] in \[0, 1\), got -0.1/);
    expect(() => new RiemannianAdam([x], { betas: [0.9] as unknown as [number, number] })).toThrow(/expected betas a pair/);
    expect(() => new RiemannianAdam([x], { eps: 0 })).toThrow(/expected eps in \(0, Infinity\), got 0/);
    expect(() => new RiemannianAdam([x], { retraction: 'cayley' as Retraction })).toThrow(/expected retraction 'expmap' or 'retr', got "cayley"/);
    expect(() => new RiemannianAdam([x], { stabilize: 0 })).toThrow(/expected stabilize a positive integer/);
    expect(() => new RiemannianAdam([x], { lr: 0.1 }).lr = -2).toThrow(/expected lr/);
    expect(() => new RiemannianAdam([ag.ones([2, 3], { requiresGrad: true })])).toThrow(
      /RiemannianAdam: expected params\[0\] on the sphere, got max \|‖params\[0\]‖−1\| = 7.32e-1 > 1.00e-5 at row 0. Call projx/);
    expect(() => new RiemannianAdam([ag.ones([3], { requiresGrad: true })])).toThrow(/expected parameters of shape \[n, d\]/);
    expect(() => new RiemannianAdam([randomUniform(2, 3, { rng: ag.createRng(1) })])).toThrow(/expected parameters with requiresGrad/);
  });
});

describe('RiemannianSGD', () => {
  it.each([
    [{ momentum: 0 }, 'expmap'], [{ momentum: 0.9 }, 'expmap'], [{ momentum: 0.9, nesterov: true }, 'retr'], [{ momentum: 0.5 }, 'retr'],
  ] as const)('reaches the tetrahedron (n = 4 Tammes) with %o, %s', (opts, retraction) => {
    const x = randomUniform(4, 3, { rng: ag.createRng(11), dtype: 'float64', requiresGrad: true });
    run(x, new RiemannianSGD([x], { lr: 0.2, ...opts, retraction }), (p) => mmdGaussian(p), 400);
    expect(Math.abs(minAngleDegrees(x) - TETRAHEDRON)).toBeLessThan(0.05);
  });

  it('one step without momentum is R(x, −lr · proj(x, ∇)); with momentum the buffer is transported', () => {
    for (const retraction of ['expmap', 'retr'] as const) {
      const x0 = randomUniform(6, 3, { rng: ag.createRng(4), dtype: 'float64' });
      const x = x0.detach().requireGrad();
      const opt = new RiemannianSGD([x], { lr: 0.3, momentum: 0.9, retraction });
      mmdGaussian(x).backward();
      const g = proj(x0, x.grad!);
      opt.step();
      const R = retraction === 'expmap' ? expmap : retr;
      const expected = R(x0, ag.mul(g, -0.3));
      assertClose(`${retraction} step`, values(x), values(expected), 'float64');
      assertClose(`${retraction} momentum`, values(opt.state.get(x)!.m!), values(proj(expected, g)), 'float64');
    }
  });

  it('keeps rows on the sphere and the momentum tangent (float32, 1e-6)', () => {
    const x = randomUniform(30, 5, { rng: ag.createRng(6), requiresGrad: true });
    const opt = new RiemannianSGD([x], { lr: 0.05, momentum: 0.9, nesterov: true });
    let worst = 0;
    run(x, opt, (p) => mmdGaussian(p, 2), 1000, () => {
      worst = Math.max(worst, maxAbs(rowNorms(x).map((r) => r - 1)));
    });
    expect(worst).toBeLessThanOrEqual(1e-6);
    expect(maxAbs(rowDots(x, opt.state.get(x)!.m!))).toBeLessThan(1e-6);
  });

  it('validates its options with clear errors', () => {
    const x = randomUniform(3, 3, { rng: ag.createRng(1), dtype: 'float64', requiresGrad: true });
    expect(() => new RiemannianSGD([x], { lr: -0.1 })).toThrow(/RiemannianSGD: expected lr in \(0, Infinity\), got -0.1/);
    expect(() => new RiemannianSGD([x], { lr: 0.1, momentum: 1 })).toThrow(/RiemannianSGD: expected momentum in \[0, 1\), got 1/);
    expect(() => new RiemannianSGD([x], { lr: 0.1, nesterov: true })).toThrow(/expected momentum in \(0, 1\) with nesterov, got 0/);
    expect(() => new RiemannianSGD([x], { lr: 0.1, stabilize: 2.5 })).toThrow(/expected stabilize a positive integer .* got 2.5/);
    expect(() => new RiemannianSGD([x], undefined as unknown as { lr: number })).toThrow(/^RiemannianSGD: expected options \{ lr, momentum, nesterov, dampening, weightDecay, retraction, stabilize \}, got none\./);
  });
});
