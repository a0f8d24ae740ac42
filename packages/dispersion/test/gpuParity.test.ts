// Every regularizer's loss and Euclidean gradient on the gpu.js backend equal the cpu backend's
// (float32 tolerance) on random points, with the random draws (planes, samples, pairs) passed
// explicitly so both backends see the same ones. Runs on the gpu.js modes this machine has
// (cpu; webasm, synchronous and with worker threads); webgpu (SwiftShader on CPU machines) and
// headlessgl are tried and skipped with their reasons.
import { afterAll, describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import { regularizer, uniformSphereSamples, drawPlane, drawAxisPair, type RegularizerName } from '@keepdist/dispersion';

const n = 24, d = 5;
const rng = ag.createRng(2026);
const X64 = ag.normalize(ag.tensor(rng.normalArray(n * d), { shape: [n, d], dtype: 'float64' }));
const X32 = Array.from(X64.dataSync(), Math.fround);
const points = (uniformSphereSamples(rng, 40, d, X64).toArray() as number[][]).map((r) => r.map(Math.fround));
const planes = [drawPlane(rng, d), drawPlane(rng, d)].map(([p, q]) => [Array.from(p, Math.fround), Array.from(q, Math.fround)] as [number[], number[]]);
const pairs = [drawAxisPair(rng, d), drawAxisPair(rng, d)];

const cases: [RegularizerName, Record<string, unknown>][] = [
  ...(['gaussian', 'laplace', 'riesz'] as const).flatMap((kernel) =>
    (['euclidean', 'geodesic'] as const).map((distance) => ['mmd', { kernel, distance }] as [RegularizerName, Record<string, unknown>])),
  ['uniformity', {}], ['mma', {}], ['mmcs', {}], ['koleo', {}],
  ['lloyd', { points }], ['sliced', { planes }], ['slicedAxis', { pairs }], ['ssw', { planes }],
];

async function lossAndGrad(name: RegularizerName, opts: Record<string, unknown>, backend: ag.Backend): Promise<[number, Float32Array | Float64Array]> {
  const X = ag.tensor(X32, { shape: [n, d], dtype: 'float32', backend });
  const { value, grads } = ag.valueAndGrad(regularizer(name, { ...opts, checkSphere: false }))(X);
  return [(await value.data())[0]!, await grads[0]!.data()];
}

const targets: [string, () => Promise<ag.Backend>][] = [
  ['cpu', async () => new ag.GpuBackend({ mode: 'cpu', strict: true })],
  ['webasm', async () => new ag.GpuBackend({ mode: 'webasm', strict: true })],
  ['webasm+async', async () => new ag.GpuBackend({ mode: 'webasm', async: true, threadMinCells: 64, strict: true })],
  ['webgpu', () => ag.createGpuBackend({ mode: 'webgpu', strict: true })],
  ['headlessgl', async () => new ag.GpuBackend({ mode: 'headlessgl', strict: true })],
];

for (const [label, make] of targets) {
  let backend: ag.Backend | null = null;
  let reason: string | null = null;
  try {
    backend = await make();
  } catch (e) {
    reason = (e as Error).message;
    console.log(`skipping the dispersion parity on gpu mode ${label}: ${reason}`);
  }
  describe.skipIf(reason !== null)(`regularizers on gpu mode ${label} match the cpu backend`, () => {
    afterAll(async () => void (await (backend as { destroy?: () => Promise<void> } | null)?.destroy?.()));
    it.each(cases)('%s %j', async (name, opts) => {
      const [l0, g0] = await lossAndGrad(name, opts, ag.cpuBackend);
      const [l1, g1] = await lossAndGrad(name, opts, backend!);
      expect(Number.isFinite(l1)).toBe(true);
      assertClose(`${name} loss on ${label}`, l1, l0, { rtol: 1e-4, zeroAtol: 1e-5 });
      assertClose(`${name} gradient on ${label}`, g1, g0, { rtol: 1e-4, zeroAtol: 1e-5 });
    });
  });
}
