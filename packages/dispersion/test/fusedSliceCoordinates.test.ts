// The sorted-row pass on stacked slice coordinates (autograd's sortedRowLoss with input
// 'coordinates', one kernel per backend that forms θ = atan2(y, x) itself): its loss AND gradient
// for S = [x; y] equal the composed reference (stackedSliceAngle, then the composed sorted-row
// loss) on cpu float64, and, in each backend's own dtype, the same backend's fused angles pass
// after stackedSliceAngle; over random coordinates with points at the origin of a slice (x = y = 0:
// subgradient 0) and repeated points (exact ties); its gradient is the finite difference of its
// loss; bad shapes are named.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { Backend, DType, Tensor } from '@keepdist/autograd';
import { sortedRowLoss } from '@keepdist/autograd/internal';
import { assertClose } from '@keepdist/autograd/testing';
import {
  slicedLossOfAngles, slicedLossOfAnglesComposed, slicedLossOfCoordinates, stackedSliceAngle, sswLossOfAngles, sswLossOfAnglesComposed,
  sswLossOfCoordinates,
} from '@keepdist/dispersion/internal';

const kinds = [
  { kind: 'sliced' as const, fused: slicedLossOfCoordinates, angles: slicedLossOfAngles, composed: slicedLossOfAnglesComposed },
  { kind: 'ssw' as const, fused: sswLossOfCoordinates, angles: sswLossOfAngles, composed: sswLossOfAnglesComposed },
];

/** 2K × n coordinates from a seed (float32 values): some columns at the origin, some repeating column 0. */
const coordsArb = fc.record({
  K: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 200 }), seed: fc.integer(), origin: fc.boolean(), ties: fc.boolean(),
}).map(({ K, n, seed, origin, ties }) => {
  const z = ag.createRng(seed).normalArray(2 * K * n);
  const s = Array.from(z, (v) => Math.fround(v));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      if (origin && i % 7 === 3) s[k * n + i] = s[(K + k) * n + i] = 0;
      else if (ties && i % 5 === 1) {
        s[k * n + i] = s[k * n]!;
        s[(K + k) * n + i] = s[(K + k) * n]!;
      }
    }
  }
  return { K, n, s };
});

/** Loss and gradient of f at S (read back, also from asynchronous backends). */
async function lossAndGrad(f: (t: Tensor) => Tensor, S: Tensor): Promise<[number, Float32Array | Float64Array]> {
  const { value, grads } = ag.valueAndGrad(f)(S);
  return [(await value.data())[0]!, await grads[0]!.data()];
}

const wasm1 = ag.createWasmBackend(), wasm2 = ag.createWasmBackend({ threads: 2 });
const gpuCpu = new ag.GpuBackend({ mode: 'cpu', strict: true });
afterAll(async () => {
  for (const b of [wasm2, gpuCpu]) await b.destroy();
});
const cases: [string, Backend, DType][] = [
  ['cpu float64', ag.cpuBackend, 'float64'], ['cpu float32', ag.cpuBackend, 'float32'],
  ['wasm float64', wasm1, 'float64'], ['wasm float32', wasm1, 'float32'], ['wasm 2 threads float32', wasm2, 'float32'],
  ['gpu cpu mode', gpuCpu, 'float32'],
];
const tol = { float64: { rtol: 1e-10, zeroAtol: 1e-12 }, float32: { rtol: 1e-4, zeroAtol: 1e-5 } };

describe.each(cases)('sorted-row losses of stacked coordinates on %s', (_label, backend, dtype) => {
  for (const { kind, fused, angles, composed } of kinds) {
    it(`${kind}: loss and gradient == the composed graph on cpu float64, and == this backend's angles pass (origins, ties)`, async () => {
      await fc.assert(fc.asyncProperty(coordsArb, async ({ K, n, s }) => {
        const [l0, g0] = await lossAndGrad((t) => composed(stackedSliceAngle(t)), ag.tensor(s, { shape: [2 * K, n], dtype: 'float64' }));
        const S = ag.tensor(s, { shape: [2 * K, n], dtype, backend });
        const [l1, g1] = await lossAndGrad(fused, S);
        assertClose(`${kind} loss`, l1, l0, tol[dtype]);
        assertClose(`${kind} grad`, g1, g0, tol[dtype]);
        const [l2, g2] = await lossAndGrad((t) => angles(stackedSliceAngle(t)), S);
        assertClose(`${kind} loss vs the angles pass`, l1, l2, dtype === 'float64' ? { rtol: 1e-13, zeroAtol: 1e-15 } : tol.float32);
        assertClose(`${kind} grad vs the angles pass`, g1, g2, dtype === 'float64' ? { rtol: 1e-12, zeroAtol: 1e-14 } : tol.float32);
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < K; k++) {
            if (s[k * n + i] === 0 && s[(K + k) * n + i] === 0) expect([g1[k * n + i], g1[(K + k) * n + i]], 'origin: subgradient 0').toEqual([0, 0]);
          }
        }
      }), { seed: 20261203, numRuns: 20 });
    });
  }
});

describe('sorted-row losses of stacked coordinates: gradient = finite differences (cpu and wasm, float64)', () => {
  for (const backend of [ag.cpuBackend, wasm1]) {
    for (const { kind } of kinds) {
      it(`${kind} on ${backend.name}`, () => {
        fc.assert(fc.property(fc.integer({ min: 2, max: 40 }), fc.integer(), (n, seed) => {
          const s = Array.from(ag.createRng(seed).normalArray(4 * n));
          const loss = (t: Tensor): Tensor => ag.sum(sortedRowLoss(t, kind, 'coordinates'));
          const f = (v: number[]): number => loss(ag.tensor(v, { shape: [4, n], dtype: 'float64', backend })).item();
          const g = ag.valueAndGrad(loss)(ag.tensor(s, { shape: [4, n], dtype: 'float64', backend })).grads[0]!.dataSync();
          const h = 1e-6;
          // away from ties of the angles (a step of h cannot reorder them), the loss is smooth
          for (let r = 0; r < 2; r++) {
            const th = Array.from({ length: n }, (_, i) => Math.atan2(s[(2 + r) * n + i]!, s[r * n + i]!)).sort((a, b) => a - b);
            fc.pre(th.every((v, i) => i === 0 || v - th[i - 1]! > 1e-4));
          }
          const fd = s.map((_, i) => {
            const up = s.slice(), dn = s.slice();
            up[i]! += h;
            dn[i]! -= h;
            return (f(up) - f(dn)) / (2 * h);
          });
          assertClose(`${kind} finite differences`, g, fd, { rtol: 1e-5, zeroAtol: 1e-6 });
        }), { seed: 20261203, numRuns: 15 });
      });
    }
  }
});

describe('sortedRowLoss of coordinates: bad arguments are named', () => {
  it('an odd number of rows, and the input kind', () => {
    expect(() => sortedRowLoss(ag.zeros([3, 4]), 'sliced', 'coordinates')).toThrow(/^sortedRowLoss: expected stacked coordinates of rank 2 \(2·rows × n, n ≥ 1\), got shape \[3,4\]\./);
    expect(() => sortedRowLoss(ag.zeros([2, 4]), 'sliced', 'xy' as 'angles')).toThrow(/^sortedRowLoss: expected input 'angles' \| 'coordinates', got xy\./);
  });
});
