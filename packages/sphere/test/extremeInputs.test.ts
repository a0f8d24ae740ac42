// Bad input and extreme values of the sphere ops (issue 13): a DomainError naming the op, or finite values.
import { describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import { DomainError, OptionError } from '@keepdist/autograd';
import {
  RiemannianAdam, RiemannianSGD, dist, egrad2rgrad, expmap, expmapDelta, logmap, proj, projx, ptransp, randomPowerSpherical,
  randomUniform, randomVmf, retr, transp,
} from '@keepdist/sphere';

const f64 = (rows: number[][], requiresGrad = false): ag.Tensor => ag.tensor(rows, { dtype: 'float64', requiresGrad });
const call = (f: () => unknown): unknown => f;
const rowNorms = (t: ag.Tensor): number[] => (t.toArray() as number[][]).map((r) => Math.hypot(...r));

describe('the on-sphere check sees a NaN row anywhere, not only in the last row', () => {
  const x = f64([[NaN, 0, 0], [0, 1, 0]]);
  const y = f64([[0, 1, 0], [0, 1, 0]]);
  const u = f64([[0, 0, 0], [0, 0, 0]]);
  const cases: [string, () => unknown][] = [
    ['expmap', () => expmap(x, u)], ['expmapDelta', () => expmapDelta(x, u)], ['proj', () => proj(x, u)],
    ['egrad2rgrad', () => egrad2rgrad(x, u)], ['logmap', () => logmap(x, y)], ['retr', () => retr(x, u)],
    ['ptransp', () => ptransp(x, y, u)], ['dist', () => dist(x, y)], ['transp', () => transp(y, x, u)],
  ];
  for (const [fn, f] of cases) {
    it(fn, () => {
      expect(f).toThrow(DomainError);
      expect(f).toThrow(new RegExp(`^${fn}: expected [xy] on the sphere, got max \\|‖[xy]‖−1\\| = NaN > 1\\.00e-5 at row 0\\.`));
    });
  }
  it('new RiemannianSGD / RiemannianAdam refuse NaN parameters', () => {
    expect(call(() => new RiemannianSGD([f64([[NaN, 0, 0], [0, 1, 0]], true)], { lr: 0.1 }))).toThrow(/^RiemannianSGD: expected finite parameter values, got NaN at params\[0\] flat index 0\./);
    expect(call(() => new RiemannianAdam([f64([[0, 1, 0], [NaN, 0, 0], [0, 1, 0]], true)]))).toThrow(/^RiemannianAdam: expected finite parameter values, got NaN/);
  });
});

describe('projx of huge and tiny rows (norm scaled before summing squares)', () => {
  it('float64 [1e200, 1e200, 0] and [1e-200, 1e-200, 0]', () => {
    for (const s of [1e200, 1e-200, 1e-300]) {
      const out = projx(f64([[s, s, 0]])).toArray() as number[][];
      expect(out[0]![0]).toBeCloseTo(Math.SQRT1_2, 14);
      expect(out[0]![1]).toBeCloseTo(Math.SQRT1_2, 14);
    }
  });
  it('float32 [1e20, 1e20, 0] and [1e-30, 1e-30, 0]', () => {
    for (const s of [1e20, 1e-30]) {
      const out = projx(ag.tensor([[s, s, 0]])).toArray() as number[][];
      expect(out[0]).toEqual([expect.closeTo(Math.SQRT1_2, 6), expect.closeTo(Math.SQRT1_2, 6), 0]);
    }
  });
  it('a zero row is refused as zero; a 1e-200 row is not called zero; a NaN row is refused', () => {
    expect(call(() => projx(f64([[0, 0, 0]])))).toThrow(/^projx: expected nonzero rows of y, got ‖y‖ = 0 at row 0\./);
    expect(call(() => projx(f64([[1, 0, 0], [0, NaN, 1]])))).toThrow(/^projx: expected finite rows of y, got NaN in row 1\./);
  });
});

describe('huge tangent vectors and gradients', () => {
  it('expmap with ‖u‖ = 1e155 and 1e300 is a point on the sphere', () => {
    for (const s of [1e155, 1e300]) {
      const out = expmap(f64([[1, 0, 0]]), f64([[0, s, 0]]));
      expect(rowNorms(out)[0]).toBeCloseTo(1, 12);
    }
  });
  it('an SGD step with a 1e160 gradient keeps the parameter finite and on the sphere (both retractions)', () => {
    for (const retraction of ['expmap', 'retr'] as const) {
      const p = f64([[1, 0, 0], [0, 0, 1]], true);
      const opt = new RiemannianSGD([p], { lr: 0.1, retraction });
      p.grad = f64([[0, 1e160, 0], [1e160, 0, 0]]);
      opt.step();
      for (const r of rowNorms(p)) expect(r).toBeCloseTo(1, 12);
    }
  });
});

describe('Riemannian optimizers reject bad gradients and options', () => {
  const point = (): ag.Tensor => f64([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]], true);
  const makers = [
    (p: ag.Tensor) => new RiemannianSGD([p], { lr: 0.1, momentum: 0.9 }),
    (p: ag.Tensor) => new RiemannianAdam([p], { lr: 0.1 }),
  ];
  it('NaN and infinite gradients', () => {
    for (const make of makers) {
      for (const bad of [NaN, Infinity]) {
        const p = point();
        const opt = make(p);
        p.grad = f64([[0, 1, 0], [0, 0, bad], [1, 0, 0], [0, 0, 0]]);
        expect(call(() => opt.step())).toThrow(new RegExp(`^Riemannian(SGD|Adam): expected a finite gradient, got ${bad} at params\\[0\\]\\.grad flat index 5\\.`));
        expect(p.toArray()).toEqual(point().toArray());
      }
    }
  });
  it('a [1, 3] gradient for a [4, 3] parameter', () => {
    for (const make of makers) {
      const p = point();
      const opt = make(p);
      p.grad = f64([[0, 1, 0]]);
      expect(call(() => opt.step())).toThrow(/^Riemannian(SGD|Adam): expected params\[0\]\.grad of shape \[4,3\] \(float64 on '(?:cpu|wasm)'\), got \[1,3\]/);
    }
  });
  it('unknown option keys', () => {
    expect(call(() => new RiemannianSGD([point()], { lr: 0.1, lrr: 0.2 } as never))).toThrow(/^RiemannianSGD: expected options among lr, momentum, nesterov, dampening, weightDecay, retraction, stabilize, got unknown option 'lrr'\./);
    expect(call(() => new RiemannianAdam([point()], { lrr: 0.2 } as never))).toThrow(/^RiemannianAdam: expected options among lr, betas, eps, retraction, stabilize, amsgrad, weightDecay, got unknown option 'lrr'\./);
    expect(call(() => new RiemannianAdam([point()], null as never))).toThrow(OptionError);
    expect(call(() => new RiemannianSGD([point()], 5 as never))).toThrow(/^RiemannianSGD: expected options \{ lr, momentum, nesterov, dampening, weightDecay, retraction, stabilize \}, got 5\./);
  });
});

describe('retr, ptransp and proj outside their domain', () => {
  const x = f64([[1, 0, 0], [0, 1, 0]]);
  it('retr(x, −x) is refused (−x is not tangent), not a NaN row', () => {
    expect(call(() => retr(x, f64([[-1, 0, 0], [0, -1, 0]])))).toThrow(/^retr: expected u tangent at x \(⟨x, u⟩ = 0\), got \|⟨x, u⟩\| = 1\.00e\+0 at row 0\./);
  });
  it('ptransp with a v that is not tangent at x', () => {
    const y = f64([[0, 1, 0], [0, 0, 1]]);
    expect(call(() => ptransp(x, y, f64([[1, 0, 0], [0, 0, 0]])))).toThrow(/^ptransp: expected v tangent at x \(⟨x, v⟩ = 0\), got \|⟨x, v⟩\| = 1\.00e\+0 at row 0\./);
  });
  it('proj, egrad2rgrad, transp, expmap with NaN or ±∞ in the vector', () => {
    const bad = f64([[0, NaN, 0], [0, 0, 0]]);
    expect(call(() => proj(x, bad))).toThrow(/^proj: expected finite values of v, got NaN at row 0, column 1\./);
    expect(call(() => egrad2rgrad(x, f64([[0, 0, 0], [Infinity, 0, 0]])))).toThrow(/^egrad2rgrad: expected finite values of g, got Infinity at row 1, column 0\./);
    expect(call(() => transp(x, x, bad))).toThrow(/^transp: expected finite values of v/);
    expect(call(() => expmap(x, bad))).toThrow(/^expmap: expected finite values of u/);
  });
});

describe('samplers', () => {
  const rng = (): ag.Rng => ag.createRng(3);
  it('randomVmf returns for κ = 1e154 … 1.7e308 (no overflow of 4κ² in Wood\'s b), rows on the sphere at μ', () => {
    for (const kappa of [1e154, 1e200, 1.7e308]) {
      const x = randomVmf(5, 3, { kappa, rng: rng(), dtype: 'float64' });
      for (const row of x.toArray() as number[][]) expect(row[0]).toBeCloseTo(1, 12);
    }
  });
  it('n = 1e9 is an OptionError naming n, not a RangeError', () => {
    for (const f of [randomUniform, randomVmf, randomPowerSpherical]) {
      expect(call(() => f(1e9, 3, { rng: rng(), kappa: 1 }))).toThrow(OptionError);
      expect(call(() => f(1e9, 3, { rng: rng(), kappa: 1 }))).toThrow(/^random\w+: expected n /);
    }
  });
  it('a bad dtype names the sampler, not tensor', () => {
    expect(call(() => randomUniform(2, 3, { rng: rng(), dtype: 'float16' as never }))).toThrow(/^randomUniform: expected dtype 'float32' or 'float64', got "float16"\./);
    expect(call(() => randomVmf(2, 3, { rng: rng(), kappa: 1, dtype: 5 as never }))).toThrow(/^randomVmf: expected dtype/);
    expect(call(() => randomUniform(2, 3, null as never))).toThrow(/^randomUniform: expected options \{ rng/);
  });
});
