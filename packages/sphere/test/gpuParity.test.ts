// Property: the sphere's maps (expmap, retr, logmap, proj, projx, transp, ptransp, dist) and their
// gradients on the gpu backend equal the cpu backend's, to float32 tolerance, on random points and
// tangent vectors: on gpu.js's cpu and webasm modes always, on webgpu when an adapter answers
// (SwiftShader on CPU machines), else skipped with the reason printed. Inputs are float32-rounded
// once and given to both; the cpu reference computes in float64. Few runs: each new shape
// compiles new kernels.
import { afterAll, describe, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { Tensor } from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import { dist, expmap, logmap, proj, projx, ptransp, retr, transp } from '@keepdist/sphere';
import { pointsWithTangents } from './helpers.js';

const webgpu = await ag.createGpuBackend({ mode: 'webgpu', strict: true }).catch((e: Error) => e.message);
if (typeof webgpu === 'string') console.log(`sphere gpu parity: skipping gpu mode webgpu: ${webgpu}`);
const targets: [string, ag.GpuBackend, number][] = [
  ['cpu', new ag.GpuBackend({ mode: 'cpu', strict: true }), 10],
  ['webasm', new ag.GpuBackend({ mode: 'webasm', strict: true }), 10],
  ...(typeof webgpu === 'string' ? [] : [['webgpu', webgpu, 5] as [string, ag.GpuBackend, number]]),
];
afterAll(async () => {
  for (const [, b] of targets) {
    const left = b.fallbacks();
    await b.destroy();
    if (left.length) throw new Error(`sphere kernels left ${b.mode}: ${left.map((k) => k.key).join(', ')}`);
  }
});

/** A map of (x, u, y) rows, y = expmap(x, u) computed once in float64 and rounded. */
type SphereMap = (x: Tensor, u: Tensor, y: Tensor) => Tensor;
const maps: [string, SphereMap][] = [
  ['expmap', (x, u) => expmap(x, u)],
  ['retr', (x, u) => retr(x, u)],
  ['proj', (x, u) => proj(x, ag.add(u, x))],
  ['projx', (x, u) => projx(ag.add(x, u))],
  ['logmap', (x, _u, y) => logmap(x, y)],
  ['dist', (x, _u, y) => dist(x, y)],
  ['transp', (x, u, y) => transp(x, y, u)],
  ['ptransp', (x, u, y) => ptransp(x, y, u)],
];

/** Flat float32-rounded values of a float64 tensor. */
const f32 = (t: Tensor): number[] => Array.from(t.dataSync(), Math.fround);

describe.each(targets)('sphere maps on gpu mode %s match the cpu backend (float32 tolerance)', (_label, backend, numRuns) => {
  it('values and the gradients of Σ w ⊙ map(x, u, y) in x, u and y', async () => {
    // ‖u‖ ≤ 2.5 keeps y away from −x, where logmap and ptransp are ill-conditioned; ‖u‖ ≥ 0.1
    // keeps the outputs of size ~1 (for u → 0 they are float64 rounding noise that float32 rounds to 0)
    await fc.assert(fc.asyncProperty(pointsWithTangents({ minNorm: 0.1, maxNorm: 2.5, n: { min: 1, max: 4 }, d: { min: 2, max: 5 } }), async ({ x, u }) => {
      const shape = x.shape as number[];
      const data = [f32(x), f32(u), f32(ag.normalize(expmap(x, u), -1))];
      const on = (b: ag.Backend, dtype: 'float32' | 'float64'): Tensor[] => data.map((v) => ag.tensor(v, { shape, dtype, backend: b }));
      for (const [name, f] of maps) {
        const ref = on(ag.cpuBackend, 'float64'), got = on(backend, 'float32');
        const out = f(ref[0]!, ref[1]!, ref[2]!);
        const w = Array.from(ag.createRng(out.size).normalArray(out.size), Math.fround);
        const loss = (...t: Tensor[]): Tensor => {
          const y = f(t[0]!, t[1]!, t[2]!);
          return ag.sum(ag.mul(y, ag.tensor(w, { shape: y.shape, dtype: y.dtype, backend: y.backend })));
        };
        assertClose(`${name} on ${backend.name}`, await f(got[0]!, got[1]!, got[2]!).data(), out.dataSync(), 'float32');
        const gRef = ag.grad(loss)(...ref), gGot = ag.grad(loss)(...got);
        for (let k = 0; k < 3; k++) assertClose(`${name} gradient ${k} on ${backend.name}`, await gGot[k]!.data(), gRef[k]!.dataSync(), 'float32');
      }
    }), { seed: 31, numRuns });
  }, 300_000);
});
