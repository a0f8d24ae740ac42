// Property: the ops of @keepdist/autograd and their gradients give the same values on the wasm
// backend as on the cpu backend (whose gradients the gradcheck suite verifies against central
// differences): float64 to 1e-12, float32 to the float32 tolerance. Also a central-difference
// check run entirely on wasm in float64, so the wasm gradients are checked on their own too.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { Tensor } from '@keepdist/autograd';
import { assertClose, broadcastShapesArb, shapeArb, tolerances } from '@keepdist/autograd/testing';
import { F64_RTOL, dtypes, valuesArb, wasm } from './wasmHelpers.js';

const RUNS = { seed: 20261202, numRuns: 20 };
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Values and gradient (of Σ f ⊙ w) on cpu and wasm, compared per dtype. */
function same(what: string, f: (...xs: Tensor[]) => Tensor, inputs: { shape: number[]; data: number[] }[]): void {
  for (const dtype of dtypes) {
    const make = (backend: ag.Backend) => inputs.map((x) => ag.tensor(x.data, { shape: x.shape, dtype, backend }));
    const loss = (...xs: Tensor[]): Tensor => {
      const y = f(...xs);
      const w = ag.tensor(Array.from(ag.createRng(y.size).normalArray(y.size), Math.fround), { shape: y.shape, dtype, backend: y.backend });
      return ag.sum(ag.mul(y, w));
    };
    const tol = dtype === 'float64' ? { rtol: F64_RTOL, zeroAtol: 1e-300 } : tolerances.float32;
    const xc = make(ag.cpuBackend), xw = make(wasm);
    assertClose(`${what} forward ${dtype}`, f(...xw).dataSync(), f(...xc).dataSync(), tol);
    const gc = ag.grad(loss)(...xc), gw = ag.grad(loss)(...xw);
    gc.forEach((g, i) => assertClose(`${what} gradient ${i} ${dtype}`, gw[i]!.dataSync(), g.dataSync(), tol));
  }
}

const input = (shape: number[], min = -2, max = 2) => valuesArb(size(shape), min, max).map((data) => ({ shape, data }));
const shapes = shapeArb({ minRank: 1, maxRank: 3, maxDim: 6 });

describe('ops and gradients on wasm equal cpu', () => {
  it('elementwise chains with broadcasting', () => {
    const pair = broadcastShapesArb({ maxRank: 3, maxDim: 5 }).chain(([sa, sb]) => fc.tuple(input(sa), input(sb, 0.5, 2)));
    fc.assert(fc.property(pair, ([a, b]) => {
      same('chain', (x, y) => ag.add(ag.mul(ag.exp(ag.sin(x)), ag.log(y)), ag.div(ag.tanh(x), y)), [a, b]);
      same('pow/atan2/sigmoid', (x, y) => ag.add(ag.pow(y, x), ag.mul(ag.atan2(x, y), ag.sigmoid(x))), [a, b]);
    }), RUNS);
  });

  it('reductions, softmax, normalize, clamp/acos', () => {
    fc.assert(fc.property(shapes.chain((s) => input(s)), (x) => {
      same('sum/mean', (t) => ag.add(ag.sum(ag.square(t), -1), ag.mean(t, 0, false).sum()), [x]);
      same('logSoftmax', (t) => ag.logSoftmax(t, -1), [x]);
      same('normalize', (t) => ag.normalize(t, -1), [x]);
      same('acos(clamp)', (t) => ag.acos(ag.clamp(ag.mul(t, 0.4), -1 + 1e-7, 1 - 1e-7)), [x]);
    }), RUNS);
  });

  it('matmul (batched, broadcast batch dims), gram, sort, indexSelect, slices, concat', () => {
    const dims = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 10 }));
    fc.assert(fc.property(dims.chain(([b, m, k, n]) => fc.tuple(input([b, m, k]), input([k, n]))), ([a, b]) => {
      same('matmul', (x, y) => ag.matmul(x, y), [a, b]);
      same('gram', (x) => ag.gram(ag.reshape(x, [-1, x.shape[2]!])), [a]);
      same('sort', (x) => ag.sort(x, -1).values, [a]);
      same('slice/concat/indexSelect', (x) => ag.concat([ag.slice(x, -1, 0, x.shape[2]!, 2), ag.indexSelect(x, -1, [0, 0])], -1), [a]);
    }), RUNS);
  });
});

describe('gradients checked on wasm itself (float64 central differences)', () => {
  it('Σ w ⊙ f(X) for a composite of every op family', () => {
    const f = (x: Tensor): Tensor => ag.sum(ag.mul(ag.softmax(ag.matmul(x, x.T), -1), ag.sin(ag.gram(x))));
    const x0 = ag.tensor(ag.createRng(3).normalArray(5 * 3), { shape: [5, 3], dtype: 'float64', backend: wasm });
    const g = ag.grad(f)(x0)[0]!.dataSync();
    const base = x0.dataSync();
    const h = 1e-6;
    for (let i = 0; i < base.length; i++) {
      const at = (d: number): number => {
        const data = base.slice();
        data[i]! += d;
        return f(ag.tensor(data, { shape: [5, 3], dtype: 'float64', backend: wasm })).item();
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs(g[i]! - numeric)).toBeLessThan(1e-7 + 1e-6 * Math.abs(numeric));
    }
  });
});
