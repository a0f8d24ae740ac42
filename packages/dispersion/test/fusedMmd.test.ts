// The fused, tiled cpu MMD op (src/fusedMmd.ts) against its composed reference (mmdComposed):
// a property over random unit rows, every kernel/distance/chord; the golden mmd cases; gradcheck;
// and the dispatch of mmd to the fused path from FUSED_MMD_MIN_ROWS rows.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, mul, sum, tensor, valueAndGrad, type DType, type Tensor } from '@keepdist/autograd';
import { assertClose, assertGradcheck, compareArrays, flat, unitRowsArb } from '@keepdist/autograd/testing';
import {
  FUSED_MMD_MIN_ROWS, fusedMmd, fusedMmdSweep, kernelSpec, mmd, mmdComposed, usesFusedMmd,
  type MmdOptions,
} from '@keepdist/dispersion';
import { caseOptions, caseX, regularizerCases } from './golden.js';
import { genericCosines, rowsOf, samplesFrom } from './helpers.js';

/** Every kernel × distance × chord, with γ > 0 and s of either sign (or 0). */
const optionsArb: fc.Arbitrary<MmdOptions> = fc.oneof(
  fc.record({
    kernel: fc.constantFrom('gaussian' as const, 'laplace' as const),
    distance: fc.constantFrom('euclidean' as const, 'geodesic' as const),
    chord: fc.constantFrom('exact' as const, 'authors' as const),
    gamma: fc.double({ min: 0.05, max: 5, noNaN: true }),
  }),
  fc.record({
    kernel: fc.constant('riesz' as const),
    distance: fc.constantFrom('euclidean' as const, 'geodesic' as const),
    chord: fc.constantFrom('exact' as const, 'authors' as const),
    s: fc.oneof(fc.constantFrom(-2, -1, 0, 1, 2), fc.double({ min: -2.5, max: 2.5, noNaN: true })),
  }),
);

/**
 * assertClose with relative tolerance `rtol` (of the largest reference entry), and an absolute
 * floor of 1e-290 so that denormal references (s ≈ −5e−324 makes gradients of ~1e−323) compare.
 */
function near(what: string, a: ArrayLike<number> | readonly unknown[] | number, b: ArrayLike<number> | readonly unknown[] | number, rtol: number): void {
  const r = compareArrays(a, b, rtol, rtol);
  if (!r.ok && !(r.maxAbsError <= 1e-290)) {
    throw new Error(`${what}: max |a − b| = ${r.maxAbsError} > ${r.allowed} at ${r.worstIndex}: ${flat(a)[r.worstIndex]} vs ${flat(b)[r.worstIndex]}`);
  }
}

const fused = (o: MmdOptions) => (X: Tensor): Tensor => fusedMmd(X, kernelSpec('mmd', o));
const composed = (o: MmdOptions) => (X: Tensor): Tensor => mmdComposed(X, o);

describe.each([['float64', 1e-10, 1e-3], ['float32', 1e-4, 1e-2]] as [DType, number, number][])(
  'fused mmd == composed mmd (%s)', (dtype, rtol, gap) => {
    it('loss and Euclidean gradient agree over random unit rows and options', () => {
      fc.assert(fc.property(unitRowsArb({ n: { min: 2, max: 40 }, d: { min: 2, max: 8 }, dtype }), optionsArb, (X, o) => {
        fc.pre(genericCosines(X, gap));
        const a = valueAndGrad(fused(o))(X);
        const b = valueAndGrad(composed(o))(X);
        expect(a.value.dtype).toBe(dtype);
        expect(a.grads[0]!.dtype).toBe(dtype);
        near('loss', a.value.item(), b.value.item(), rtol);
        near('grad', a.grads[0]!.toArray(), b.grads[0]!.toArray(), rtol);
      }), { seed: 42, numRuns: 150 });
    });
  });

describe('fused sweep tiling', () => {
  it('small tiles (many blocks, ragged edges) give the one-tile result', () => {
    fc.assert(fc.property(unitRowsArb({ n: { min: 2, max: 40 }, d: { min: 2, max: 8 } }), optionsArb, fc.integer({ min: 1, max: 7 }), (X, o, tile) => {
      fc.pre(genericCosines(X, 1e-3));
      const [n, d] = X.shape as [number, number];
      const k = kernelSpec('mmd', o);
      const a = fusedMmdSweep(X.dataSync(), n, d, k, true, tile);
      const b = fusedMmdSweep(X.dataSync(), n, d, k, true);
      near('loss', a.loss, b.loss, 1e-12);
      near('grad', a.grad!, b.grad!, 1e-12);
    }), { seed: 42, numRuns: 100 });
  });
});

describe('fused mmd on the golden cases', () => {
  const cases = regularizerCases.filter((c) => c.name === 'mmd');
  it('there are golden mmd cases', () => expect(cases.length).toBeGreaterThan(0));
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const X = caseX(c, 'float64');
    const { value, grads } = valueAndGrad(fused(caseOptions(c, 'float64') as unknown as MmdOptions))(X);
    assertClose(`${c.id} loss`, value.item(), c.loss, { rtol: 1e-9, zeroAtol: 1e-12 });
    assertClose(`${c.id} grad`, grads[0]!.toArray(), c.grad, { rtol: 1e-9, zeroAtol: 1e-12 });
  });
});

describe('gradcheck of the fused op', () => {
  it('matches central differences (float64)', () => {
    fc.assert(fc.property(unitRowsArb({ n: { min: 2, max: 7 }, d: { min: 2, max: 5 } }), optionsArb, (X, o) => {
      fc.pre(genericCosines(X, 1e-2));
      assertGradcheck(fused(o), [X], { rtol: 1e-5, atol: 1e-6 });
    }), { seed: 42, numRuns: 40 });
  });

  it('scales the gradient by the incoming cotangent', () => {
    const X = tensor([[1, 0, 0], [0, 1, 0], [0.6, 0.8, 0]], { dtype: 'float64' });
    const o: MmdOptions = { kernel: 'riesz', distance: 'geodesic', s: 1 };
    const g1 = valueAndGrad((Y) => mul(fused(o)(Y), 3))(X).grads[0]!.dataSync();
    const g0 = valueAndGrad(fused(o))(X).grads[0]!.dataSync();
    assertClose('3·grad', g1, Array.from(g0, (v) => 3 * v), 'float64');
    // The sweep without a cached gradient (the backward's fallback) gives the same gradient.
    const sw = fusedMmdSweep(X.dataSync(), 3, 3, kernelSpec('mmd', o), true);
    assertClose('sweep grad', sw.grad!, g0, 'float64');
  });

  it('computes no gradient when none is needed', () => {
    const X = tensor([[1, 0], [0, 1], [0.6, 0.8]], { dtype: 'float64' });
    const y = fused({ kernel: 'gaussian', distance: 'euclidean' })(X);
    expect(y.requiresGrad).toBe(false);
    expect(y.item()).toBeCloseTo((2 / 3) * (Math.exp(0) + Math.exp(0.6) + Math.exp(0.8)), 12);
  });
});

describe('mmd dispatch to the fused path', () => {
  const n = FUSED_MMD_MIN_ROWS + 76;
  const raw = samplesFrom(7, 4, n);

  it(`takes the fused op from ${FUSED_MMD_MIN_ROWS} rows on the cpu backend, equal to the composed one`, () => {
    const X = tensor(raw, { dtype: 'float64' });
    expect(usesFusedMmd(X)).toBe(true);
    const o: MmdOptions = { kernel: 'gaussian', distance: 'euclidean', gamma: 2 };
    let name = '';
    const a = valueAndGrad((Y) => {
      const y = mmd(Y, o);
      name = y.node?.name ?? '';
      return y;
    })(X);
    expect(name).toBe('fusedMmd');
    const b = valueAndGrad(composed(o))(X);
    assertClose('loss', a.value.item(), b.value.item(), { rtol: 1e-10 });
    assertClose('grad', a.grads[0]!.dataSync(), b.grads[0]!.dataSync(), { rtol: 1e-10 });
  });

  it('keeps the composed path below the threshold and for small minibatches', () => {
    const X = tensor(raw, { dtype: 'float64' });
    const o: MmdOptions = { kernel: 'riesz', distance: 'euclidean', s: 1 };
    const small = tensor(raw.slice(0, FUSED_MMD_MIN_ROWS - 1), { dtype: 'float64' });
    expect(usesFusedMmd(small)).toBe(false);
    let name = '';
    valueAndGrad((Y) => {
      const y = mmd(Y, o);
      name = y.node?.name ?? '';
      return y;
    })(small);
    expect(name).not.toBe('fusedMmd');
    valueAndGrad((Y) => {
      const y = mmd(Y, { ...o, batchSize: 16, rng: createRng(1) });
      name = y.node?.name ?? '';
      return y;
    })(X);
    expect(name).not.toBe('fusedMmd');
  });

  it('uses the fused op on a minibatch of at least the threshold, same batch as the composed one', () => {
    const X = tensor(raw, { dtype: 'float64' });
    const o: MmdOptions = { kernel: 'laplace', distance: 'geodesic', batchSize: FUSED_MMD_MIN_ROWS + 10 };
    let name = '';
    const a = valueAndGrad((Y) => {
      const y = mmd(Y, { ...o, rng: createRng(3) });
      name = y.node?.name ?? '';
      return y;
    })(X);
    expect(name).toBe('fusedMmd');
    const b = valueAndGrad((Y) => mmdComposed(Y, { ...o, rng: createRng(3) }))(X);
    assertClose('loss', a.value.item(), b.value.item(), { rtol: 1e-10 });
    assertClose('grad', a.grads[0]!.dataSync(), b.grads[0]!.dataSync(), { rtol: 1e-10 });
    // Rows outside the batch get a zero gradient.
    const g = rowsOf(a.grads[0]!);
    expect(g.filter((r) => r.every((v) => v === 0)).length).toBe(n - (FUSED_MMD_MIN_ROWS + 10));
    expect(sum(a.grads[0]!).item()).not.toBe(0);
  });
});
