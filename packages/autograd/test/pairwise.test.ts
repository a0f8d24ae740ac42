// The fused pairwise ops (src/ops/pairwise.ts) against composed graphs of the same formulas:
// pairwiseSum for every kernel × distance, nearest (self and against other rows), loss and
// gradient; gradcheck in float64; tie-breaking; the gpu backend's host modes and webgpu (when an
// adapter answers) in float32.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as agMain from '@keepdist/autograd';
import * as agInternal from '@keepdist/autograd/internal';
import type { Tensor } from '@keepdist/autograd';
import type { PairKernel } from '@keepdist/autograd/internal';
import { assertClose, assertGradcheck, unitRowsArb } from '@keepdist/autograd/testing';
import { nearestRows, pairwiseSweep } from '../src/backend/cpu/pairwise.js';

/** The public ops and the building blocks, as one namespace. */
const ag = { ...agMain, ...agInternal };

const { acos, clamp, exp, fillDiagonal, gram, log, matmulT, max, maximum, mul, neg, pow, sqrt, square, sub, sum, tensor, where } = ag;

/** r(c) of a PairKernel, composed. */
function distance(c: Tensor, k: PairKernel): Tensor {
  switch (k.distance) {
    case 'angle': return acos(clamp(c, -1 + k.eps, 1 - k.eps));
    case 'chord': return sqrt(ag.add(maximum(sub(2, mul(c, 2)), 0), k.eps));
    case 'chordAuthors': return sqrt(sub(2, c));
    case 'chordSquared': return sub(2, mul(c, 2));
  }
}

/** k(r(c)), composed. */
function kernelOf(c: Tensor, k: PairKernel): Tensor {
  const r = distance(c, k);
  switch (k.kernel) {
    case 'gaussian': return exp(mul(square(r), -k.gamma));
    case 'laplace': return exp(mul(r, -k.gamma));
    case 'identity': return r;
    case 'riesz': return k.s > 0 ? pow(r, -k.s) : k.s === 0 ? neg(log(r)) : neg(pow(r, -k.s));
  }
}

/** Σ_{i<j} k(c_ij) as a composed graph (the n × n gram masked to i < j). */
function composedSum(X: Tensor, k: PairKernel): Tensor {
  const n = X.shape[0]!;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m.fill(1, i * n + i + 1, (i + 1) * n);
  const mask = tensor(m, { shape: [n, n], dtype: X.dtype, backend: X.backend });
  return sum(where(mask, kernelOf(where(mask, gram(X), 0), k), 0));
}

const kernelArb: fc.Arbitrary<PairKernel> = fc.record({
  kernel: fc.constantFrom('gaussian' as const, 'laplace' as const, 'riesz' as const, 'identity' as const),
  distance: fc.constantFrom('angle' as const, 'chord' as const, 'chordAuthors' as const, 'chordSquared' as const),
  gamma: fc.double({ min: 0.05, max: 4, noNaN: true }),
  s: fc.constantFrom(-1.5, -1, 0, 0.5, 1, 2),
  eps: fc.constantFrom(1e-7, 1e-3),
}).filter((k) => !(k.kernel === 'riesz' && k.distance === 'chordSquared')); // r = 0 at coincident rows

/** Cosines of distinct rows stay `gap` away from ±1. */
function generic(X: Tensor, gap: number): boolean {
  const c = gram(X).dataSync(), n = X.shape[0]!;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (Math.abs(c[i * n + j]!) > 1 - gap) return false;
  return true;
}

/** Distinct rows' largest cosines differ by more than `gap` within each row of Q Xᵀ (no near-ties). */
function clearMax(C: Float64Array | Float32Array, m: number, n: number, gap: number): boolean {
  for (let k = 0; k < m; k++) {
    const row = Array.from(C.subarray(k * n, (k + 1) * n)).filter((v) => v > -Infinity).sort((a, b) => b - a);
    if (row.length > 1 && row[0]! - row[1]! < gap) return false;
  }
  return true;
}

const f64 = { dtype: 'float64' as const };

describe('pairwiseSum == composed Σ_{i<j} k(c_ij) (float64, cpu)', () => {
  it('sum and gradient agree for random rows and kernels, n up to 70', () => {
    fc.assert(fc.property(unitRowsArb({ n: { min: 2, max: 70 }, d: { min: 1, max: 12 }, ...f64 }), kernelArb, (X, k) => {
      fc.pre(generic(X, 1e-3));
      const a = ag.valueAndGrad((Y) => ag.pairwiseSum(Y, k))(X);
      const b = ag.valueAndGrad((Y) => composedSum(Y, k))(X);
      assertClose('sum', a.value.item(), b.value.item(), { rtol: 1e-10, zeroAtol: 1e-12 });
      assertClose('grad', a.grads[0]!.dataSync(), b.grads[0]!.dataSync(), { rtol: 1e-10, zeroAtol: 1e-12 });
    }), { seed: 7, numRuns: 120 });
  });

  it('gradcheck', () => {
    fc.assert(fc.property(unitRowsArb({ n: { min: 2, max: 7 }, d: { min: 1, max: 5 }, ...f64 }), kernelArb, (X, k) => {
      fc.pre(generic(X, 1e-2));
      assertGradcheck((Y) => ag.pairwiseSum(Y, k), [X], { rtol: 1e-5, atol: 1e-6 });
    }), { seed: 8, numRuns: 60 });
  });

  it('scales by the cotangent, computes no gradient when none is needed, and sweeps again if the forward had none', () => {
    const X = tensor([[1, 0, 0], [0, 1, 0], [0.6, 0.8, 0]], f64);
    const k: PairKernel = { kernel: 'laplace', distance: 'chordSquared', gamma: 0.5, s: 1, eps: 0 };
    const y = ag.pairwiseSum(X, k);
    expect(y.requiresGrad).toBe(false);
    expect(y.item()).toBeCloseTo(Math.exp(-1) * (1 + Math.exp(0.6) + Math.exp(0.8)), 13);
    const g1 = ag.valueAndGrad((Y) => ag.pairwiseSum(Y, k))(X).grads[0]!.dataSync();
    const g3 = ag.valueAndGrad((Y) => mul(ag.pairwiseSum(Y, k), 3))(X).grads[0]!.dataSync();
    assertClose('3·grad', g3, Array.from(g1, (v) => 3 * v), 'float64');
    const Xg = tensor([[1, 0, 0], [0, 1, 0], [0.6, 0.8, 0]], { ...f64, requiresGrad: true });
    const late = ag.noGrad(() => ag.pairwiseSum(Xg, k));
    expect(late.requiresGrad).toBe(false);
    const s = ag.pairwiseSum(Xg, k);
    s.backward();
    assertClose('grad', Xg.grad!.dataSync(), g1, 'float64');
  });

  it('float32 rows give float32 results equal to float64 at float32 tolerance', () => {
    const rows = [[1, 0], [0.6, 0.8], [0, -1], [-0.8, 0.6]];
    const k: PairKernel = { kernel: 'gaussian', distance: 'angle', gamma: 1, s: 1, eps: 1e-7 };
    const a = ag.valueAndGrad((Y) => ag.pairwiseSum(Y, k))(tensor(rows));
    const b = ag.valueAndGrad((Y) => ag.pairwiseSum(Y, k))(tensor(rows, f64));
    expect(a.value.dtype).toBe('float32');
    expect(a.grads[0]!.dtype).toBe('float32');
    assertClose('sum', a.value.item(), b.value.item(), 'float32');
    assertClose('grad', a.grads[0]!.dataSync(), b.grads[0]!.dataSync(), 'float32');
  });

  it('rejects bad shapes and kernels with errors naming the op', () => {
    const X = tensor([[1, 0], [0, 1]], f64);
    expect(() => ag.pairwiseSum(tensor([1, 0], f64), { kernel: 'laplace', distance: 'angle', gamma: 1, s: 1, eps: 1e-7 })).toThrow(/pairwiseSum: expected X of rank 2/);
    expect(() => ag.pairwiseSum(X, { kernel: 'cauchy' as never, distance: 'angle', gamma: 1, s: 1, eps: 1e-7 })).toThrow(/pairwiseSum: expected kernel.kernel/);
    expect(() => ag.pairwiseSum(X, { kernel: 'laplace', distance: 'angle', gamma: NaN, s: 1, eps: 1e-7 })).toThrow(/pairwiseSum: expected kernel.gamma a finite number, got NaN/);
    expect(() => ag.pairwiseSum(X, { kernel: 'laplace', distance: 'angle', gamma: 1, s: 1, eps: -1 })).toThrow(/pairwiseSum: expected kernel.eps/);
  });
});

describe('cpu sweep tiling', () => {
  it('small tiles (many blocks, ragged edges) give the one-tile sum, gradient and nearest indices', () => {
    fc.assert(fc.property(unitRowsArb({ n: { min: 2, max: 40 }, d: { min: 1, max: 8 }, ...f64 }), kernelArb, fc.integer({ min: 1, max: 7 }), (X, k, tile) => {
      fc.pre(generic(X, 1e-3));
      const [n, d] = X.shape as [number, number];
      const rows = X.dataSync() as Float64Array;
      const G1 = new Float64Array(n * d), G2 = new Float64Array(n * d);
      const s1 = pairwiseSweep(rows, n, d, k, G1, tile), s2 = pairwiseSweep(rows, n, d, k, G2, 1024);
      assertClose('sum', s1, s2, { rtol: 1e-12, zeroAtol: 1e-14 });
      assertClose('grad', G1, G2, { rtol: 1e-12, zeroAtol: 1e-14 });
      for (const self of [true, false]) {
        const a = nearestRows(rows, n, rows, n, d, self, tile), b = nearestRows(rows, n, rows, n, d, self, 1024);
        expect(Array.from(a.at)).toEqual(Array.from(b.at));
        expect(Array.from(a.best)).toEqual(Array.from(b.best));
      }
    }), { seed: 14, numRuns: 100 });
  });
});

/** max over j ≠ i (self) or over all i of Q Xᵀ, composed. */
const composedNearest = (Q: Tensor, X?: Tensor): Tensor => (X ? max(matmulT(Q, X, false, true), 1) : max(fillDiagonal(gram(Q), -Infinity), 1));

/**
 * True when, for every query, each row whose cosine lies within `tol` of the largest equals the
 * best row exactly (an exact tie, which every rounding keeps a tie), so that the lowest such row
 * is the answer however the backend rounds (a fused multiply-add can reorder rows a few ulps apart).
 */
function onlyExactTies(Q: Tensor, X: Tensor, self: boolean, tol = 1e-12): boolean {
  const q = Q.dataSync(), x = X.dataSync(), d = X.shape[1]!, m = Q.shape[0]!, n = X.shape[0]!;
  const row = (i: number): string => Array.from(x.subarray(i * d, i * d + d)).join();
  for (let k = 0; k < m; k++) {
    const c = Array.from({ length: n }, (_, i) => (self && i === k ? -Infinity : Array.from({ length: d }, (_, p) => q[k * d + p]! * x[i * d + p]!).reduce((s, v) => s + v, 0)));
    const best = c.indexOf(Math.max(...c));
    if (c.some((v, i) => Math.abs(v - c[best]!) <= tol && row(i) !== row(best))) return false;
  }
  return true;
}

describe('nearest == composed max (float64, default backend)', () => {
  it('self: values, indices and gradient agree; ties go to the lowest index', () => {
    fc.assert(fc.property(unitRowsArb({ n: { min: 2, max: 70 }, d: { min: 1, max: 12 }, ...f64 }), fc.integer({ min: 0, max: 1000 }), (X, seed) => {
      fc.pre(onlyExactTies(X, X, true));
      const w = tensor(ag.createRng(seed).normalArray(X.shape[0]!), f64);
      const a = ag.valueAndGrad((Y) => sum(mul(ag.nearest(Y).values, w)))(X);
      const b = ag.valueAndGrad((Y) => sum(mul(composedNearest(Y), w)))(X);
      assertClose('values', a.value.item(), b.value.item(), { rtol: 1e-10, zeroAtol: 1e-12 });
      const idx = ag.nearest(X).indices.dataSync();
      const ref = ag.argmax(fillDiagonal(gram(X), -Infinity), 1).dataSync();
      // unitRowsArb repeats rows often, so exact ties are common: the index must still be the lowest
      expect(Array.from(idx)).toEqual(Array.from(ref));
      assertClose('grad', a.grads[0]!.dataSync(), b.grads[0]!.dataSync(), { rtol: 1e-10, zeroAtol: 1e-12 });
    }), { seed: 9, numRuns: 120 });
  });

  it('queries against rows (lloyd): gradient to both', () => {
    fc.assert(fc.property(unitRowsArb({ n: { min: 1, max: 40 }, d: { min: 1, max: 10 }, ...f64 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 1000 }),
      (X, m, seed) => {
        const d = X.shape[1]!;
        const Q = ag.normalize(tensor(ag.createRng(seed).normalArray(m * d), { shape: [m, d], ...f64 }));
        fc.pre(onlyExactTies(Q, X, false));
        const a = ag.valueAndGrad((P, Y) => sum(square(ag.nearest(P, Y).values)))(Q, X);
        const b = ag.valueAndGrad((P, Y) => sum(square(composedNearest(P, Y))))(Q, X);
        assertClose('loss', a.value.item(), b.value.item(), { rtol: 1e-10 });
        assertClose('dQ', a.grads[0]!.dataSync(), b.grads[0]!.dataSync(), { rtol: 1e-10, zeroAtol: 1e-12 });
        assertClose('dX', a.grads[1]!.dataSync(), b.grads[1]!.dataSync(), { rtol: 1e-10, zeroAtol: 1e-12 });
      }), { seed: 10, numRuns: 80 });
  });

  it('gradcheck (away from ties)', () => {
    fc.assert(fc.property(unitRowsArb({ n: { min: 2, max: 7 }, d: { min: 2, max: 5 }, ...f64 }), (X) => {
      const n = X.shape[0]!;
      fc.pre(generic(X, 1e-2) && clearMax(fillDiagonal(gram(X), -Infinity).dataSync(), n, n, 1e-3));
      assertGradcheck((Y) => sum(exp(ag.nearest(Y).values)), [X], { rtol: 1e-5, atol: 1e-6 });
    }), { seed: 11, numRuns: 60 });
  });

  it('the VJP is differentiable (second derivative through indexSelect and indexAdd)', () => {
    const X = tensor([[1, 0, 0], [0.8, 0.6, 0], [0, 0, 1]], f64);
    const Q = tensor([[0.6, 0.8, 0], [0, 0.6, 0.8]], f64);
    const inner = (P: Tensor): Tensor => sum(square(ag.nearest(P, X).values));
    const outer = (P: Tensor): Tensor => sum(square(ag.grad(inner)(P)[0]!));
    assertGradcheck(outer, [Q], { rtol: 1e-5, atol: 1e-6 });
  });

  it('rejects bad shapes with errors naming the op', () => {
    expect(() => ag.nearest(tensor([[1, 0]], f64))).toThrow(/nearest: expected X with at least 2 rows/);
    expect(() => ag.nearest(tensor([[1, 0]], f64), tensor([[1, 0, 0]], f64))).toThrow(/nearest: expected Q and X with the same number of columns/);
    expect(() => ag.indexAdd(tensor([[1, 0]], f64), 0, [0, 1], 3)).toThrow(/indexAdd: expected 1 indices/);
  });
});

/** The gpu modes to hold to the cpu backend: the host modes always, webgpu when an adapter answers (SwiftShader on CPU machines). */
const hostModes: [string, agMain.GpuBackend][] = [['cpu', new ag.GpuBackend({ mode: 'cpu', strict: true })], ['webasm', new ag.GpuBackend({ mode: 'webasm', strict: true })],
  ['webasm+async', new ag.GpuBackend({ mode: 'webasm', async: true, threadMinCells: 64, strict: true })]];
const webgpu = await ag.createGpuBackend({ mode: 'webgpu', strict: true }).catch((e: Error) => e.message);
if (typeof webgpu === 'string') console.log(`pairwise: skipping gpu mode webgpu: ${webgpu}`);
const gpuModes: [string, agMain.GpuBackend][] = typeof webgpu === 'string' ? hostModes : [...hostModes, ['webgpu', webgpu]];
afterAll(async () => {
  for (const [, b] of gpuModes) {
    const left = b.fallbacks();
    await b.destroy();
    if (left.length) throw new Error(`pairwise kernels left ${b.mode}: ${left.map((k) => k.key).join(', ')}`);
  }
});

/**
 * Property: on `backend`, pairwiseSum's value and gradient equal the cpu backend's in float64 (to
 * float32 tolerance) for generic unit rows of up to `maxN` × `maxD` and any kernel.
 */
async function sumAndGradientMatchCpu(backend: agMain.GpuBackend, maxN: number, maxD: number, runs: { seed: number; numRuns: number }): Promise<void> {
  await fc.assert(fc.asyncProperty(unitRowsArb({ n: { min: 2, max: maxN }, d: { min: 1, max: maxD }, ...f64 }), kernelArb, async (X64, k) => {
    const shape = X64.shape as number[];
    const data = Array.from(X64.dataSync(), Math.fround);
    const ref64 = tensor(data, { shape, ...f64 });
    fc.pre(generic(ref64, 1e-2));
    const ref = ag.valueAndGrad((Y) => ag.pairwiseSum(Y, k))(ref64);
    const got = ag.valueAndGrad((Y) => ag.pairwiseSum(Y, k))(tensor(data, { shape, backend }));
    assertClose('sum', (await got.value.data())[0]!, ref.value.item(), { rtol: 1e-4, zeroAtol: 1e-5 });
    assertClose('grad', await got.grads[0]!.data(), ref.grads[0]!.dataSync(), { rtol: 1e-4, zeroAtol: 1e-5 });
  }), runs);
}

describe.each(gpuModes)('pairwise ops on gpu mode %s == cpu float64 (float32 tolerance)', (_label, backend) => {
  const rowsArb = unitRowsArb({ n: { min: 2, max: 40 }, d: { min: 1, max: 10 }, ...f64 }).map((X) => Array.from(X.dataSync(), Math.fround));
  it('pairwiseSum: sum and gradient', async () => {
    await sumAndGradientMatchCpu(backend, 40, 10, { seed: 12, numRuns: 25 });
  });
  it('nearest: values, indices and gradient (clear maxima)', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, fc.integer({ min: 1, max: 10 }), async (data, d) => {
      const n = Math.floor(data.length / d);
      fc.pre(n >= 2);
      const shape = [n, d];
      const flat = data.slice(0, n * d);
      const ref64 = tensor(flat, { shape, ...f64 });
      fc.pre(clearMax(fillDiagonal(gram(ref64), -Infinity).dataSync(), n, n, 1e-3));
      const w = Array.from(ag.createRng(n).normalArray(n), Math.fround);
      const ref = ag.valueAndGrad((Y) => sum(mul(ag.nearest(Y).values, tensor(w, f64))))(ref64);
      const X = tensor(flat, { shape, backend });
      const got = ag.valueAndGrad((Y) => sum(mul(ag.nearest(Y).values, tensor(w, { backend }))))(X);
      assertClose('values', (await got.value.data())[0]!, ref.value.item(), { rtol: 1e-4, zeroAtol: 1e-5 });
      expect(Array.from(await ag.nearest(X).indices.data())).toEqual(Array.from(ag.nearest(ref64).indices.dataSync()));
      assertClose('grad', await got.grads[0]!.data(), ref.grads[0]!.dataSync(), { rtol: 1e-4, zeroAtol: 1e-5 });
    }), { seed: 13, numRuns: 25 });
  });
});

/**
 * Backends forced onto each gradient path (`pairwiseGradient`) for every mode above, and the kernel
 * key each path alone compiles: the tiles' k′ tile; fused, the four-component pass on webgpu, one
 * component per thread on the host modes.
 */
const forcedPaths = await Promise.all(gpuModes.flatMap(([label, b]) => (['fused', 'tiles'] as const).map(async (path) => {
  const opts = { mode: b.mode, async: !b.synchronous, threadMinCells: 64, strict: true, pairwiseGradient: path };
  const forced = b.mode === 'webgpu' ? await ag.createGpuBackend(opts) : new ag.GpuBackend(opts);
  const marker = path === 'tiles' ? 'pairwiseSum.slopeTile' : b.mode === 'webgpu' ? 'pairwiseSum.gradBy4' : 'pairwiseSum.grad.';
  return [`${label} ${path}`, forced, marker] as [string, agMain.GpuBackend, string];
})));
afterAll(async () => {
  for (const [, b] of forcedPaths) await b.destroy();
});

describe.each(forcedPaths)('pairwiseGradient on gpu mode %s == cpu float64, below and above the widths auto fuses', (_label, backend, marker) => {
  it('sum and gradient agree, and only the asked path runs', async () => {
    await sumAndGradientMatchCpu(backend, 30, 14, { seed: 21, numRuns: 12 });
    const keys = backend.kernels().map((r) => r.key).filter((key) => /^pairwiseSum\.(slopeTile|gradBy4|grad\.)/.test(key));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !key.startsWith(marker))).toEqual([]);
  }, 120_000);
});

describe.skipIf(typeof webgpu === 'string')('webgpu value tiles: two cells per thread for even n, one for odd n', () => {
  it.each([{ n: 300, key: 'slopeTileValuePairs.' }, { n: 301, key: 'slopeTileValue.' }])('n = $n matches the cpu backend and runs $key', async ({ n, key }) => {
    const b = webgpu as agMain.GpuBackend, d = 12;
    const data = Array.from(ag.normalize(tensor(ag.createRng(n).normalArray(n * d), { shape: [n, d], ...f64 }), 1).dataSync(), Math.fround);
    const k: PairKernel = { kernel: 'laplace', distance: 'angle', gamma: 0.8, s: 1, eps: 1e-7 };
    const ref = ag.valueAndGrad((Y) => ag.pairwiseSum(Y, k))(tensor(data, { shape: [n, d], ...f64 }));
    const got = ag.valueAndGrad((Y) => ag.pairwiseSum(Y, k))(tensor(data, { shape: [n, d], backend: b }));
    assertClose('sum', (await got.value.data())[0]!, ref.value.item(), { rtol: 1e-4 });
    assertClose('grad', await got.grads[0]!.data(), ref.grads[0]!.dataSync(), { rtol: 1e-4 });
    expect(b.kernels().some((r) => r.key.startsWith(`pairwiseSum.${key}laplace/angle[${n},${n},${d}]`))).toBe(true);
  });
});

describe.skipIf(typeof webgpu === 'string')('webgpu nearest: two queries per thread for an even count, one for odd', () => {
  it.each([{ m: 300, key: 'argmaxPairs' }, { m: 301, key: 'argmax' }])('m = $m (self, and against 257 other rows) matches the cpu backend and runs $key', async ({ m, key }) => {
    const b = webgpu as agMain.GpuBackend, d = 12, n = 257;
    const unit = (rows: number, seed: number): number[] => Array.from(ag.normalize(tensor(ag.createRng(seed).normalArray(rows * d), { shape: [rows, d], ...f64 }), 1).dataSync(), Math.fround);
    const q = unit(m, m), x = unit(n, n + 1);
    for (const [ref, got, rows] of [
      [ag.nearest(tensor(q, { shape: [m, d], ...f64 })), ag.nearest(tensor(q, { shape: [m, d], backend: b })), q],
      [ag.nearest(tensor(q, { shape: [m, d], ...f64 }), tensor(x, { shape: [n, d], ...f64 })),
        ag.nearest(tensor(q, { shape: [m, d], backend: b }), tensor(x, { shape: [n, d], backend: b })), x],
    ] as const) {
      const want = ref.values.dataSync(), at = await got.indices.data();
      assertClose('values', await got.values.data(), want, { rtol: 1e-5 });
      // each index names a row with the largest cosine, to float32 rounding
      for (let i = 0; i < m; i++) {
        let c = 0;
        for (let p = 0; p < d; p++) c += q[i * d + p]! * rows[at[i]! * d + p]!;
        expect(Math.abs(c - want[i]!)).toBeLessThan(1e-6);
      }
    }
    expect(b.kernels().filter((r) => r.key.startsWith(`nearest.${key}[${m},`)).length).toBe(2);
  });
});

describe.skipIf(typeof webgpu === 'string')('webgpu pairwise sums without a gradient: two rows per thread for even n, one for odd', () => {
  it.each([{ n: 300, key: 'rowsPairs' }, { n: 301, key: 'rows' }])('n = $n matches the cpu backend and runs $key', async ({ n, key }) => {
    const b = webgpu as agMain.GpuBackend, d = 12;
    const data = Array.from(ag.normalize(tensor(ag.createRng(n + 5).normalArray(n * d), { shape: [n, d], ...f64 }), 1).dataSync(), Math.fround);
    for (const k of [{ kernel: 'riesz', distance: 'chord', gamma: 1, s: 1, eps: 1e-7 }, { kernel: 'gaussian', distance: 'angle', gamma: 2, s: 1, eps: 1e-7 }] as PairKernel[]) {
      const ref = ag.pairwiseSum(tensor(data, { shape: [n, d], ...f64 }), k).item();
      assertClose(`${k.kernel} sum`, (await ag.pairwiseSum(tensor(data, { shape: [n, d], backend: b }), k).data())[0]!, ref, { rtol: 1e-5 });
    }
    expect(b.kernels().filter((r) => new RegExp(`^pairwiseSum\\.${key}\\.[a-z/0-9]+\\[${n},${d},`).test(r.key)).length).toBe(2);
  });
});

it('GpuBackend rejects an unknown pairwiseGradient, naming the option and the values it takes', () => {
  expect(() => new ag.GpuBackend({ mode: 'cpu', pairwiseGradient: 'blocked' as never })).toThrow(/GpuBackend: expected pairwiseGradient in auto, fused, tiles, got 'blocked'/);
});

describe.each(gpuModes)('gpu mode %s across segments (n = 1500 > 512 rows j per device thread), wide rows (d = 70 > 64 held in registers) and tile blocks', (_label, backend) => {
  // d = 7: webgpu's four-component gradient with two blocks (the last one guarded) over segments;
  // n = 3000, d = 9: the k′ tiles in two row blocks on the GPU modes (2^23 cells: 2796 rows, then
  // 204), five on the host modes (2^21)
  const cases = [{ n: 1500, d: 4, seed: 5 }, { n: 1300, d: 7, seed: 7 }, { n: 300, d: 70, seed: 6 }, { n: 3000, d: 9, seed: 8 }];
  it.each(cases)('pairwiseSum and nearest match the cpu backend, n = $n, d = $d', async ({ n, d, seed }) => {
    const X64 = ag.normalize(tensor(ag.createRng(seed).normalArray(n * d), { shape: [n, d], ...f64 }), 1);
    const data = Array.from(X64.dataSync(), Math.fround);
    const ref64 = tensor(data, { shape: [n, d], ...f64 });
    const k: PairKernel = { kernel: 'riesz', distance: 'chord', gamma: 1, s: 1, eps: 1e-7 };
    const ref = ag.valueAndGrad((Y) => ag.pairwiseSum(Y, k))(ref64);
    const got = ag.valueAndGrad((Y) => ag.pairwiseSum(Y, k))(tensor(data, { shape: [n, d], backend }));
    assertClose('sum', (await got.value.data())[0]!, ref.value.item(), { rtol: 1e-4 });
    assertClose('grad', await got.grads[0]!.data(), ref.grads[0]!.dataSync(), { rtol: 1e-4 });
    const a = ag.nearest(tensor(data, { shape: [n, d], backend }));
    const b = ag.nearest(ref64);
    assertClose('values', await a.values.data(), b.values.dataSync(), { rtol: 1e-5 });
    const ia = await a.indices.data(), ib = b.indices.dataSync();
    const va = b.values.dataSync();
    // indices agree except where two neighbours tie to float32 rounding
    const C = gram(ref64).dataSync();
    for (let i = 0; i < n; i++) if (ia[i] !== ib[i]) expect(Math.abs(C[i * n + ia[i]!]! - va[i]!)).toBeLessThan(1e-6);
  }, 120_000);
});
