// The sliced family's fused sorted-row pass (autograd's sortedRowLoss, one kernel per backend):
// its loss AND gradient for the slice angles equal the composed reference graphs
// (slicedLossOfAnglesComposed, sswLossOfAnglesComposed) on cpu float64, and on wasm (1 and 2
// threads), the cpu backend in float32 and the gpu backend's host modes within the float32
// tolerance, over random rows with exact ties (stable ranks) and lengths 1 to 300; its gradient is
// the central finite difference of its loss; and bad arguments are named.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { Backend, DType, Tensor } from '@keepdist/autograd';
import { sortedRowLoss } from '@keepdist/autograd/internal';
import { assertClose } from '@keepdist/autograd/testing';
import {
  slicedLossOfAngles, slicedLossOfAnglesComposed, sswLossOfAngles, sswLossOfAnglesComposed,
} from '@keepdist/dispersion/internal';

const RUNS = { seed: 20261201, numRuns: 30 };
const kinds = [
  { kind: 'sliced' as const, fused: slicedLossOfAngles, composed: slicedLossOfAnglesComposed },
  { kind: 'ssw' as const, fused: sswLossOfAngles, composed: sswLossOfAnglesComposed },
];

/** K rows of n angles in (−π, π] from a seed; with `ties`, rounded to a coarse grid so that equal values occur. */
const anglesArb = fc.record({
  K: fc.integer({ min: 1, max: 5 }), n: fc.integer({ min: 1, max: 300 }), seed: fc.integer(), ties: fc.boolean(),
}).map(({ K, n, seed, ties }) => {
  const u = ag.createRng(seed).uniformArray(K * n);
  const theta = Array.from(u, (v) => Math.fround(ties ? Math.PI * (Math.round(v * 16) / 8 - 1) : Math.PI * (2 * v - 1)));
  return { K, n, theta };
});

/** Loss and gradient of f at θ (read back, also from asynchronous backends). */
async function lossAndGrad(f: (t: Tensor) => Tensor, theta: Tensor): Promise<[number, Float32Array | Float64Array]> {
  const { value, grads } = ag.valueAndGrad(f)(theta);
  return [(await value.data())[0]!, await grads[0]!.data()];
}

const wasm1 = ag.createWasmBackend(), wasm2 = ag.createWasmBackend({ threads: 2 });
const gpuCpu = new ag.GpuBackend({ mode: 'cpu', strict: true }), gpuWebasm = new ag.GpuBackend({ mode: 'webasm', strict: true });
afterAll(async () => {
  for (const b of [wasm2, gpuCpu, gpuWebasm]) await b.destroy();
});
const cases: [string, Backend, DType][] = [
  ['cpu float64', ag.cpuBackend, 'float64'], ['cpu float32', ag.cpuBackend, 'float32'],
  ['wasm float64', wasm1, 'float64'], ['wasm float32', wasm1, 'float32'], ['wasm 2 threads float64', wasm2, 'float64'],
  ['gpu cpu mode', gpuCpu, 'float32'], ['gpu webasm', gpuWebasm, 'float32'],
];
const tol = { float64: { rtol: 1e-10, zeroAtol: 1e-12 }, float32: { rtol: 1e-4, zeroAtol: 1e-5 } };

describe.each(cases)('fused sorted-row losses on %s == the composed graph on cpu float64', (_label, backend, dtype) => {
  for (const { kind, fused, composed } of kinds) {
    it(`${kind}: loss and gradient, rows with ties, n from 1 to 300`, async () => {
      await fc.assert(fc.asyncProperty(anglesArb, async ({ K, n, theta }) => {
        const ref = ag.tensor(theta, { shape: [K, n], dtype: 'float64' });
        const [l0, g0] = await lossAndGrad(composed, ref);
        const [l1, g1] = await lossAndGrad(fused, ag.tensor(theta, { shape: [K, n], dtype, backend }));
        assertClose(`${kind} loss`, l1, l0, tol[dtype]);
        assertClose(`${kind} grad`, g1, g0, tol[dtype]);
      }), RUNS);
    });
  }
});

describe('fused sorted-row losses: gradient = finite differences (cpu and wasm, float64)', () => {
  for (const backend of [ag.cpuBackend, wasm1]) {
    for (const { kind } of kinds) {
      it(`${kind} on ${backend.name}`, () => {
        fc.assert(fc.property(fc.integer({ min: 2, max: 40 }), fc.integer(), (n, seed) => {
          const theta = Array.from(ag.createRng(seed).uniformArray(2 * n), (v) => Math.PI * (2 * v - 1));
          const f = (t: number[]): number => ag.sum(sortedRowLoss(ag.tensor(t, { shape: [2, n], dtype: 'float64', backend }), kind)).item();
          const { grads } = ag.valueAndGrad((t: Tensor) => ag.sum(sortedRowLoss(t, kind)))(ag.tensor(theta, { shape: [2, n], dtype: 'float64', backend }));
          const g = grads[0]!.dataSync();
          const h = 1e-6;
          // away from ties (a step of h cannot reorder values that far apart), the loss is smooth
          const sorted = theta.slice().sort((a, b) => a - b);
          fc.pre(sorted.every((v, i) => i === 0 || v - sorted[i - 1]! > 10 * h));
          const fd = theta.map((_, i) => {
            const up = theta.slice(), dn = theta.slice();
            up[i]! += h;
            dn[i]! -= h;
            return (f(up) - f(dn)) / (2 * h);
          });
          assertClose(`${kind} finite differences`, g, fd, { rtol: 1e-5, zeroAtol: 1e-7 });
        }), { seed: 20261201, numRuns: 15 });
      });
    }
  }
});

describe('sortedRowLoss: bad arguments are named', () => {
  it('rank, empty rows and the kind', () => {
    expect(() => sortedRowLoss(ag.tensor([1, 2, 3]), 'sliced')).toThrow(/^sortedRowLoss: expected θ of rank 2 \(rows × n, n ≥ 1\), got shape \[3\]\./);
    expect(() => sortedRowLoss(ag.zeros([2, 0]), 'ssw')).toThrow(/^sortedRowLoss: expected θ of rank 2/);
    expect(() => sortedRowLoss(ag.zeros([2, 2]), 'median' as 'ssw')).toThrow(/^sortedRowLoss: expected kind 'sliced' \| 'ssw', got median\./);
  });
});
