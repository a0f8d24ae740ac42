// The tiled MMD op (src/tiledMmd.ts), the path mmd takes on non-cpu backends from
// FUSED_MMD_MIN_ROWS rows: equal to the composed reference for every kernel/distance/chord and any
// tile width (float64 on the cpu backend, where the op also runs), on the gpu backend's modes
// (float32), and past the gpu backend's 2^24-element limit that the composed graph hits.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import { assertClose, compareArrays, unitRowsArb } from '@keepdist/autograd/testing';
import {
  FUSED_MMD_MIN_ROWS, fusedMmdSweep, kernelSpec, mmd, mmdComposed, tiledMmd, tiledMmdColumns, usesTiledMmd,
  type MmdOptions,
} from '@keepdist/dispersion';
import { genericCosines, samplesFrom } from './helpers.js';

const optionsArb: fc.Arbitrary<MmdOptions> = fc.record({
  kernel: fc.constantFrom('gaussian' as const, 'laplace' as const, 'riesz' as const),
  distance: fc.constantFrom('euclidean' as const, 'geodesic' as const),
  chord: fc.constantFrom('exact' as const, 'authors' as const),
  gamma: fc.double({ min: 0.05, max: 5, noNaN: true }),
  s: fc.constantFrom(-1, 0, 0.5, 1, 2),
});

const tiled = (o: MmdOptions, columns?: number) => (X: ag.Tensor): ag.Tensor => tiledMmd(X, kernelSpec('mmd', o), columns);
const composed = (o: MmdOptions) => (X: ag.Tensor): ag.Tensor => mmdComposed(X, o);

describe('tiled mmd == composed mmd (float64, cpu backend)', () => {
  it('loss and gradient agree for random rows, options and tile widths', () => {
    fc.assert(fc.property(unitRowsArb({ n: { min: 2, max: 30 }, d: { min: 2, max: 6 }, dtype: 'float64' }), optionsArb,
      fc.integer({ min: 1, max: 9 }), (X, o, columns) => {
        fc.pre(genericCosines(X, 1e-3));
        const a = ag.valueAndGrad(tiled(o, columns))(X);
        const b = ag.valueAndGrad(composed(o))(X);
        assertClose('loss', a.value.item(), b.value.item(), { rtol: 1e-10, zeroAtol: 1e-12 });
        assertClose('grad', a.grads[0]!.dataSync(), b.grads[0]!.dataSync(), { rtol: 1e-10, zeroAtol: 1e-12 });
      }), { seed: 11, numRuns: 120 });
  });

  it('without a recorded gradient it returns the loss only; the backward scales by the cotangent', () => {
    const X = ag.tensor([[1, 0, 0], [0, 1, 0], [0.6, 0.8, 0]], { dtype: 'float64' });
    const o: MmdOptions = { kernel: 'gaussian', distance: 'euclidean' };
    const y = tiled(o, 2)(X);
    expect(y.requiresGrad).toBe(false);
    expect(y.item()).toBeCloseTo((2 / 3) * (Math.exp(0) + Math.exp(0.6) + Math.exp(0.8)), 12);
    const g3 = ag.valueAndGrad((Y) => ag.mul(tiled(o, 2)(Y), 3))(X).grads[0]!.dataSync();
    const g1 = ag.valueAndGrad(tiled(o, 2))(X).grads[0]!.dataSync();
    assertClose('3·grad', g3, Array.from(g1, (v) => 3 * v), 'float64');
  });

  it('tile widths: ⌊2^21 / n⌋ columns on host backends, within [1, n]', () => {
    expect(tiledMmdColumns(20000)).toBe(104);
    expect(tiledMmdColumns(20000, ag.cpuBackend)).toBe(104);
    expect(tiledMmdColumns(10)).toBe(10);
    expect(tiledMmdColumns(2 ** 22)).toBe(1);
  });
});

const webasm = new ag.GpuBackend({ mode: 'webasm', strict: true });
const webgpu = await ag.createGpuBackend({ mode: 'webgpu', strict: true }).catch((e: Error) => e.message);
if (typeof webgpu === 'string') console.log(`tiled mmd: skipping webgpu: ${webgpu}`);
afterAll(async () => {
  await webasm.destroy();
  if (typeof webgpu !== 'string') await webgpu.destroy();
});

/** n random unit rows in d dimensions, float32-exact. */
const unitRows = (n: number, d: number, seed: number): number[][] => samplesFrom(seed, d, n).map((r) => r.map(Math.fround));

for (const [label, b] of [['webasm', webasm], ['webgpu', webgpu]] as const) {
  describe.skipIf(typeof b === 'string')(`tiled mmd on gpu mode ${label}`, () => {
    const backend = b as ag.Backend;
    it(`tile widths on ${label}: ⌊2^${label === 'webgpu' ? 23 : 21} / n⌋ columns`, () => {
      expect(tiledMmdColumns(20000, backend)).toBe(label === 'webgpu' ? 419 : 104);
    });
    it('every kernel and distance matches the composed graph on the cpu backend (float32), ragged tiles', async () => {
      const rows = unitRows(37, 5, 3);
      for (const kernel of ['gaussian', 'laplace', 'riesz'] as const) {
        for (const distance of ['euclidean', 'geodesic'] as const) {
          const o: MmdOptions = { kernel, distance, gamma: 2 };
          const ref = ag.valueAndGrad(composed(o))(ag.tensor(rows, { dtype: 'float64' }));
          const got = ag.valueAndGrad(tiled(o, 8))(ag.tensor(rows, { backend }));
          assertClose(`${kernel}/${distance} loss`, (await got.value.data())[0]!, ref.value.item(), { rtol: 1e-4, zeroAtol: 1e-5 });
          assertClose(`${kernel}/${distance} grad`, await got.grads[0]!.data(), ref.grads[0]!.dataSync(), { rtol: 1e-4, zeroAtol: 1e-5 });
        }
      }
    });

    // webasm: n² > 2^24, where the composed graph cannot run on this backend; webgpu (slow on
    // SwiftShader in CI): just past the threshold
    const n = label === 'webasm' ? 4100 : FUSED_MMD_MIN_ROWS + 20, d = 8;
    it(`mmd takes the tiled op from ${FUSED_MMD_MIN_ROWS} rows (n = ${n})`, async () => {
      const rows = unitRows(n, d, 5);
      const X = ag.tensor(rows, { backend });
      expect(usesTiledMmd(X)).toBe(true);
      const o: MmdOptions = { kernel: 'gaussian', distance: 'euclidean', gamma: 1 };
      if (n * n > ag.maxElements) expect(() => ag.valueAndGrad(composed(o))(X)).toThrow(/expected at most 16777216 elements per tensor/);
      let name = '';
      const got = ag.valueAndGrad((Y) => {
        const y = mmd(Y, o);
        name = y.node?.name ?? '';
        return y;
      })(X);
      expect(name).toBe('tiledMmd');
      const ref = fusedMmdSweep(rows.flat(), n, d, kernelSpec('mmd', o), true);
      assertClose('loss', (await got.value.data())[0]!, ref.loss, { rtol: 1e-4 });
      const cmp = compareArrays(await got.grads[0]!.data(), ref.grad!, 1e-3, 1e-6);
      expect(cmp.ok, `max |Δ| ${cmp.maxAbsError} at ${cmp.worstIndex}`).toBe(true);
    }, 120_000);
  });
}
