// Randomness: seeded draws are reproducible, fresh at each call, equal to their explicit form,
// and minibatches give zero gradient outside the batch.
import { describe, expect, it } from 'vitest';
import { createRng, valueAndGrad } from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import {
  drawAxisPair, drawPlane, koleo, lloyd, mmd, mma, mmcs, sliced, slicedAxis, ssw, uniformity, uniformSphereSamples,
} from '@keepdist/dispersion';
import { defaultRng, resetDefaultRng } from '@keepdist/dispersion/internal';
import { spherePoints, t64 } from './helpers.js';

const X = spherePoints(7, 9, 4);

describe('seeded draws', () => {
  it('the same seed gives the same value; successive calls draw afresh', () => {
    for (const f of [
      (r: ReturnType<typeof createRng>) => sliced(X, { slices: 2, rng: r }),
      (r: ReturnType<typeof createRng>) => slicedAxis(X, { slices: 2, rng: r }),
      (r: ReturnType<typeof createRng>) => ssw(X, { projections: 3, rng: r }),
      (r: ReturnType<typeof createRng>) => lloyd(X, { samples: 20, rng: r }),
      (r: ReturnType<typeof createRng>) => mmd(X, { kernel: 'gaussian', distance: 'euclidean', batchSize: 4, rng: r }),
    ]) {
      const a = createRng(3), b = createRng(3);
      const first = f(a).item();
      expect(f(b).item()).toBe(first);
      expect(f(a).item()).not.toBe(first);
    }
  });

  it('drawn planes, pairs and samples equal the same draws passed explicitly', () => {
    const r = createRng(11);
    const planes = [drawPlane(r, 4), drawPlane(r, 4)];
    expect(sliced(X, { slices: 2, rng: createRng(11) }).item()).toBe(sliced(X, { planes }).item());
    expect(ssw(X, { projections: 2, rng: createRng(11) }).item()).toBe(ssw(X, { planes }).item());
    const r2 = createRng(12);
    const pairs = [drawAxisPair(r2, 4), drawAxisPair(r2, 4), drawAxisPair(r2, 4)];
    expect(slicedAxis(X, { slices: 3, rng: createRng(12) }).item()).toBe(slicedAxis(X, { pairs }).item());
    const points = uniformSphereSamples(createRng(13), 30, 4, X);
    expect(lloyd(X, { samples: 30, rng: createRng(13) }).item()).toBe(lloyd(X, { points }).item());
  });

  it('drawn planes are orthonormal and axis pairs distinct and in range', () => {
    const r = createRng(5);
    for (let k = 0; k < 50; k++) {
      const d = 2 + (k % 6);
      const [p, q] = drawPlane(r, d);
      const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
      expect(Math.abs(dot(p, p) - 1)).toBeLessThan(1e-12);
      expect(Math.abs(dot(q, q) - 1)).toBeLessThan(1e-12);
      expect(Math.abs(dot(p, q))).toBeLessThan(1e-12);
      const [a, b] = drawAxisPair(r, d);
      expect(a).not.toBe(b);
      expect(Math.min(a, b)).toBeGreaterThanOrEqual(0);
      expect(Math.max(a, b)).toBeLessThan(d);
    }
  });

  it('without rng, the module fallback (seed 0) is used and advances; resetDefaultRng restarts it', () => {
    resetDefaultRng(0);
    const a = sliced(X).item();
    const b = sliced(X).item();
    expect(b).not.toBe(a);
    resetDefaultRng(0);
    expect(sliced(X).item()).toBe(a);
    resetDefaultRng(0);
    expect(sliced(X, { rng: defaultRng() }).item()).toBe(a);
    expect(sliced(X, { rng: createRng(0) }).item()).toBe(a);
  });
});

describe('minibatches (docs/math.md §2.10)', () => {
  it('a batch equals the regularizer on the selected rows, and rows outside get a zero gradient', () => {
    const fns = [
      (Y: typeof X, o: object) => mmd(Y, { kernel: 'riesz', distance: 'geodesic', ...o }),
      (Y: typeof X, o: object) => uniformity(Y, o),
      (Y: typeof X, o: object) => mma(Y, o),
      (Y: typeof X, o: object) => mmcs(Y, o),
      (Y: typeof X, o: object) => koleo(Y, o),
    ];
    for (const f of fns) {
      const idx = createRng(21).choice(9, 5);
      const rows = X.toArray() as number[][];
      const Xb = idx.map((i) => rows[i]!);
      const batched = valueAndGrad((Y) => f(Y, { batchSize: 5, rng: createRng(21) }))(X);
      const full = valueAndGrad((Y) => f(Y, {}))(t64(Xb));
      assertClose('batch value', batched.value.item(), full.value.item(), 'float64');
      const g = batched.grads[0]!.toArray() as number[][];
      const gFull = full.grads[0]!.toArray() as number[][];
      for (let i = 0; i < 9; i++) {
        const k = idx.indexOf(i);
        if (k < 0) expect(g[i]!.every((v) => v === 0)).toBe(true);
        else assertClose('batch grad row', g[i]!, gFull[k]!, 'float64');
      }
    }
  });

  it('lloyd minibatches rows first, then draws its samples from the same generator', () => {
    const r = createRng(4);
    const idx = r.choice(9, 4);
    const points = uniformSphereSamples(r, 10, 4, X);
    const rows = X.toArray() as number[][];
    const expected = lloyd(t64(idx.map((i) => rows[i]!)), { points }).item();
    expect(lloyd(X, { samples: 10, batchSize: 4, rng: createRng(4) }).item()).toBe(expected);
  });

  it('batchSize = n equals the full loss', () => {
    expect(mmd(X, { kernel: 'laplace', distance: 'geodesic', batchSize: 9 }).item())
      .toBe(mmd(X, { kernel: 'laplace', distance: 'geodesic' }).item());
  });
});
