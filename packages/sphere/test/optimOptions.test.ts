// The optimizer options taken from geoopt (docs/math.md §1): RiemannianAdam's `amsgrad` and
// `weightDecay`, RiemannianSGD's `dampening` and `weightDecay`. Golden-free: both update paths (the
// fused host loops that `update` runs on cpu, and the composed reference) against hand-written
// float64 loops of the formulas; AMSGrad's denominator state never decreases and is the running max
// of v; amsgrad off, or with v never decreasing, changes nothing bit for bit; weight decay λ equals
// adding λx to the gradient, bit for bit; option validation.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { Tensor } from '@keepdist/autograd';
import { RiemannianAdam, RiemannianSGD, randomUniform, type RiemannianAdamState, type RiemannianSGDState } from '@keepdist/sphere';
import { composedAdamUpdate } from '../src/optim/riemannianAdam.js';
import { composedSgdUpdate } from '../src/optim/riemannianSgd.js';
import { RUNS, values } from './helpers.js';

beforeAll(() => ag.setBackend(ag.cpuBackend));

/** The two update paths of an optimizer: `update` (fused on cpu) and the composed reference. */
const PATHS = ['fused', 'composed'] as const;
type Path = (typeof PATHS)[number];

function adamUpdate(path: Path, opt: RiemannianAdam, x: Tensor, g: Tensor, s: RiemannianAdamState | undefined) {
  return path === 'fused' ? opt.update(x, g, s) : composedAdamUpdate(opt, x, g, s);
}
function sgdUpdate(path: Path, opt: RiemannianSGD, x: Tensor, g: Tensor, s: RiemannianSGDState | undefined) {
  return path === 'fused' ? opt.update(x, g, s) : composedSgdUpdate(opt, x, g, s);
}

/** Random float64 n × d gradients, row i scaled by scales[i] (0 gives a zero row). */
function gradient(rng: ag.Rng, n: number, d: number, scales: readonly number[]): Tensor {
  const z = rng.normalArray(n * d);
  return ag.tensor(Array.from(z, (v, k) => v * scales[Math.floor(k / d)]!), { shape: [n, d], dtype: 'float64' });
}

/** Random tangent vectors at x (float64 n × d), each row of norm `norm`. */
function tangentRows(rng: ag.Rng, x: Tensor, norm: number): Tensor {
  const [n, d] = x.shape as [number, number];
  const xs = rowsOf(values(x), d);
  const out = xs.flatMap((xi) => {
    const z = Array.from(rng.normalArray(d));
    const c = dot(xi, z);
    const t = z.map((v, k) => v - c * xi[k]!);
    const r = Math.sqrt(dot(t, t));
    return t.map((v) => (v / r) * norm);
  });
  return ag.tensor(out, { shape: [n, d], dtype: 'float64' });
}

/** Rows of a flat array. */
const rowsOf = (a: readonly number[], d: number): number[][] => Array.from({ length: a.length / d }, (_, i) => a.slice(i * d, (i + 1) * d));
const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, k) => s + v * b[k]!, 0);

/** Hand-written float64 row of proj(x, ∇ + λx) = e − ⟨x, e⟩ x. */
function riemannianGradient(x: readonly number[], grad: readonly number[], lambda: number): number[] {
  const e = grad.map((v, k) => v + lambda * x[k]!);
  const c = dot(x, e);
  return e.map((v, k) => v - c * x[k]!);
}

/** Hand-written retr step of one row, y = (x + u)/‖x + u‖, and the transport m − ⟨y, m⟩ y. */
function retrAndTransport(x: readonly number[], u: readonly number[], m: readonly number[]): { x: number[]; m: number[] } {
  const y = x.map((v, k) => v + u[k]!);
  const r = Math.sqrt(dot(y, y));
  const yn = y.map((v) => v / r);
  const c = dot(yn, m);
  return { x: yn, m: m.map((v, k) => v - c * yn[k]!) };
}

/** Max |a − b| over two nested arrays of one shape. */
function maxDiff(a: readonly number[][], b: readonly number[][]): number {
  return Math.max(0, ...a.flatMap((r, i) => r.map((v, k) => Math.abs(v - b[i]![k]!))));
}

/** A random case: points, per-step per-row gradient scales (some rows shrink, so v falls), lr. */
const caseArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  n: fc.integer({ min: 1, max: 5 }),
  d: fc.integer({ min: 2, max: 6 }),
  steps: fc.integer({ min: 1, max: 8 }),
  lr: fc.double({ min: 1e-3, max: 0.2, noNaN: true }),
  lambda: fc.constantFrom(0, 0.1, 2),
  path: fc.constantFrom(...PATHS),
}).chain((c) => fc.array(fc.array(fc.constantFrom(0, 1e-3, 0.1, 1, 4), { minLength: c.n, maxLength: c.n }),
  { minLength: c.steps, maxLength: c.steps }).map((scales) => ({ ...c, scales })));

describe('RiemannianAdam amsgrad and weightDecay', () => {
  it('property: amsgrad\'s vMax never decreases, is the running max of v, and the steps match a hand-written float64 loop', () => {
    fc.assert(fc.property(caseArb, fc.constantFrom<[number, number]>([0.9, 0.999], [0.5, 0.9]), (c, [b1, b2]) => {
      const rng = ag.createRng(c.seed);
      const x0 = randomUniform(c.n, c.d, { rng, dtype: 'float64' });
      const eps = 1e-8;
      const opt = new RiemannianAdam([x0.detach().requireGrad()], { lr: c.lr, betas: [b1, b2], retraction: 'retr', amsgrad: true, weightDecay: c.lambda });
      let x = x0, state: RiemannianAdamState | undefined;
      let rx = rowsOf(values(x0), c.d), rm = rx.map((r) => r.map(() => 0)), rv = rx.map(() => 0), rvMax = rx.map(() => 0);
      const vs: number[][] = [];
      for (const [k, scales] of c.scales.entries()) {
        const g = gradient(rng, c.n, c.d, scales);
        const prevMax = state?.vMax ? values(state.vMax) : null;
        ({ value: x, state } = adamUpdate(c.path, opt, x, g, state));
        const v = values(state.v), vMax = values(state.vMax!);
        vs.push(v);
        if (prevMax) vMax.forEach((w, i) => expect(w).toBeGreaterThanOrEqual(prevMax[i]!));
        vMax.forEach((w, i) => expect(w).toBe(Math.max(...vs.map((vk) => vk[i]!))));
        // the reference: geoopt's formulas, row by row, in float64
        const t = k + 1, grows = rowsOf(values(g), c.d);
        rx.forEach((xi, i) => {
          const gi = riemannianGradient(xi, grows[i]!, c.lambda);
          const mi = rm[i]!.map((mv, q) => b1 * mv + (1 - b1) * gi[q]!);
          rv[i] = b2 * rv[i]! + (1 - b2) * dot(gi, gi);
          rvMax[i] = Math.max(rvMax[i]!, rv[i]!);
          const denom = Math.sqrt(rvMax[i]! / (1 - b2 ** t)) + eps;
          const next = retrAndTransport(xi, mi.map((mv) => -c.lr * (mv / (1 - b1 ** t)) / denom), mi);
          rx[i] = next.x;
          rm[i] = next.m;
        });
        expect(maxDiff(rowsOf(values(x), c.d), rx), `x after step ${t}`).toBeLessThan(1e-12);
        expect(maxDiff(rowsOf(values(state.m), c.d), rm), `m after step ${t}`).toBeLessThan(1e-12);
        v.forEach((vi, i) => expect(Math.abs(vi - rv[i]!)).toBeLessThanOrEqual(1e-12 * rv[i]!));
      }
    }), RUNS);
  });

  it('property: with v never decreasing (growing gradients), amsgrad changes nothing, bit for bit; amsgrad false is the default', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const rng = ag.createRng(c.seed);
      const x0 = randomUniform(c.n, c.d, { rng, dtype: 'float64' });
      const p = x0.detach().requireGrad();
      const [plain, off, ams] = [{}, { amsgrad: false, weightDecay: 0 }, { amsgrad: true }].map((o) => new RiemannianAdam([p], { lr: c.lr, ...o }));
      const runs = [plain!, off!, ams!].map((opt) => ({ opt, x: x0, s: undefined as RiemannianAdamState | undefined }));
      for (let k = 0; k < c.steps; k++) {
        // tangent gradients whose row norms double every step: ‖g_t‖² = 4 max_{s<t} ‖g_s‖² ≥ 4 v_{t−1}
        // (to rounding), so v_t ≥ v_{t−1}
        const g = tangentRows(rng, runs[0]!.x, 2 ** k);
        for (const r of runs) ({ value: r.x, state: r.s } = adamUpdate(c.path, r.opt, r.x, g, r.s));
        const [a, b, m] = runs;
        expect(Object.keys(a!.s!).sort()).toEqual(['m', 'step', 'v']);
        expect(Object.keys(b!.s!).sort()).toEqual(['m', 'step', 'v']);
        for (const r of [b!, m!]) {
          expect(values(r.x)).toEqual(values(a!.x));
          expect(values(r.s!.m)).toEqual(values(a!.s!.m));
          expect(values(r.s!.v)).toEqual(values(a!.s!.v));
        }
        expect(values(m!.s!.vMax!)).toEqual(values(m!.s!.v));
      }
    }), RUNS);
  });

  it('property: weightDecay λ equals λ·x added to the gradient, bit for bit (fused and composed), and is not a no-op off the sphere', () => {
    fc.assert(fc.property(caseArb, fc.boolean(), fc.constantFrom(0, -1e-3, -1e-4, 1e-4, 1e-3), (c, amsgrad, off) => {
      const rng = ag.createRng(c.seed);
      const lambda = c.lambda || 0.5;
      // x off the sphere by a factor 1 + off, where proj(x, λx) = λ (1 − ‖x‖²) x is not zero
      const x = ag.mul(randomUniform(c.n, c.d, { rng, dtype: 'float64' }), 1 + off);
      const p = randomUniform(c.n, c.d, { rng, dtype: 'float64', requiresGrad: true });
      const decayed = new RiemannianAdam([p], { lr: c.lr, amsgrad, weightDecay: lambda });
      const plain = new RiemannianAdam([p], { lr: c.lr, amsgrad });
      let sd: RiemannianAdamState | undefined, sp: RiemannianAdamState | undefined;
      for (const scales of c.scales) {
        const g = gradient(rng, c.n, c.d, scales);
        const a = adamUpdate(c.path, decayed, x, g, sd);
        const b = adamUpdate(c.path, plain, x, ag.add(g, ag.mul(x, lambda)), sp);
        expect(values(a.value)).toEqual(values(b.value));
        expect(values(a.state.m)).toEqual(values(b.state.m));
        expect(values(a.state.v)).toEqual(values(b.state.v));
        // off the sphere the radial part λ (1 − ‖x‖²) x of g enters ‖g‖², hence v
        if (off !== 0) expect(values(a.state.v)).not.toEqual(values(adamUpdate(c.path, plain, x, g, sp).state.v));
        [sd, sp] = [a.state, b.state];
      }
    }), RUNS);
  });

  it('edge: step() with weightDecay equals step() with λ·x added to the gradient, bit for bit, on the sphere', () => {
    const x0 = randomUniform(8, 4, { rng: ag.createRng(11), dtype: 'float64' });
    const a = x0.detach().requireGrad(), b = x0.detach().requireGrad();
    const oa = new RiemannianAdam([a], { lr: 0.05, weightDecay: 3, amsgrad: true });
    const ob = new RiemannianAdam([b], { lr: 0.05, amsgrad: true });
    const rng = ag.createRng(12);
    for (let k = 0; k < 20; k++) {
      const g = rng.normal([8, 4], { dtype: 'float64' });
      a.grad = g;
      b.grad = ag.add(g, ag.mul(b.detach(), 3));
      oa.step();
      ob.step();
      expect(values(a)).toEqual(values(b));
    }
  });

  it('edge: bad amsgrad and weightDecay values throw OptionErrors naming the optimizer, option and value', () => {
    const x = randomUniform(3, 3, { rng: ag.createRng(1), requiresGrad: true });
    const make = (o: object) => () => new RiemannianAdam([x], o as never);
    expect(make({ weightDecay: -1 })).toThrow(ag.OptionError);
    expect(make({ weightDecay: -1 })).toThrow(/^RiemannianAdam: expected weightDecay in \[0, Infinity\), got -1\./);
    expect(make({ weightDecay: Number.NaN })).toThrow(/^RiemannianAdam: expected weightDecay in \[0, Infinity\), got NaN\./);
    expect(make({ weightDecay: Infinity })).toThrow(/^RiemannianAdam: expected weightDecay in \[0, Infinity\), got Infinity\./);
    expect(make({ weightDecay: '1' })).toThrow(/^RiemannianAdam: expected weightDecay in \[0, Infinity\)/);
    expect(make({ amsgrad: 1 })).toThrow(/^RiemannianAdam: expected amsgrad true or false, got 1\./);
    expect(make({ amsgrad: 'yes' })).toThrow(/^RiemannianAdam: expected amsgrad true or false, got yes\./);
    expect(make({ amsGrad: true })).toThrow(/^RiemannianAdam: expected options among lr, betas, eps, retraction, stabilize, amsgrad, weightDecay, got unknown option 'amsGrad'\./);
    expect(new RiemannianAdam([x], { weightDecay: 0, amsgrad: true }).amsgrad).toBe(true);
  });
});

describe('weightDecay overflow', () => {
  it('edge: a finite gradient whose ∇ + λx overflows throws the same DomainError on both paths, in both dtypes', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const big = dtype === 'float64' ? 1.7e308 : 3.3e38, lambda = dtype === 'float64' ? 1e308 : 3e38;
      const x = randomUniform(3, 3, { rng: ag.createRng(5), dtype, requiresGrad: true });
      // a row of all-positive coordinates, so that big + λ x_k overflows at its first entry
      const xv = ag.tensor([[0.6, 0.64, 0.48], [0, 0, 1], [1, 0, 0]], { dtype });
      const g = ag.full([3, 3], big, { dtype });
      const adam = new RiemannianAdam([x], { weightDecay: lambda });
      const sgd = new RiemannianSGD([x], { lr: 0.1, momentum: 0.5, weightDecay: lambda });
      const expected = `: expected a finite gradient with weight decay ∇ + λ·x, got Infinity at flat index 0 (λ = ${lambda}). Lower weightDecay`;
      for (const path of PATHS) {
        expect(() => adamUpdate(path, adam, xv, g, undefined)).toThrow(ag.DomainError);
        expect(() => adamUpdate(path, adam, xv, g, undefined)).toThrow(`RiemannianAdam${expected}`);
        expect(() => sgdUpdate(path, sgd, xv, g, undefined)).toThrow(`RiemannianSGD${expected}`);
      }
      x.grad = ag.full([3, 3], big, { dtype });
      const before = values(x);
      expect(() => adam.step()).toThrow(/^RiemannianAdam: expected a finite gradient with weight decay/);
      expect(values(x)).toEqual(before);
    }
  });
});

describe('RiemannianSGD dampening and weightDecay', () => {
  it('property: dampening d follows m ← β m + (1 − d) g (m = g on the first step) of a hand-written float64 loop', () => {
    fc.assert(fc.property(caseArb, fc.constantFrom(0.5, 0.9), fc.constantFrom(0, 0.1, 0.7), (c, beta, damp) => {
      const rng = ag.createRng(c.seed);
      const x0 = randomUniform(c.n, c.d, { rng, dtype: 'float64' });
      const opt = new RiemannianSGD([x0.detach().requireGrad()], { lr: c.lr, momentum: beta, dampening: damp, weightDecay: c.lambda, retraction: 'retr' });
      let x = x0, state: RiemannianSGDState | undefined;
      let rx = rowsOf(values(x0), c.d), rm: number[][] | null = null;
      for (const [k, scales] of c.scales.entries()) {
        const g = gradient(rng, c.n, c.d, scales);
        ({ value: x, state } = sgdUpdate(c.path, opt, x, g, state));
        const grows = rowsOf(values(g), c.d);
        const ms = rx.map((xi, i) => {
          const gi = riemannianGradient(xi, grows[i]!, c.lambda);
          return rm ? rm[i]!.map((mv, q) => beta * mv + (1 - damp) * gi[q]!) : gi;
        });
        const next = rx.map((xi, i) => retrAndTransport(xi, ms[i]!.map((mv) => -c.lr * mv), ms[i]!));
        rx = next.map((r) => r.x);
        rm = next.map((r) => r.m);
        expect(maxDiff(rowsOf(values(x), c.d), rx), `x after step ${k + 1}`).toBeLessThan(1e-12);
        expect(maxDiff(rowsOf(values(state.m!), c.d), rm), `m after step ${k + 1}`).toBeLessThan(1e-12);
      }
    }), RUNS);
  });

  it('property: weightDecay λ equals λ·x added to the gradient, bit for bit (fused and composed), and is not a no-op off the sphere', () => {
    fc.assert(fc.property(caseArb, fc.constantFrom(0, 0.9), fc.constantFrom(0, 0.3), fc.constantFrom(0, -1e-3, -1e-4, 1e-4, 1e-3),
      (c, momentum, dampening, off) => {
        const rng = ag.createRng(c.seed);
        const lambda = c.lambda || 0.5;
        const x = ag.mul(randomUniform(c.n, c.d, { rng, dtype: 'float64' }), 1 + off);
        const p = randomUniform(c.n, c.d, { rng, dtype: 'float64', requiresGrad: true });
        const decayed = new RiemannianSGD([p], { lr: c.lr, momentum, dampening, weightDecay: lambda });
        const plain = new RiemannianSGD([p], { lr: c.lr, momentum, dampening });
        let sd: RiemannianSGDState | undefined, sp: RiemannianSGDState | undefined;
        for (const scales of c.scales) {
          const g = gradient(rng, c.n, c.d, scales);
          const a = sgdUpdate(c.path, decayed, x, g, sd);
          const b = sgdUpdate(c.path, plain, x, ag.add(g, ag.mul(x, lambda)), sp);
          expect(values(a.value)).toEqual(values(b.value));
          expect(a.state.m === null).toBe(momentum === 0);
          if (a.state.m) expect(values(a.state.m)).toEqual(values(b.state.m!));
          // off the sphere g gains the radial part λ (1 − ‖x‖²) x: the retraction maps it back onto x's
          // ray (so x_new changes only by rounding), but the transported momentum keeps a trace of it
          if (off !== 0 && a.state.m) expect(values(a.state.m)).not.toEqual(values(sgdUpdate(c.path, plain, x, g, sp).state.m!));
          [sd, sp] = [a.state, b.state];
        }
      }), RUNS);
  });

  it('edge: bad dampening and weightDecay values throw OptionErrors naming the optimizer, option and value', () => {
    const x = randomUniform(3, 3, { rng: ag.createRng(2), requiresGrad: true });
    const make = (o: object) => () => new RiemannianSGD([x], { lr: 0.1, ...o } as never);
    expect(make({ dampening: 1 })).toThrow(ag.OptionError);
    expect(make({ dampening: 1 })).toThrow(/^RiemannianSGD: expected dampening in \[0, 1\), got 1\./);
    expect(make({ dampening: -0.1 })).toThrow(/^RiemannianSGD: expected dampening in \[0, 1\), got -0.1\./);
    expect(make({ dampening: Number.NaN })).toThrow(/^RiemannianSGD: expected dampening in \[0, 1\), got NaN\./);
    expect(make({ momentum: 0.9, nesterov: true, dampening: 0.5 })).toThrow(/^RiemannianSGD: expected dampening 0 with nesterov, got 0.5\. Drop dampening or nesterov\./);
    expect(make({ weightDecay: -2 })).toThrow(/^RiemannianSGD: expected weightDecay in \[0, Infinity\), got -2\./);
    expect(make({ weightDecay: Infinity })).toThrow(/^RiemannianSGD: expected weightDecay in \[0, Infinity\), got Infinity\./);
    expect(make({ damping: 0.1 })).toThrow(/^RiemannianSGD: expected options among lr, momentum, nesterov, dampening, weightDecay, retraction, stabilize, got unknown option 'damping'\./);
    const ok = new RiemannianSGD([x], { lr: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 1e-4 });
    expect([ok.dampening, ok.weightDecay]).toEqual([0.5, 1e-4]);
  });
});
