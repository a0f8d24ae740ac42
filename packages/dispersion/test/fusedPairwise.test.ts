// Every pairwise family (six mmd kernels × chords, uniformity, mma, mmcs, koleo, lloyd) runs as
// one fused op (pairwiseSum or nearest): its loss AND Euclidean gradient equal the composed
// reference graph (./composed.ts, mmdComposed) on the cpu backend in float64 and on the gpu
// backend's host modes and webgpu (when an adapter answers) in float32, for random n, d and rows
// on the sphere with near-duplicate and antipodal rows; also above the old 1024-row threshold, on
// minibatches, past 2^24 pairs (where the composed graph's float32-indexed reductions refuse),
// without any n × n storage, and at the extremes issue 13 names (large γ and
// t, points closer than 1e-8).
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { Backend, DType, Storage, Tensor } from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import { koleo, lloyd, mma, mmcs, mmd, uniformity, type MmdOptions } from '@keepdist/dispersion';
import { mmdComposed } from '@keepdist/dispersion/internal';
import { koleoComposed, lloydComposed, mmaComposed, mmcsComposed, uniformityComposed } from './composed.js';
import { rowsOf, samplesFrom } from './helpers.js';

/** A family with its options bound: the fused regularizer and its composed reference. */
interface Family {
  label: string;
  fused: (X: Tensor) => Tensor;
  composed: (X: Tensor) => Tensor;
}

/** Samples S (m × d) for lloyd, float32-exact, on X's backend and dtype. */
const samplesLike = (X: Tensor, m: number, seed: number): Tensor =>
  ag.tensor(samplesFrom(seed, X.shape[1]!, m).map((r) => r.map(Math.fround)), { dtype: X.dtype, backend: X.backend });

/** Every family with random options; `bigT` is a temperature that takes uniformity's shifted branch. */
function familyArb(bigT: number): fc.Arbitrary<Family> {
  const mmdArb = fc.record({
    kernel: fc.constantFrom('gaussian' as const, 'laplace' as const, 'riesz' as const),
    distance: fc.constantFrom('euclidean' as const, 'geodesic' as const),
    chord: fc.constantFrom('exact' as const, 'authors' as const),
    gamma: fc.oneof(fc.double({ min: 0.1, max: 5, noNaN: true }), fc.constant(30)),
    s: fc.constantFrom(-1, 0, 0.5, 1, 2),
  }).map((o: MmdOptions): Family => ({ label: `mmd ${JSON.stringify(o)}`, fused: (X) => mmd(X, o), composed: (X) => mmdComposed(X, o) }));
  return fc.oneof(
    { arbitrary: mmdArb, weight: 6 },
    fc.oneof(fc.double({ min: 0.5, max: 5, noNaN: true }), fc.constant(bigT)).map((t): Family =>
      ({ label: `uniformity t=${t}`, fused: (X) => uniformity(X, { t }), composed: (X) => uniformityComposed(X, t) })),
    fc.constantFrom(1e-7, 1e-3).map((clampEps): Family =>
      ({ label: `mma ε=${clampEps}`, fused: (X) => mma(X, { clampEps }), composed: (X) => mmaComposed(X, clampEps) })),
    fc.constant<Family>({ label: 'mmcs', fused: (X) => mmcs(X), composed: (X) => mmcsComposed(X) }),
    fc.constantFrom(1e-8, 0.1).map((eps): Family =>
      ({ label: `koleo ε=${eps}`, fused: (X) => koleo(X, { eps }), composed: (X) => koleoComposed(X, eps) })),
    fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 999 })).map(([m, seed]): Family => ({
      label: `lloyd m=${m}`,
      fused: (X) => lloyd(X, { points: samplesLike(X, m, seed) }),
      composed: (X) => lloydComposed(X, samplesLike(X, m, seed)),
    })),
  );
}

/** Random rows on the sphere: Gaussian rows from a seed, some replaced by near-duplicates or antipodes of others. */
interface RowsSpec {
  n: number;
  d: number;
  seed: number;
  twists: { antipodal: boolean; from: number; to: number; delta: number }[];
}

function rowsSpecArb(n: { min: number; max: number }, d: { min: number; max: number }, deltas: number[]): fc.Arbitrary<RowsSpec> {
  return fc.record({
    n: fc.integer(n), d: fc.integer(d), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    twists: fc.array(fc.record({ antipodal: fc.boolean(), from: fc.nat(), to: fc.nat(), delta: fc.constantFrom(...deltas) }), { maxLength: 4 }),
  });
}

/**
 * The rows of `spec`: each twist makes row `to` the antipode of row `from`, or a near-duplicate at
 * distance about `delta`; a row takes part in one twist at most (so no two rows coincide exactly).
 */
function buildRows(spec: RowsSpec): number[][] {
  const rows = samplesFrom(spec.seed, spec.d, spec.n);
  const noise = samplesFrom(spec.seed + 1, spec.d, spec.twists.length);
  const used = new Set<number>();
  spec.twists.forEach((tw, k) => {
    const from = tw.from % spec.n, to = tw.to % spec.n;
    if (from === to || used.has(from) || used.has(to) || spec.d === 1) return;
    used.add(from).add(to);
    const src = rows[from]!;
    const v = tw.antipodal ? src.map((x) => -x) : src.map((x, j) => x + tw.delta * noise[k]![j]!);
    const r = Math.hypot(...v);
    rows[to] = v.map((x) => x / r);
  });
  return rows;
}

/** Loss and gradient of f at rows X (read back, also from asynchronous backends). */
async function lossAndGrad(f: (X: Tensor) => Tensor, X: Tensor): Promise<[number, Float32Array | Float64Array]> {
  const { value, grads } = ag.valueAndGrad(f)(X);
  return [(await value.data())[0]!, await grads[0]!.data()];
}

/** The fused family at X equals its composed reference at the float64 rows `ref`. */
async function expectSame(fam: Family, X: Tensor, ref: Tensor, tol: { rtol: number; zeroAtol: number }): Promise<void> {
  const [l0, g0] = await lossAndGrad(fam.composed, ref);
  const [l1, g1] = await lossAndGrad(fam.fused, X);
  expect(Number.isFinite(l1), `${fam.label}: finite loss`).toBe(true);
  assertClose(`${fam.label} loss`, l1, l0, tol);
  assertClose(`${fam.label} grad`, g1, g0, tol);
}

const f64 = { rtol: 1e-10, zeroAtol: 1e-12 };
const f32 = { rtol: 1e-4, zeroAtol: 1e-5 };

describe('fused == composed, every family (float64, cpu)', () => {
  it('loss and gradient over random n ≤ 70, d ≤ 20, near-duplicate and antipodal rows', async () => {
    await fc.assert(fc.asyncProperty(rowsSpecArb({ min: 2, max: 70 }, { min: 1, max: 20 }, [1e-2, 3e-3]), familyArb(300), async (spec, fam) => {
      const X = ag.tensor(buildRows(spec), { dtype: 'float64' });
      await expectSame(fam, X, X, f64);
    }), { seed: 2026, numRuns: 300 });
  });

  it('above the old 1024-row threshold (n = 1030, d = 16)', async () => {
    const rows = buildRows({ n: 1030, d: 16, seed: 4, twists: [{ antipodal: true, from: 3, to: 900, delta: 0 }, { antipodal: false, from: 5, to: 1020, delta: 1e-2 }] });
    const X = ag.tensor(rows, { dtype: 'float64' });
    const fams = fc.sample(familyArb(300), { seed: 5, numRuns: 14 });
    for (const fam of fams) await expectSame(fam, X, X, f64);
  }, 120_000);

  it('on a minibatch of more than 1024 rows: the batch the composed graph sees, zero gradient outside', () => {
    const X = ag.tensor(samplesFrom(7, 4, 1100), { dtype: 'float64' });
    const o: MmdOptions = { kernel: 'laplace', distance: 'geodesic', batchSize: 1034 };
    const a = ag.valueAndGrad((Y) => mmd(Y, { ...o, rng: ag.createRng(3) }))(X);
    const b = ag.valueAndGrad((Y) => mmdComposed(Y, { ...o, rng: ag.createRng(3) }))(X);
    assertClose('loss', a.value.item(), b.value.item(), f64);
    assertClose('grad', a.grads[0]!.dataSync(), b.grads[0]!.dataSync(), f64);
    expect(rowsOf(a.grads[0]!).filter((r) => r.every((v) => v === 0)).length).toBe(1100 - 1034);
  });
});

/** The cpu backend with the size of every storage it makes recorded. */
function countingBackend(): { backend: Backend; largest: () => number } {
  let largest = 0;
  const note = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || v instanceof Promise) return;
    if ('size' in v && 'dtype' in v) largest = Math.max(largest, (v as Storage).size);
    else Object.values(v).forEach(note);
  };
  const backend: Record<string, unknown> = { ...ag.cpuBackend, name: 'cpu-counting' };
  for (const [key, fn] of Object.entries(ag.cpuBackend)) {
    if (typeof fn === 'function') backend[key] = (...args: unknown[]) => {
      const out = (fn as (...a: unknown[]) => unknown)(...args);
      note(out);
      return out;
    };
  }
  return { backend: backend as unknown as Backend, largest: () => largest };
}

describe('no n × n storage', () => {
  it('no family allocates anything near n² (n = 300, d = 3)', async () => {
    const n = 300;
    for (const fam of fc.sample(familyArb(300), { seed: 6, numRuns: 20 })) {
      const { backend, largest } = countingBackend();
      const X = ag.tensor(samplesFrom(8, 3, n), { dtype: 'float64', backend });
      await lossAndGrad(fam.fused, X);
      expect(largest(), fam.label).toBeLessThan((n * n) / 8);
    }
  });
});

const webgpu = await ag.createGpuBackend({ mode: 'webgpu', strict: true }).catch((e: Error) => e.message);
if (typeof webgpu === 'string') console.log(`fusedPairwise: skipping gpu mode webgpu: ${webgpu}`);
/** The gpu modes, with the runs each gets (webgpu, SwiftShader on CPU machines, compiles each new shape slowly). */
const gpuModes: [string, ag.GpuBackend, number][] = [
  ['cpu', new ag.GpuBackend({ mode: 'cpu', strict: true }), 30],
  ['webasm', new ag.GpuBackend({ mode: 'webasm', strict: true }), 30],
  ['webasm+async', new ag.GpuBackend({ mode: 'webasm', async: true, threadMinCells: 64, strict: true }), 30],
  ...(typeof webgpu === 'string' ? [] : [['webgpu', webgpu, 10] as [string, ag.GpuBackend, number]]),
];
afterAll(async () => {
  for (const [, b] of gpuModes) await b.destroy();
});

describe.each(gpuModes)('fused on gpu mode %s == composed on cpu float64 (float32 tolerance)', (_label, backend, numRuns) => {
  it('loss and gradient over random n ≤ 40, d ≤ 20, antipodal rows', async () => {
    await fc.assert(fc.asyncProperty(rowsSpecArb({ min: 2, max: 40 }, { min: 1, max: 20 }, [0.1]), familyArb(30), async (spec, fam) => {
      const rows = buildRows(spec).map((r) => r.map(Math.fround));
      await expectSame(fam, ag.tensor(rows, { backend }), ag.tensor(rows, { dtype: 'float64' }), f32);
    }), { seed: 2027, numRuns });
  }, 300_000);
});

describe('past 2^24 pairs (webasm, n = 4100)', () => {
  it('mmd runs where the composed graph cannot (its reductions index n² cells in float32), equal to the cpu backend', async () => {
    const backend = gpuModes[1]![1];
    const n = 4100, d = 8;
    const rows = samplesFrom(5, d, n).map((r) => r.map(Math.fround));
    const o: MmdOptions = { kernel: 'gaussian', distance: 'euclidean', gamma: 1 };
    const X = ag.tensor(rows, { backend });
    expect(() => ag.valueAndGrad((Y) => mmdComposed(Y, o))(X)).toThrow(/expected tensors of at most 16777216 elements in '[\w.]+' on webasm \(its kernel computes indices in float32/);
    const [l1, g1] = await lossAndGrad((Y) => mmd(Y, o), X);
    const [l0, g0] = await lossAndGrad((Y) => mmd(Y, o), ag.tensor(rows, { dtype: 'float64' }));
    assertClose('loss', l1, l0, { rtol: 1e-4, zeroAtol: 1e-6 });
    assertClose('grad', g1, g0, { rtol: 1e-3, zeroAtol: 1e-6 });
  }, 120_000);
});

describe('extremes (issue 13)', () => {
  const near = (dtype: DType, gap: number): Tensor => {
    const rows = samplesFrom(9, 5, 12);
    const v = rows[0]!.map((x, j) => x + gap * (j === 0 ? 1 : -1));
    const r = Math.hypot(...v);
    rows[1] = v.map((x) => x / r);
    rows[2] = rows[3]!.slice(); // an exact duplicate as well
    return ag.tensor(rows, { dtype });
  };

  it.each(['float64', 'float32'] as DType[])('koleo: finite loss and gradient for points closer than 1e-8 and coincident ones (%s)', async (dtype) => {
    for (const gap of [1e-9, 1e-12, 0]) {
      const [l, g] = await lossAndGrad((Y) => koleo(Y), near(dtype, gap));
      expect(Number.isFinite(l)).toBe(true);
      expect(Array.from(g).every(Number.isFinite), `gap ${gap}`).toBe(true);
      // the coincident pair contributes −log ε: the loss is at least (2/n)·(−log(ε + tiny chord))
      expect(l).toBeGreaterThan((2 / 12) * -Math.log(2e-8 + 1e-8));
    }
  });

  it('mmd gaussian/euclidean with a large γ: finite, equal to the float64 composed graph', async () => {
    const rows = near('float64', 1e-3).toArray() as number[][];
    const o: MmdOptions = { kernel: 'gaussian', distance: 'euclidean', gamma: 80 };
    const [l0, g0] = await lossAndGrad((Y) => mmdComposed(Y, o), ag.tensor(rows, { dtype: 'float64' }));
    const rows32 = rows.map((r) => r.map(Math.fround));
    const [l1, g1] = await lossAndGrad((Y) => mmd(Y, o), ag.tensor(rows32));
    assertClose('loss', l1, l0, { rtol: 1e-3 });
    assertClose('grad', g1, g0, { rtol: 1e-3 });
    const o64: MmdOptions = { ...o, gamma: 500 };
    const [l2, g2] = await lossAndGrad((Y) => mmd(Y, o64), ag.tensor(rows, { dtype: 'float64' }));
    const [l3, g3] = await lossAndGrad((Y) => mmdComposed(Y, o64), ag.tensor(rows, { dtype: 'float64' }));
    expect(Number.isFinite(l2) && Array.from(g2).every(Number.isFinite)).toBe(true);
    assertClose('loss γ=500', l2, l3, { rtol: 1e-9 });
    assertClose('grad γ=500', g2, g3, { rtol: 1e-9 });
  });

  it('uniformity with a large t stays finite: float32 t = 50, float64 t = 1000, equal to the composed logsumexp', async () => {
    const rows = samplesFrom(10, 6, 20);
    for (const [dtype, t] of [['float32', 50], ['float64', 1000]] as [DType, number][]) {
      const data = rows.map((r) => r.map(dtype === 'float32' ? Math.fround : (x) => x));
      const [l0, g0] = await lossAndGrad((Y) => uniformityComposed(Y, t), ag.tensor(data, { dtype: 'float64' }));
      const [l1, g1] = await lossAndGrad((Y) => uniformity(Y, { t }), ag.tensor(data, { dtype }));
      expect(Number.isFinite(l1)).toBe(true);
      const tol = dtype === 'float32' ? { rtol: 1e-3 } : { rtol: 1e-9 };
      assertClose(`loss ${dtype}`, l1, l0, tol);
      assertClose(`grad ${dtype}`, g1, g0, tol);
    }
  });
});
