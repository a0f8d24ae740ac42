// The fused RiemannianAdam / RiemannianSGD updates on the wasm heap (src/optim/wasmRowUpdate.ts, the
// backend's assembly/optim.ts kernel) against the host row loops on cpu (fusedRowUpdate.ts, itself
// held equal to the composed references): same inputs, same operation order, so float64 agrees to
// 1e-13 relative per row (the kernel's sin may differ from V8's by an ulp) and float32 to one
// float32 rounding; two threads give the one-thread result bit for bit; inputs are never written;
// the error paths match; radam.json is reproduced through the wasm path.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { DType, Tensor } from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import { RiemannianAdam, RiemannianSGD, proj, randomUniform, type Retraction } from '@keepdist/sphere';
import { fusedAdamUpdate, fusedSgdUpdate } from '../src/optim/fusedRowUpdate.js';
import type { RiemannianAdamHyperparameters, RiemannianAdamState } from '../src/optim/riemannianAdam.js';
import type { RiemannianSGDHyperparameters, RiemannianSGDState } from '../src/optim/riemannianSgd.js';
import { wasmAdamUpdate, wasmSgdUpdate } from '../src/optim/wasmRowUpdate.js';
import { RUNS, loadGolden, mmdGaussian, values } from './helpers.js';

const wasm1 = ag.createWasmBackend();
const wasm2 = ag.createWasmBackend({ threads: 2 });
const RTOL: Readonly<Record<DType, number>> = { float64: 1e-13, float32: 2e-7 };

/**
 * Throws unless a and b agree row by row within RTOL of max(each row's largest |b|, floor_i): the
 * floor is the scale of what the row is computed from (a first moment that cancels to rounding
 * noise of its inputs carries that noise, differently summed on each path).
 */
function rowsClose(what: string, a: Tensor, b: Tensor, floor: readonly number[] = []): void {
  expect(a.shape, what).toEqual(b.shape);
  const n = a.shape[0]!, d = a.size / n, av = a.dataSync(), bv = b.dataSync();
  for (let i = 0; i < n; i++) {
    let err = 0, scale = 0;
    for (let k = i * d; k < (i + 1) * d; k++) {
      err = Math.max(err, Math.abs(av[k]! - bv[k]!));
      scale = Math.max(scale, Math.abs(bv[k]!));
    }
    scale = Math.max(scale, floor[i] ?? 0);
    if (!(err <= RTOL[a.dtype] * scale)) throw new Error(`${what}, row ${i}: max |wasm − host| = ${err} > ${RTOL[a.dtype]} · ${scale}`);
  }
}

/** Each row's largest |value| of the tensors given, plus `extra`. */
function rowScales(n: number, extra: number, ...ts: (Tensor | null)[]): number[] {
  const out = new Array<number>(n).fill(extra);
  for (const t of ts) {
    if (!t) continue;
    const v = t.dataSync(), d = v.length / n;
    for (let i = 0; i < n; i++) for (let k = i * d; k < (i + 1) * d; k++) out[i] = Math.max(out[i]!, Math.abs(v[k]!));
  }
  return out;
}

const backends = [wasm1, wasm2];

/** t on the cpu backend and on `backend`. */
function both(t: Tensor, backend: ag.Backend): [Tensor, Tensor] {
  return [ag.toBackend(t, ag.cpuBackend), ag.toBackend(t, backend)];
}

const caseArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  n: fc.integer({ min: 1, max: 9 }),
  d: fc.integer({ min: 1, max: 9 }),
  dtype: fc.constantFrom<DType>('float64', 'float32'),
  retraction: fc.constantFrom<Retraction>('expmap', 'retr'),
  stabilize: fc.constantFrom<number | null>(null, 1, 2),
  lr: fc.constantFrom(1e-3, 0.05, 0.5),
  scale: fc.constantFrom(0, 1e-9, 1e-3, 1, 5),
  startStep: fc.constantFrom(0, 1, 6),
  decay: fc.constantFrom(0, 0.01),
});

/** A random point, gradient and (from startStep > 0) first moment on cpu, as float64 arrays. */
function draw(c: { seed: number; n: number; d: number; dtype: DType; scale: number }): { x: Tensor; g: Tensor; m: Tensor } {
  const rng = ag.createRng(c.seed);
  const x = randomUniform(c.n, c.d, { rng, dtype: c.dtype, backend: ag.cpuBackend });
  const g = ag.mul(rng.normal([c.n, c.d], { dtype: c.dtype, backend: ag.cpuBackend }), c.scale);
  const m = proj(x, rng.normal([c.n, c.d], { dtype: c.dtype, backend: ag.cpuBackend }));
  return { x, g, m };
}

describe('wasmAdamUpdate', () => {
  it('property: equals the host fused update on cpu, with and without a state, amsgrad, weight decay', () => {
    fc.assert(fc.property(caseArb, fc.boolean(), fc.constantFrom(0, 1), (c, amsgrad, which) => {
      const backend = backends[which]!;
      const { x, g, m } = draw(c);
      const h: RiemannianAdamHyperparameters = { lr: c.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, retraction: c.retraction,
        stabilize: c.stabilize, amsgrad, weightDecay: c.decay };
      const v = ag.mul(ag.sum(ag.square(m), -1), 1.5), vMax = ag.mul(v, 1.25);
      const state = (b: ag.Backend): RiemannianAdamState | undefined => c.startStep === 0 ? undefined
        : { step: c.startStep, m: ag.toBackend(m, b), v: ag.toBackend(v, b), ...(amsgrad ? { vMax: ag.toBackend(vMax, b) } : {}) };
      const [xc, xw] = both(x, backend), [gc, gw] = both(g, backend);
      const before = [values(xw), values(gw)];
      const host = fusedAdamUpdate(h, xc, gc, state(ag.cpuBackend))!;
      const onHeap = wasmAdamUpdate(h, xw, gw, state(backend))!;
      expect([values(xw), values(gw)], 'inputs unchanged').toEqual(before);
      expect(onHeap.value.backend).toBe(backend);
      expect(onHeap.state.step).toBe(host.state.step);
      rowsClose('x', onHeap.value, host.value);
      rowsClose('m', onHeap.state.m, host.state.m, rowScales(c.n, c.decay, g, c.startStep > 0 ? m : null));
      rowsClose('v', ag.unsqueeze(onHeap.state.v, -1), ag.unsqueeze(host.state.v, -1));
      expect(onHeap.state.vMax === undefined).toBe(host.state.vMax === undefined);
      if (onHeap.state.vMax) rowsClose('vMax', ag.unsqueeze(onHeap.state.vMax, -1), ag.unsqueeze(host.state.vMax!, -1));
    }), RUNS);
  });

  it('metamorphic: two threads give the one-thread result bit for bit (rows split over the threads)', () => {
    expect(wasm2.threadInfo().threads).toBe(2);
    const { x, g } = draw({ seed: 7, n: 700, d: 64, dtype: 'float32', scale: 1 });
    const h = new RiemannianAdam([x.detach().requireGrad()], { lr: 0.01, stabilize: 1 });
    const one = wasmAdamUpdate(h, ag.toBackend(x, wasm1), ag.toBackend(g, wasm1), undefined)!;
    const two = wasmAdamUpdate(h, ag.toBackend(x, wasm2), ag.toBackend(g, wasm2), undefined)!;
    expect(values(two.value)).toEqual(values(one.value));
    expect(values(two.state.m)).toEqual(values(one.state.m));
    expect(values(two.state.v)).toEqual(values(one.state.v));
  });

  it('edge: a negative second moment runs the composed path (sqrt\'s DomainError); an overflowing weight decay throws the host path\'s DomainError', () => {
    const x = randomUniform(2, 3, { rng: ag.createRng(3), dtype: 'float64', backend: wasm1 });
    const opt = new RiemannianAdam([x.detach().requireGrad()]);
    const state = { step: 3, m: ag.zeros([2, 3], { dtype: 'float64', backend: wasm1 }), v: ag.tensor([1, -1], { dtype: 'float64', backend: wasm1 }) };
    expect(wasmAdamUpdate(opt, x, ag.zerosLike(x), state)).toBeNull();
    expect(() => opt.update(x, ag.zerosLike(x), state)).toThrow(/sqrt: expected x ≥ 0/);
    const big = new RiemannianAdam([x.detach().requireGrad()], { weightDecay: 1e300 });
    const g = ag.tensor([[0, 0, 0], [0, Number.MAX_VALUE, 0]], { dtype: 'float64', backend: wasm1 });
    const xs = ag.tensor([[1, 0, 0], [0, 1, 0]], { dtype: 'float64', backend: wasm1 });
    expect(() => big.update(xs, g, undefined)).toThrow(/RiemannianAdam: expected a finite gradient with weight decay ∇ \+ λ·x, got Infinity at flat index 4/);
  });

  it('golden: radam.json is reproduced on the wasm backend (float64, through the heap kernel)', () => {
    const radam = loadGolden<{ id: string; retraction: Retraction; options: { lr: number; betas: [number, number]; eps: number };
      steps: number; loss: { options: { gamma: number } }; X0: number[][]; X: number[][][]; m: number[][][]; v: number[][] }>('radam.json');
    for (const c of radam.cases) {
      const x = ag.tensor(c.X0, { dtype: 'float64', backend: wasm1, requiresGrad: true });
      const opt = new RiemannianAdam([x], { ...c.options, retraction: c.retraction });
      for (let k = 0; k < c.steps; k++) {
        opt.zeroGrad();
        mmdGaussian(x, c.loss.options.gamma).backward();
        opt.step();
        expect(x.backend).toBe(wasm1);
        assertClose(`${c.id} X[${k}]`, values(x), c.X[k]!, 'float64');
        assertClose(`${c.id} m[${k}]`, values(opt.state.get(x)!.m), c.m[k]!, 'float64');
        assertClose(`${c.id} v[${k}]`, values(opt.state.get(x)!.v), c.v[k]!, 'float64');
      }
    }
  });
});

describe('RiemannianAdam.step on wasm (the moments in their own blocks)', () => {
  it('gives the pure update\'s values, written into the parameter\'s block and the state\'s blocks', () => {
    for (const [dtype, amsgrad] of [['float64', false], ['float32', true]] as const) {
      const backend = wasm1;
      const X = randomUniform(50, 7, { rng: ag.createRng(11), dtype, backend, requiresGrad: true });
      const opt = new RiemannianAdam([X], { lr: 0.05, stabilize: 2, amsgrad });
      // copies (no tensor shares X's block, so its new values go into it)
      const copy = (): Tensor => ag.tensor(values(X), { shape: X.shape, dtype, backend });
      const ref = new RiemannianAdam([copy().requireGrad()], { lr: 0.05, stabilize: 2, amsgrad });
      let xRef = copy(), sRef: RiemannianAdamState | undefined;
      const block = X.storage;
      let mBlock: ag.Storage | null = null, vBlock: ag.Storage | null = null;
      for (let k = 0; k < 6; k++) {
        ag.tidy(() => {
          opt.zeroGrad();
          mmdGaussian(X, 1).backward();
          const g = X.grad!;
          const r = ref.update(xRef, g, sRef);
          opt.step();
          [xRef, sRef] = [ag.keep(r.value), ag.keep(r.state)];
        });
        expect(values(X)).toEqual(values(xRef));
        expect(X.storage, 'the same block').toBe(block);
        const s = opt.state.get(X)!;
        expect(values(s.m)).toEqual(values(sRef!.m));
        expect(values(s.v)).toEqual(values(sRef!.v));
        if (amsgrad) expect(values(s.vMax!)).toEqual(values(sRef!.vMax!));
        // the first step makes the moments; every later one writes into them
        if (k > 0) {
          expect(s.m.storage, 'the same m block').toBe(mBlock);
          expect(s.v.storage, 'the same v block').toBe(vBlock);
        }
        [mBlock, vBlock] = [s.m.storage, s.v.storage];
      }
      expect(opt.state.get(X)!.step).toBe(6);
    }
  });

  it('edge: a snapshot detach()ed before a step keeps its values; weight decay and a hand-made negative second moment take the pure update', () => {
    const X = randomUniform(3, 2, { rng: ag.createRng(12), dtype: 'float64', backend: wasm1, requiresGrad: true });
    const before = X.detach(), was = values(before); // X's block is now shared: new values go to a new block
    const opt = new RiemannianAdam([X], { lr: 0.1, weightDecay: 0.5 });
    X.grad = ag.tensor([[1, 0], [0, 1], [1, 1]], { dtype: 'float64', backend: wasm1 });
    const m0 = ag.zeros([3, 2], { dtype: 'float64', backend: wasm1 });
    opt.state.set(X, { step: 1, m: m0, v: ag.ones([3], { dtype: 'float64', backend: wasm1 }) });
    opt.step();
    expect(values(before)).toEqual(was);
    expect(opt.state.get(X)!.m.storage, 'weight decay: a new m').not.toBe(m0.storage);
    new RiemannianAdam([X], { lr: 0.1 }).step();
    expect(values(before)).toEqual(was);
    const opt2 = new RiemannianAdam([X], { lr: 0.1 });
    opt2.state.set(X, { step: 2, m: ag.zeros([3, 2], { dtype: 'float64', backend: wasm1 }), v: ag.tensor([1, -1, 1], { dtype: 'float64', backend: wasm1 }) });
    X.grad = ag.zeros([3, 2], { dtype: 'float64', backend: wasm1 });
    expect(() => opt2.step()).toThrow(/sqrt: expected x ≥ 0/);
  });
});

describe('wasmSgdUpdate', () => {
  it('property: equals the host fused update on cpu, with momentum, Nesterov, dampening and weight decay', () => {
    fc.assert(fc.property(caseArb, fc.constantFrom(0, 0.9), fc.boolean(), fc.constantFrom(0, 0.3), fc.constantFrom(0, 1),
      (c, momentum, nesterov0, dampening0, which) => {
        const backend = backends[which]!;
        const { x, g, m } = draw(c);
        const nesterov = nesterov0 && momentum > 0, dampening = nesterov ? 0 : dampening0;
        const h: RiemannianSGDHyperparameters = { lr: c.lr, momentum, nesterov, dampening, weightDecay: c.decay,
          retraction: c.retraction, stabilize: c.stabilize };
        const state = (b: ag.Backend): RiemannianSGDState | undefined =>
          c.startStep === 0 ? undefined : { step: c.startStep, m: momentum > 0 ? ag.toBackend(m, b) : null };
        const [xc, xw] = both(x, backend), [gc, gw] = both(g, backend);
        const host = fusedSgdUpdate(h, xc, gc, state(ag.cpuBackend))!;
        const onHeap = wasmSgdUpdate(h, xw, gw, state(backend))!;
        rowsClose('x', onHeap.value, host.value);
        expect(onHeap.state.m === null).toBe(host.state.m === null);
        if (onHeap.state.m) rowsClose('m', onHeap.state.m, host.state.m!, rowScales(c.n, c.decay, g, c.startStep > 0 ? m : null));
      }), RUNS);
  });

  it('RiemannianSGD.step on wasm gives the pure update\'s values, copied over the parameter\'s and the buffer\'s blocks', () => {
    for (const momentum of [0, 0.9]) {
      const X = randomUniform(40, 5, { rng: ag.createRng(13), dtype: 'float64', backend: wasm1, requiresGrad: true });
      const opt = new RiemannianSGD([X], { lr: 0.05, momentum, stabilize: 1 });
      const copy = (): Tensor => ag.tensor(values(X), { shape: X.shape, dtype: 'float64', backend: wasm1 });
      const ref = new RiemannianSGD([copy().requireGrad()], { lr: 0.05, momentum, stabilize: 1 });
      let xRef = copy(), sRef: RiemannianSGDState | undefined;
      const block = X.storage;
      let mBlock: ag.Storage | null = null;
      for (let k = 0; k < 4; k++) {
        opt.zeroGrad();
        mmdGaussian(X, 1).backward();
        const r = ref.update(xRef, X.grad!, sRef);
        opt.step();
        [xRef, sRef] = [r.value, r.state];
        expect(values(X)).toEqual(values(xRef));
        expect(X.storage, 'the same block').toBe(block);
        const m = opt.state.get(X)!.m;
        expect(m === null).toBe(momentum === 0);
        if (m) {
          expect(values(m)).toEqual(values(sRef.m!));
          if (k > 0) expect(m.storage).toBe(mBlock);
          mBlock = m.storage;
        }
      }
    }
  });

  it('edge: RiemannianSGD.update on wasm keeps its tensors on the heap and refuses a state of another dtype', () => {
    const x = randomUniform(4, 3, { rng: ag.createRng(4), dtype: 'float64', backend: wasm1 });
    const grad = ag.createRng(5).normal([4, 3], { dtype: 'float64', backend: wasm1 });
    const opt = new RiemannianSGD([x.detach().requireGrad()], { lr: 0.2, momentum: 0.9 });
    const r = opt.update(x, grad, undefined);
    expect(r.value.backend).toBe(wasm1);
    expect(r.state.m!.backend).toBe(wasm1);
    expect(wasmSgdUpdate(opt, x, grad, { step: 1, m: ag.zeros([4, 3], { backend: wasm1 }) })).toBeNull();
  });
});
