// Property: every op, forward and gradient, on the gpu backend matches the cpu backend within
// float32 tolerance, on random shapes (broadcasting included), on each gpu.js mode this machine
// runs: webasm (synchronous, and under the async contract with worker threads) and cpu always;
// webgpu and headlessgl when present, else skipped with the reason printed. Inputs are
// float32-rounded once and given to both backends; the cpu reference computes in float64. Each
// gradient is of L = Σ f(x) ⊙ w for a fixed random w, so every VJP sees a general cotangent.
import { afterAll, describe, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { Tensor } from '@keepdist/autograd';
import { assertClose, broadcastShapesArb, shapeArb } from '@keepdist/autograd/testing';

const RUNS = { seed: 20260606, numRuns: 15 };
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** One input: its shape and float32-exact values. */
interface Input { shape: number[]; data: number[] }

/**
 * float32-exact values in [min, max], at least `away` from 0; magnitudes below 1e-6 become 0 (their
 * squares and products underflow float32, which is not what these properties are about).
 */
function inputArb(shape: number[] | fc.Arbitrary<number[]>, min = -2, max = 2, away = 0): fc.Arbitrary<Input> {
  const shapes = Array.isArray(shape) ? fc.constant(shape) : shape;
  const v = fc.double({ min, max, noNaN: true }).map((x) => (Math.abs(x) < 1e-6 ? 0 : Math.fround(x)))
    .filter((x) => Math.abs(x) >= away && x >= min && x <= max);
  return shapes.chain((sh) => fc.array(v, { minLength: size(sh), maxLength: size(sh) }).map((data) => ({ shape: sh, data })));
}

/** Deterministic cotangent weights for an output of `n` elements. */
function weights(n: number): number[] {
  return Array.from(ag.createRng(n + 7).normalArray(n), Math.fround);
}

/**
 * Runs f on cpu (float64) and on `gpu`, compares outputs and, unless `grad` is false, the
 * gradients of Σ f ⊙ w with respect to every input.
 */
async function same(gpu: ag.Backend, what: string, f: (...xs: Tensor[]) => Tensor, inputs: readonly Input[], grad = true): Promise<void> {
  const make = (b: ag.Backend, dtype: 'float32' | 'float64') => inputs.map((x) => ag.tensor(x.data, { shape: x.shape, dtype, backend: b }));
  const xc = make(ag.cpuBackend, 'float64'), xg = make(gpu, 'float32');
  const yc = f(...xc), yg = f(...xg);
  assertClose(`${what} forward on ${gpu.name}`, await yg.data(), yc.dataSync(), 'float32');
  if (!grad) return;
  const loss = (...xs: Tensor[]): Tensor => {
    const y = f(...xs);
    return ag.sum(ag.mul(y, ag.tensor(weights(y.size), { shape: y.shape, dtype: y.dtype, backend: y.backend })));
  };
  const gc = ag.grad(loss)(...xc), gg = ag.grad(loss)(...xg);
  for (let i = 0; i < inputs.length; i++) assertClose(`${what} gradient ${i} on ${gpu.name}`, await gg[i]!.data(), gc[i]!.dataSync(), 'float32');
}

const shapes = shapeArb({ minRank: 0, maxRank: 3, maxDim: 4 });
const pairs = broadcastShapesArb({ maxRank: 3, maxDim: 3 });

/** A mode to test: its backend, or why it cannot run here. */
interface Target { label: string; backend: ag.GpuBackend | null; reason: string | null }

/** Makes the backend for a target, catching the clear "not available here" error. */
async function target(label: string, make: () => ag.GpuBackend | Promise<ag.GpuBackend>): Promise<Target> {
  try {
    return { label, backend: await make(), reason: null };
  } catch (e) {
    return { label, backend: null, reason: (e as Error).message };
  }
}

const targets: Target[] = [
  await target('webasm', () => new ag.GpuBackend({ mode: 'webasm', strict: true })),
  await target('webasm+async (threads)', () => new ag.GpuBackend({ mode: 'webasm', async: true, threadMinCells: 16, strict: true })),
  await target('cpu', () => new ag.GpuBackend({ mode: 'cpu', strict: true })),
  await target('webgpu', () => ag.createGpuBackend({ mode: 'webgpu', strict: true })),
  await target('headlessgl', () => new ag.GpuBackend({ mode: 'headlessgl', strict: true })),
];
for (const t of targets) if (t.reason) console.log(`gpu parity: skipping mode ${t.label}: ${t.reason}`);

for (const { label, backend, reason } of targets) {
  describe.skipIf(reason !== null)(`gpu backend, mode ${label}, matches the cpu backend`, () => {
    const gpu = backend!;
    afterAll(async () => {
      const fallbacks = gpu.fallbacks();
      await gpu.destroy();
      if (fallbacks.length) throw new Error(`kernels left ${gpu.mode}: ${fallbacks.map((k) => `${k.key} → ${k.mode}`).join(', ')}`);
    });
    const check = (what: string, f: (...xs: Tensor[]) => Tensor, inputs: readonly Input[], grad = true): Promise<void> =>
      same(gpu, what, f, inputs, grad);

    it('unary ops on their domains', async () => {
      await fc.assert(fc.asyncProperty(inputArb(shapes), inputArb(shapes, 0.1, 3), inputArb(shapes, -0.9, 0.9), inputArb(shapes, -2, 2, 0.1),
        async (x, pos, unit, away) => {
          for (const f of [ag.neg, ag.exp, ag.square, ag.sin, ag.cos, ag.tanh, ag.sigmoid]) await check(f.name, f, [x]);
          for (const f of [ag.log, ag.sqrt]) await check(f.name, f, [pos]);
          for (const f of [ag.acos, ag.asin]) await check(f.name, f, [unit]);
          for (const f of [ag.reciprocal, ag.abs, ag.relu]) await check(f.name, f, [away]);
          await check('sign', ag.sign, [x], false);
          await check('clamp', (t) => ag.clamp(t, -0.5, 0.5), [away]);
        }), RUNS);
    });

    it('broadcasting binary ops, comparisons and where', async () => {
      const arb = pairs.chain(([sa, sb]) => fc.tuple(inputArb(sa), inputArb(sb), inputArb(sb, -2, 2, 0.2), inputArb(sa, 0.2, 2)));
      await fc.assert(fc.asyncProperty(arb, async ([a, b, bAway, aPos]) => {
        for (const f of [ag.add, ag.sub, ag.mul]) await check(f.name, f, [a, b]);
        await check('div', ag.div, [a, bAway]);
        await check('pow', ag.pow, [aPos, b]);
        await check('atan2', ag.atan2, [a, bAway]);
        for (const f of [ag.maximum, ag.minimum]) await check(f.name, f, [a, b]);
        for (const f of [ag.eq, ag.ne, ag.lt, ag.le, ag.gt, ag.ge]) await check(f.name, f, [a, b], false);
        await check('where', (p, q) => ag.where(ag.gt(p, 0), p, q), [a, b]);
      }), RUNS);
    });

    it('reductions along random dims, with and without keepdim', async () => {
      const arb = shapeArb({ minRank: 1, maxRank: 3, maxDim: 5 }).chain((s) =>
        fc.tuple(inputArb(s), fc.integer({ min: -1, max: s.length - 1 }), fc.boolean()));
      await fc.assert(fc.asyncProperty(arb, async ([x, d, keep]) => {
        const dim = d < 0 ? undefined : d;
        await check('sum', (t) => ag.sum(t, dim, keep), [x]);
        await check('mean', (t) => ag.mean(t, dim, keep), [x]);
        await check('max', (t) => ag.max(t, dim, keep), [x]);
        await check('min', (t) => ag.min(t, dim, keep), [x]);
        await check('logsumexp', (t) => ag.logsumexp(t, dim, keep), [x]);
        await check('norm', (t) => ag.norm(t, dim, keep), [x]);
        await check('argmax', (t) => ag.argmax(t, dim, keep), [x], false);
        await check('argmin', (t) => ag.argmin(t, dim, keep), [x], false);
      }), RUNS);
    });

    it('matmul: 2-D, batched with broadcast batch dims, vectors, transposed flags, gram', async () => {
      const dims = fc.integer({ min: 1, max: 9 });
      const arb = fc.tuple(dims, dims, dims, fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 1, 2)).chain(([m, k, n, bt, form]) => {
        const [sa, sb] = form === 0 ? [[m, k], [k, n]] : form === 1 ? [[bt, m, k], [1, k, n]] : [[k], [k, n]];
        return fc.tuple(inputArb(sa!), inputArb(sb!), inputArb([bt, k, m]), inputArb([bt, n, k]));
      });
      await fc.assert(fc.asyncProperty(arb, async ([a, b, at, bt]) => {
        await check('matmul', ag.matmul, [a, b]);
        await check('matmulT(A^T, B^T)', (p, q) => ag.matmulT(p, q, true, true), [at, bt]);
        await check('gram', ag.gram, [bt]);
      }), RUNS);
    });

    it('layout ops: permute, expand, slice, concat, stack, indexSelect, takeAlongDim, flip', async () => {
      const arb = shapeArb({ minRank: 2, maxRank: 3, maxDim: 4 }).chain((s) => fc.tuple(
        inputArb(s), fc.integer({ min: 0, max: s.length - 1 }), fc.integer({ min: -4, max: 3 }), fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 11 }), fc.array(fc.nat({ max: s[0]! - 1 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat({ max: s[s.length - 1]! - 1 }), { minLength: size(s), maxLength: size(s) })));
      await fc.assert(fc.asyncProperty(arb, async ([x, d, start, step, pieces, rows, along]) => {
        const r = x.shape.length;
        await check('transpose', (t) => ag.permute(t, Array.from({ length: r }, (_, i) => r - 1 - i)), [x]);
        await check('expand', (t) => ag.expand(ag.unsqueeze(t, 0), [2, ...x.shape]), [x]);
        await check('slice', (t) => ag.slice(t, d, start, undefined, step), [x]);
        await check('concat', (...ts) => ag.concat(ts, d), Array.from({ length: pieces }, () => x));
        await check('stack', (p, q) => ag.stack([p, q, p], d), [x, x]);
        await check('indexSelect', (t) => ag.indexSelect(t, 0, rows), [x]);
        await check('takeAlongDim', (t) => ag.takeAlongDim(t, ag.tensor(along, { shape: x.shape, backend: t.backend, dtype: t.dtype }), -1), [x]);
        await check('flip', (t) => ag.flip(t, d), [x]);
      }), RUNS);
    });

    /** Runs the unary `f` on `xs` and holds every element to |got − Math's| ≤ rtol·|Math's| + atol. */
    const elementwise = async (f: (t: Tensor) => Tensor, exact: (v: number) => number, xs: readonly number[], rtol: number, atol: number): Promise<void> => {
      const got = await f(ag.tensor(xs, { backend: gpu })).data();
      xs.forEach((v, i) => {
        const want = exact(v);
        if (!(Math.abs(got[i]! - want) <= rtol * Math.abs(want) + atol)) throw new Error(`${f.name}(${v}) on ${gpu.name}: got ${got[i]}, expected ${want}`);
      });
    };

    it('sin and cos on |x| ≤ 100 (octant seams, multiples of π/2, near 0), each element to 1e-6 relative + 2e-7', async () => {
      const grid = Array.from({ length: 801 }, (_, i) => -100 + i * 0.25);
      const seams = [1, 2, 3, 4, 5, 6, 7, 8, 63].flatMap((k) => [k * Math.PI / 4, k * Math.PI / 4 + 1e-6, -k * Math.PI / 4]);
      const xs = [...grid, ...seams, 0, 1e-7, -1e-5, 3e-3, -1.7467].map(Math.fround);
      await elementwise(ag.sin, Math.sin, xs, 1e-6, 2e-7);
      await elementwise(ag.cos, Math.cos, xs, 1e-6, 2e-7);
    });

    it('asin and acos over their whole domain (±1, the ±½ seams, near 0), each element to 1e-6 relative', async () => {
      const xs = [-1, -0.99999, -0.999, -0.9, -0.5000001, -0.5, -0.4999999, -0.2, -1e-6, 0, 1e-7, 3e-4, 0.25, 0.5, 0.5000001, 0.8, 0.9999, 1]
        .map(Math.fround);
      await elementwise(ag.asin, Math.asin, xs, 1e-6, 1e-12);
      await elementwise(ag.acos, Math.acos, xs, 1e-6, 1e-12);
    });

    it('exp, log, sqrt, tanh and atan2 across wide ranges, each element to 1e-5 relative', async () => {
      const wide = Array.from({ length: 321 }, (_, i) => Math.fround(-80 + i * 0.5));
      const positive = Array.from({ length: 121 }, (_, i) => Math.fround(10 ** (-30 + i * 0.5)));
      await elementwise(ag.exp, Math.exp, wide, 1e-5, 1e-30);
      await elementwise(ag.tanh, Math.tanh, wide, 1e-5, 1e-30);
      await elementwise(ag.log, Math.log, positive, 1e-5, 1e-30);
      await elementwise(ag.sqrt, Math.sqrt, positive, 1e-5, 1e-30);
      // atan2 around the circle at radii 2…96, the angle t as the argument (t = ±π, atan2's seam, left out)
      const angles = Array.from({ length: 95 }, (_, i) => Math.fround(-Math.PI + ((i + 1) * 2 * Math.PI) / 96));
      const radius = ag.tensor(angles.map((_, i) => 2 + i), { backend: gpu });
      const viaAtan2 = (t: Tensor): Tensor => ag.atan2(ag.mul(ag.sin(t), radius), ag.mul(ag.cos(t), radius));
      await elementwise(viaAtan2, (t) => t, angles, 1e-5, 1e-6);
    });

    it('sort, argsort, softmax, normalize, fillDiagonal', async () => {
      const arb = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 9 })).chain(([m, n]) =>
        fc.tuple(inputArb([m, n]), inputArb([n, n]), fc.integer({ min: 0, max: 1 })));
      await fc.assert(fc.asyncProperty(arb, async ([x, sq, d]) => {
        await check('sort', (t) => ag.sort(t, d).values, [x]);
        await check('argsort', (t) => ag.argsort(t, d), [x], false);
        await check('softmax', (t) => ag.softmax(t, d), [x]);
        await check('logSoftmax', (t) => ag.logSoftmax(t, d), [x]);
        await check('normalize', (t) => ag.normalize(t, d), [x]);
        await check('fillDiagonal', (t) => ag.fillDiagonal(t, -3), [sq]);
      }), RUNS);
    });
  });
}
