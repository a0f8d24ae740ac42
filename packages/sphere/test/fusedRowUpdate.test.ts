// The fused cpu updates of RiemannianAdam and RiemannianSGD (src/optim/fusedRowUpdate.ts) against
// their composed references (composedAdamUpdate, composedSgdUpdate): fused == composed, row by row
// (float64 within 1e-12 relative, float32 within 1e-5), over random points, gradients (with zero and
// tiny rows, the series branch of expmap), states, both retractions, stabilize on and off, amsgrad,
// dampening and weight decay, several steps; which path the optimizers take; the radam.json golden run through the composed path.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { Backend, DType, Tensor } from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import { RiemannianAdam, RiemannianSGD, proj, randomUniform, type Retraction } from '@keepdist/sphere';
import { fusedAdamUpdate, fusedSgdUpdate } from '../src/optim/fusedRowUpdate.js';
import { composedAdamUpdate, type RiemannianAdamHyperparameters, type RiemannianAdamState } from '../src/optim/riemannianAdam.js';
import { composedSgdUpdate, type RiemannianSGDHyperparameters, type RiemannianSGDState } from '../src/optim/riemannianSgd.js';
import { RUNS, loadGolden, mmdGaussian, values } from './helpers.js';

// The fused path's reference behaviour is the cpu backend's (zero-copy arrays); tensors made
// without a backend option go there.
beforeAll(() => ag.setBackend(ag.cpuBackend));

/**
 * fused vs composed, relative to each row's largest reference value. In float32 the scale of a row
 * of m is at least that of the values it is computed from (the previous m and ∇): β m + g can
 * cancel, and the composed path's float32 rounding of those inputs is then all that is left.
 */
const RTOL: Readonly<Record<DType, number>> = { float64: 1e-12, float32: 1e-5 };

/** A synchronous backend with the cpu's primitives that is not `cpuBackend`: the composed path runs on it. */
// Another synchronous backend object over the cpu kernels: the fused path runs there too, through
// readSync and one upload per result (as on wasm).
const cpuCopy: Backend = { ...ag.cpuBackend, name: 'cpu-copy' };
// An asynchronous one: the fused host path must not read it, so the composed path runs.
const asyncCopy: Backend = { ...ag.cpuBackend, name: 'cpu-async', synchronous: false };

/** Each row's max |value| (one value per element for rank 1; zeros for null). */
function rowScale(t: Tensor | null | undefined, n: number): number[] {
  if (!t) return new Array<number>(n).fill(0);
  const v = t.dataSync(), d = v.length / n;
  return Array.from({ length: n }, (_, i) => Math.max(0, ...Array.from(v.subarray(i * d, (i + 1) * d), Math.abs)));
}

/**
 * Throws unless `a` (fused) equals `b` (composed) row by row: max |a − b| ≤ RTOL · max(max|b_row|,
 * floor_i); all-zero rows (with no floor) must match exactly.
 */
function assertRowsClose(what: string, a: Tensor, b: Tensor, dtype: DType, floor: readonly number[] = []): void {
  expect(a.shape, what).toEqual(b.shape);
  expect(a.dtype, what).toBe(dtype);
  expect(a.backend, what).toBe(ag.cpuBackend);
  const n = a.shape[0]!, d = a.size / n;
  const av = a.dataSync(), bv = b.dataSync();
  const scale = rowScale(b, n);
  for (let i = 0; i < n; i++) {
    let err = 0;
    for (let k = i * d; k < (i + 1) * d; k++) err = Math.max(err, Math.abs(av[k]! - bv[k]!));
    const allowed = RTOL[dtype] * Math.max(scale[i]!, floor[i] ?? 0);
    if (!(err <= allowed)) {
      throw new Error(`${what}, row ${i}: max |fused − composed| = ${err.toExponential(3)} > ${allowed.toExponential(3)} ` +
        `(fused ${Array.from(av.subarray(i * d, (i + 1) * d)).join(', ')}; composed ${Array.from(bv.subarray(i * d, (i + 1) * d)).join(', ')}).`);
    }
  }
}

/**
 * Row scales of the gradients: zero rows, tiny rows (the series branch of expmap), and ordinary
 * ones. The cases keep the step angle θ = ‖u‖ below about 30: the composed float32 path rounds θ
 * itself to float32, an error of θ · 6e-8 in the result that is not the fused path's to match.
 */
const SCALES = [0, 1e-12, 1e-7, 1e-3, 1, 3] as const;

/** Shared shape of a random case: points, per-step per-row gradient scales, a start state or none. */
const caseArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  n: fc.integer({ min: 1, max: 6 }),
  d: fc.integer({ min: 2, max: 7 }),
  dtype: fc.constantFrom<DType>('float64', 'float32'),
  retraction: fc.constantFrom<Retraction>('expmap', 'retr'),
  stabilize: fc.constantFrom<number | null>(null, 1, 2, 3),
  steps: fc.integer({ min: 1, max: 5 }),
  lr: fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
  startStep: fc.constantFrom(0, 0, 1, 7, 100),
}).chain((c) => fc.array(fc.array(fc.constantFrom(...SCALES), { minLength: c.n, maxLength: c.n }),
  { minLength: c.steps + 1, maxLength: c.steps + 1 }).map((scales) => ({ ...c, scales })));

/**
 * Random gradients at x with row norms set by `scales`: per row s · (r · t̂ + a · x) with t̂ a random
 * unit tangent, r ∈ [0.5, 1.5) and a ~ N(0, 1). The tangent part keeps proj(x, ∇) well conditioned
 * (a ∇ nearly parallel to x would leave only float32 rounding in g, for either path).
 */
function gradients(rng: ag.Rng, x: Tensor, scales: readonly number[]): Tensor {
  const [n, d] = x.shape as [number, number];
  const xv = x.dataSync(), z = rng.normalArray(n * d);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let dot = 0, tt = 0;
    for (let k = 0; k < d; k++) dot += xv[o + k]! * z[o + k]!;
    for (let k = 0; k < d; k++) tt += (z[o + k]! - dot * xv[o + k]!) ** 2;
    const r = (0.5 + rng.float()) / Math.sqrt(tt), a = rng.normalArray(1)[0]!;
    for (let k = 0; k < d; k++) out[o + k] = scales[i]! * (r * (z[o + k]! - dot * xv[o + k]!) + a * xv[o + k]!);
  }
  return ag.tensor(out, { shape: [n, d], dtype: x.dtype });
}

/**
 * The weight decay a case runs with: `decay` in float64; 0 in float32. On the sphere λx cancels in
 * the projection, and the composed float32 path rounds ∇ + λx to float32 first, which leaves a
 * float32 rounding error of λ · 6e-8 in g that the fused path does not have (Adam then normalises
 * it into a full step when ∇ is small): a difference of the composed path's rounding, not of the
 * fused loops.
 */
function weightDecayFor(dtype: DType, decay: number): number {
  return dtype === 'float64' ? decay : 0;
}

/** Σ_k t_ik² per row. */
function rowNormsSquared(t: Tensor): number[] {
  return values(ag.sum(ag.square(t), -1));
}

/**
 * Runs one update per entry of `scales` on both paths and compares each step. In float64 each path
 * continues from its own output (the chains agree to rounding, in practice bit for bit). In float32
 * both start every step from the composed output, so a comparison measures one update's rounding,
 * not float32 rounding carried through earlier updates and then amplified by a cancellation.
 */
function compareChains<S extends { step: number; m: Tensor | null }>(rng: ag.Rng, x0: Tensor, state0: S | undefined,
  scales: readonly (readonly number[])[],
  fused: (x: Tensor, g: Tensor, s: S | undefined) => { value: Tensor; state: S } | null,
  composed: (x: Tensor, g: Tensor, s: S | undefined) => { value: Tensor; state: S },
  compareState: (k: number, f: S, c: S, mFloor: readonly number[]) => void): void {
  const dtype = x0.dtype, n = x0.shape[0]!;
  let xf = x0, xc = x0, sf = state0, sc = state0;
  for (const [k, s] of scales.entries()) {
    const grad = gradients(rng, xc, s);
    const inputs = [xf, grad].map((t) => Array.from(t.dataSync()));
    const f = fused(xf, grad, sf);
    expect(f, 'the fused path applies').not.toBeNull();
    const c = composed(xc, grad, sc);
    expect([xf, grad].map((t) => Array.from(t.dataSync())), 'inputs unchanged').toEqual(inputs);
    expect(f!.value.storage).not.toBe(xf.storage);
    assertRowsClose(`x after step ${k + 1}`, f!.value, c.value, dtype);
    expect(f!.state.step).toBe(c.state.step);
    const prev = rowScale(sc?.m, n), gs = rowScale(grad, n);
    compareState(k + 1, f!.state, c.state, dtype === 'float32' ? prev.map((p, i) => Math.max(p, gs[i]!)) : []);
    [xf, sf, xc, sc] = dtype === 'float64' ? [f!.value, f!.state, c.value, c.state] : [c.value, c.state, c.value, c.state];
  }
}

describe('fusedAdamUpdate', () => {
  it('property: equals composedAdamUpdate over random points, gradients, states and options, for several steps', () => {
    fc.assert(fc.property(caseArb, fc.constantFrom<[number, number]>([0.9, 0.999], [0, 0.5], [0.5, 0.9]),
      fc.constantFrom(1e-8, 1e-15), fc.boolean(), fc.constantFrom(0, 1e-2, 1), (c, betas, eps, amsgrad, decay) => {
        const rng = ag.createRng(c.seed);
        const x0 = randomUniform(c.n, c.d, { rng, dtype: c.dtype });
        const h: RiemannianAdamHyperparameters = { lr: c.lr, beta1: betas[0], beta2: betas[1], eps, retraction: c.retraction,
          stabilize: c.stabilize, amsgrad, weightDecay: weightDecayFor(c.dtype, decay) };
        const m0 = proj(x0, gradients(rng, x0, c.scales[0]!));
        // v0 ≥ ‖m0‖² per row, as a real run has it (with β1 < √β2 that bounds ‖m̂‖ / √v̂, hence θ)
        const v0 = ag.tensor(rowNormsSquared(m0).map((r) => r * (1 + rng.float())), { dtype: c.dtype });
        const vMax0 = ag.tensor(values(v0).map((v) => v * (1 + rng.float())), { dtype: c.dtype });
        const state0: RiemannianAdamState | undefined = c.startStep === 0 ? undefined
          : amsgrad && c.startStep % 2 === 1 ? { step: c.startStep, m: m0, v: v0, vMax: vMax0 } : { step: c.startStep, m: m0, v: v0 };
        compareChains(rng, x0, state0, c.scales.slice(1),
          (x, g, s) => fusedAdamUpdate(h, x, g, s), (x, g, s) => composedAdamUpdate(h, x, g, s),
          (k, f, cs, mFloor) => {
            assertRowsClose(`m after step ${k}`, f.m, cs.m, c.dtype, mFloor);
            expect(f.v.shape).toEqual([c.n]);
            assertRowsClose(`v after step ${k}`, f.v, cs.v, c.dtype);
            expect(f.vMax === undefined, 'vMax present exactly with amsgrad').toBe(!amsgrad);
            expect(cs.vMax === undefined).toBe(!amsgrad);
            if (f.vMax && cs.vMax) assertRowsClose(`vMax after step ${k}`, f.vMax, cs.vMax, c.dtype);
          });
      }), RUNS);
  });

  it('edge: RiemannianAdam.update takes the fused path on cpu and the composed one otherwise', () => {
    const x = randomUniform(5, 4, { rng: ag.createRng(1), dtype: 'float64' });
    const grad = ag.createRng(2).normal([5, 4], { dtype: 'float64' });
    const opt = new RiemannianAdam([x.detach().requireGrad()], { lr: 0.1 });
    const ref = composedAdamUpdate(opt, x, grad, undefined);
    const onCpu = opt.update(x, grad, undefined);
    expect(onCpu.value.node).toBeNull();
    expect(values(onCpu.value)).toEqual(values(ref.value)); // float64: bit for bit
    expect(values(onCpu.state.m)).toEqual(values(ref.state.m));
    const xc = ag.tensor(values(x), { shape: [5, 4], dtype: 'float64', backend: cpuCopy });
    const gc = ag.tensor(values(grad), { shape: [5, 4], dtype: 'float64', backend: cpuCopy });
    expect(values(fusedAdamUpdate(opt, xc, gc, undefined)!.value)).toEqual(values(ref.value));
    const xa = ag.tensor(values(x), { shape: [5, 4], dtype: 'float64', backend: asyncCopy });
    expect(fusedAdamUpdate(opt, xa, ag.toBackend(gc, asyncCopy), undefined)).toBeNull();
    const other = opt.update(xc, gc, undefined);
    expect(other.value.backend).toBe(cpuCopy);
    expect(values(other.value)).toEqual(values(ref.value));
    // a broadcast gradient row, a float32 state and a recorded graph go to the composed path too
    expect(fusedAdamUpdate(opt, x, ag.tensor([[1, 2, 3, 4]], { dtype: 'float64' }), undefined)).toBeNull();
    const state32 = { step: 1, m: ag.zeros([5, 4]), v: ag.zeros([5]) };
    expect(fusedAdamUpdate(opt, x, grad, state32)).toBeNull();
    expect(() => opt.update(x, grad, state32)).toThrow(/expected matching dtypes, got float32 and float64/);
    const recorded = opt.update(x, grad.detach().requireGrad(), undefined);
    expect(recorded.value.requiresGrad).toBe(true);
  });

  it('edge: a negative second moment in a hand-made state raises sqrt\'s DomainError, as the composed path does', () => {
    const x = randomUniform(2, 3, { rng: ag.createRng(3), dtype: 'float64' });
    const opt = new RiemannianAdam([x.detach().requireGrad()]);
    const state = { step: 3, m: ag.zeros([2, 3], { dtype: 'float64' }), v: ag.tensor([1, -1], { dtype: 'float64' }) };
    expect(() => opt.update(x, ag.zerosLike(x), state)).toThrow(/sqrt: expected x ≥ 0/);
  });

  it('golden: on another synchronous backend (the fused path through readSync and upload) radam.json is reproduced (float64)', () => {
    const radam = loadGolden<{ id: string; retraction: Retraction; options: { lr: number; betas: [number, number]; eps: number };
      steps: number; loss: { options: { gamma: number } }; X0: number[][]; X: number[][][]; m: number[][][]; v: number[][] }>('radam.json');
    for (const c of radam.cases) {
      const x = ag.tensor(c.X0, { dtype: 'float64', backend: cpuCopy, requiresGrad: true });
      const opt = new RiemannianAdam([x], { ...c.options, retraction: c.retraction });
      for (let k = 0; k < c.steps; k++) {
        opt.zeroGrad();
        mmdGaussian(x, c.loss.options.gamma).backward();
        opt.step();
        expect(x.backend).toBe(cpuCopy);
        assertClose(`${c.id} X[${k}]`, values(x), c.X[k]!, 'float64');
        assertClose(`${c.id} m[${k}]`, values(opt.state.get(x)!.m), c.m[k]!, 'float64');
        assertClose(`${c.id} v[${k}]`, values(opt.state.get(x)!.v), c.v[k]!, 'float64');
      }
    }
  });
});

describe('fusedSgdUpdate', () => {
  it('property: equals composedSgdUpdate over random points, gradients, states and options, for several steps', () => {
    fc.assert(fc.property(caseArb, fc.constantFrom(0, 0.5, 0.9), fc.boolean(), fc.constantFrom(0, 0.1, 0.5),
      fc.constantFrom(0, 1e-2, 1), (c, momentum, nesterov0, dampening0, decay) => {
      const rng = ag.createRng(c.seed);
      const x0 = randomUniform(c.n, c.d, { rng, dtype: c.dtype });
      // nesterov needs momentum and no dampening (the constructor's rule)
      const nesterov = nesterov0 && momentum > 0, dampening = nesterov ? 0 : dampening0;
      // lr / 5: θ ≤ lr · ‖∇‖ · (1 + β) / (1 − β) stays below about 30
      const h: RiemannianSGDHyperparameters = { lr: c.lr / 5, momentum, nesterov, dampening, weightDecay: weightDecayFor(c.dtype, decay),
        retraction: c.retraction, stabilize: c.stabilize };
      const m0 = momentum > 0 && c.startStep % 2 === 1 ? proj(x0, gradients(rng, x0, c.scales[0]!)) : null;
      const state0: RiemannianSGDState | undefined = c.startStep > 0 ? { step: c.startStep, m: m0 } : undefined;
      compareChains(rng, x0, state0, c.scales.slice(1),
        (x, g, s) => fusedSgdUpdate(h, x, g, s), (x, g, s) => composedSgdUpdate(h, x, g, s),
        (k, f, cs, mFloor) => {
          expect(f.m === null).toBe(cs.m === null);
          if (f.m && cs.m) assertRowsClose(`m after step ${k}`, f.m, cs.m, c.dtype, mFloor);
        });
    }), RUNS);
  });

  it('edge: RiemannianSGD.update takes the fused path on cpu and the composed one otherwise', () => {
    const x = randomUniform(4, 3, { rng: ag.createRng(4), dtype: 'float64' });
    const grad = ag.createRng(5).normal([4, 3], { dtype: 'float64' });
    const opt = new RiemannianSGD([x.detach().requireGrad()], { lr: 0.2, momentum: 0.9, nesterov: true, retraction: 'retr', stabilize: 1 });
    const ref = composedSgdUpdate(opt, x, grad, undefined);
    const onCpu = opt.update(x, grad, undefined);
    expect(values(onCpu.value)).toEqual(values(ref.value));
    expect(values(onCpu.state.m!)).toEqual(values(ref.state.m!));
    const xc = ag.tensor(values(x), { shape: [4, 3], dtype: 'float64', backend: cpuCopy });
    const gc = ag.tensor(values(grad), { shape: [4, 3], dtype: 'float64', backend: cpuCopy });
    expect(values(fusedSgdUpdate(opt, xc, gc, undefined)!.value)).toEqual(values(ref.value));
    const xa = ag.toBackend(xc, asyncCopy), ga = ag.toBackend(gc, asyncCopy);
    expect(fusedSgdUpdate(opt, xa, ga, undefined)).toBeNull();
    expect(opt.update(xc, gc, undefined).value.backend).toBe(cpuCopy);
    expect(fusedSgdUpdate(opt, x, grad, { step: 1, m: ag.zeros([4, 3]) })).toBeNull();
  });
});
