// Property: every primitive of the wasm backend gives the cpu backend's result on the same
// inputs, in float32 and float64, over generated shapes (broadcasting, odd sizes, empty
// tensors), strides, matmul shapes (batch, transA/transB, the thin path, depths past one block).
// Exact where both compute the same correctly rounded operation; float64 to 1e-12 and float32
// to the float32 tolerance where only the order of a sum differs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { BinaryOp, ReduceOp, UnaryOp } from '@keepdist/autograd/internal';
import { broadcastShapesArb, shapeArb } from '@keepdist/autograd/testing';
import { both, dtypes, expectSame, read, valuesArb, wasm } from './wasmHelpers.js';

const RUNS = { seed: 20261201, numRuns: 40 };
const cpu = ag.cpuBackend;
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const shapes = shapeArb({ minRank: 0, maxRank: 3, minDim: 0, maxDim: 11 });

/** Inputs of each unary op inside its domain. */
const unaryDomains: Record<UnaryOp, [number, number]> = {
  neg: [-3, 3], exp: [-20, 20], log: [1e-3, 50], sqrt: [0, 50], abs: [-3, 3], sign: [-3, 3], sin: [-10, 10], cos: [-10, 10],
  acos: [-1, 1], asin: [-1, 1], tanh: [-5, 5], sigmoid: [-30, 30], relu: [-3, 3], square: [-3, 3], reciprocal: [0.1, 5],
};

describe('wasm primitives equal the cpu backend', () => {
  it('upload, read, fill, cast', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 37 }).chain((n) => valuesArb(n)), fc.double({ min: -5, max: 5, noNaN: true }), (data, v) => {
      for (const dt of dtypes) {
        const [c, w] = both(data, dt);
        expectSame('upload', w, c, true);
        expectSame('fill', wasm.fill(data.length, v, dt), cpu.fill(data.length, v, dt), true);
        for (const to of dtypes) expectSame(`cast ${dt}→${to}`, wasm.cast(w, to), cpu.cast(c, to), true);
      }
    }), RUNS);
  });

  it('unary ops, every op, odd sizes (exact except float32 exp/log/sigmoid: 4 ulp)', () => {
    const ops = Object.keys(unaryDomains) as UnaryOp[];
    fc.assert(fc.property(fc.constantFrom(...ops), shapes, fc.integer(), (op, shape, seed) => {
      const [lo, hi] = unaryDomains[op];
      const data = Array.from(ag.createRng(seed).uniformArray(size(shape)), (u) => Math.fround(lo + (hi - lo) * u));
      for (const dt of dtypes) {
        const [c, w] = both(data, dt);
        const poly = dt === 'float32' && ['exp', 'log', 'sigmoid', 'acos', 'asin'].includes(op);
        const musl = dt === 'float64' && !['neg', 'sqrt', 'abs', 'sign', 'relu', 'square', 'reciprocal'].includes(op);
        expectSame(`unary ${op}`, wasm.unary(op, w), cpu.unary(op, c), !poly && !musl);
      }
    }), RUNS);
  });

  it('binary ops with broadcasting, every op (exact)', () => {
    const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'atan2', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'];
    const pairs = broadcastShapesArb({ maxRank: 4, maxDim: 6 }).chain(([sa, sb]) =>
      fc.tuple(fc.constant(sa), fc.constant(sb), valuesArb(size(sa), -3, 3), valuesArb(size(sb), -3, 3)));
    fc.assert(fc.property(fc.constantFrom(...ops), pairs, (op, [sa, sb, da, db]) => {
      const rank = Math.max(sa.length, sb.length);
      const os = Array.from({ length: rank }, (_, i) => Math.max(sa[sa.length - rank + i] ?? 1, sb[sb.length - rank + i] ?? 1));
      // small integers half the time: ties for comparisons, maximum/minimum, pow with integer exponents
      const a = op === 'pow' ? da.map(Math.abs) : da.map((v, i) => (i % 2 ? Math.round(v) : v));
      const b = db.map((v, i) => (i % 2 ? Math.round(v) : v));
      for (const dt of dtypes) {
        const [ca, wa] = both(a, dt), [cb, wb] = both(b, dt);
        const exact = !(dt === 'float64' && (op === 'pow' || op === 'atan2'));
        expectSame(`binary ${op} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`, wasm.binary(op, wa, sa, wb, sb, os), cpu.binary(op, ca, sa, cb, sb, os), exact);
      }
    }), RUNS);
  });

  it('where with broadcasting (exact)', () => {
    const triple = broadcastShapesArb({ maxRank: 3, maxDim: 5 }).chain(([sa, sb]) =>
      fc.tuple(fc.constant(sa), fc.constant(sb), valuesArb(size(sa)), valuesArb(size(sb)), valuesArb(size(sa)).map((v) => v.map((x) => (x > 0 ? 1 : 0)))));
    fc.assert(fc.property(triple, ([sa, sb, da, db, dc]) => {
      const rank = Math.max(sa.length, sb.length);
      const os = Array.from({ length: rank }, (_, i) => Math.max(sa[sa.length - rank + i] ?? 1, sb[sb.length - rank + i] ?? 1));
      for (const dt of dtypes) {
        const [ca, wa] = both(da, dt), [cb, wb] = both(db, dt), [cc, wc] = both(dc, dt);
        expectSame('where', wasm.where(wc, sa, wa, sa, wb, sb, os), cpu.where(cc, sa, ca, sa, cb, sb, os), true);
      }
    }), RUNS);
  });

  it('reductions over [outer, len, inner]: sums in float64, max/min/arg* exact (ties, NaN)', () => {
    const ops: ReduceOp[] = ['sum', 'max', 'min', 'argmax', 'argmin'];
    const dims = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 9 }));
    fc.assert(fc.property(fc.constantFrom(...ops), dims, fc.integer(), fc.boolean(), (op, [outer, len, inner], seed, nan) => {
      const data = Array.from(ag.createRng(seed).uniformArray(outer * len * inner), (u) => Math.round(u * 8) / 4 - 1);
      if (nan && data.length > 0) data[Math.abs(seed) % data.length] = NaN;
      for (const dt of dtypes) {
        const [c, w] = both(data, dt);
        expectSame(`reduce ${op}`, wasm.reduce(op, w, outer, len, inner), cpu.reduce(op, c, outer, len, inner), op !== 'sum' || nan);
      }
    }), RUNS);
  });

  it('float32 sums accumulate in float64 (1 + many tiny values)', () => {
    const data = [1, ...new Array<number>(4099).fill(2 ** -24)];
    const [c, w] = both(data, 'float32');
    expectSame('sum', wasm.reduce('sum', w, 1, data.length, 1), cpu.reduce('sum', c, 1, data.length, 1), true);
    expect(wasm.readSync(wasm.reduce('sum', w, 1, data.length, 1))[0]).toBeGreaterThan(1.0002);
  });

  it('matmul: batch, transA/transB, odd and empty sizes, the thin path', () => {
    const dims = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 37 }),
      fc.integer({ min: 0, max: 21 }), fc.boolean(), fc.boolean(), fc.integer());
    fc.assert(fc.property(dims, ([batch, m, k, n, ta, tb, seed]) => {
      const rng = ag.createRng(seed);
      const a = Array.from(rng.normalArray(batch * m * k), Math.fround), b = Array.from(rng.normalArray(batch * k * n), Math.fround);
      for (const dt of dtypes) {
        const [ca, wa] = both(a, dt), [cb, wb] = both(b, dt);
        expectSame(`matmul ${batch}×${m}×${k}×${n} ${ta} ${tb}`, wasm.matmul(wa, wb, batch, m, k, n, ta, tb), cpu.matmul(ca, cb, batch, m, k, n, ta, tb));
      }
    }), RUNS);
  });

  it('matmul with depth past one packed block (k = 300, 517) and tall thin products', () => {
    for (const [m, k, n, ta, tb] of [[9, 300, 13, false, false], [5, 517, 17, true, true], [257, 64, 2, false, false], [3, 300, 4, false, true],
      [70, 33, 3, true, false]] as const) {
      const rng = ag.createRng(m * k + n);
      const a = Array.from(rng.normalArray(m * k), Math.fround), b = Array.from(rng.normalArray(k * n), Math.fround);
      for (const dt of dtypes) {
        const [ca, wa] = both(a, dt), [cb, wb] = both(b, dt);
        expectSame(`matmul ${m}×${k}×${n}`, wasm.matmul(wa, wb, 1, m, k, n, ta, tb), cpu.matmul(ca, cb, 1, m, k, n, ta, tb));
      }
    }
  });

  it('stridedCopy and stridedScatter over generated strides and offsets (exact)', () => {
    const views = shapeArb({ minRank: 0, maxRank: 4, minDim: 0, maxDim: 5 }).chain((shape) =>
      fc.tuple(fc.constant(shape), fc.array(fc.integer({ min: 0, max: 6 }), { minLength: shape.length, maxLength: shape.length }), fc.integer({ min: 0, max: 4 })));
    fc.assert(fc.property(views, fc.integer(), ([shape, strides, offset], seed) => {
      const span = offset + shape.reduce((s, d, i) => s + Math.max(d - 1, 0) * strides[i]!, 0) + 1;
      const x = Array.from(ag.createRng(seed).normalArray(span), Math.fround);
      const src = Array.from(ag.createRng(seed + 1).normalArray(size(shape)), Math.fround);
      for (const dt of dtypes) {
        const [cx, wx] = both(x, dt), [cs, ws] = both(src, dt);
        expectSame('stridedCopy', wasm.stridedCopy(wx, shape, strides, offset), cpu.stridedCopy(cx, shape, strides, offset), true);
        // distinct positions: the scatter a slice's VJP makes (repeated positions sum in any order)
        const distinct = strides.every((s, i) => s > 0 || shape[i]! <= 1);
        expectSame('stridedScatter', wasm.stridedScatter(ws, shape, span, strides, offset), cpu.stridedScatter(cs, shape, span, strides, offset), distinct);
      }
    }), RUNS);
  });

  it('concat, gather and scatterAdd (repeated indices), float32 and float64 indices', () => {
    const cfg = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 12 }), fc.integer());
    fc.assert(fc.property(cfg, ([outer, lens, inner, m, seed]) => {
      const rng = ag.createRng(seed);
      const pieces = lens.map((l) => Array.from(rng.normalArray(outer * l * inner), Math.fround));
      const len = lens[0]!;
      const idx = len === 0 ? [] : Array.from({ length: m }, () => rng.integers(0, len, 1)[0]!);
      const g = Array.from(rng.normalArray(outer * idx.length * inner), Math.fround);
      for (const dt of dtypes) {
        const cs = pieces.map((p) => both(p, dt));
        expectSame('concat', wasm.concat(cs.map((c) => c[1]), outer, lens, inner), cpu.concat(cs.map((c) => c[0]), outer, lens, inner), true);
        const [ci, wi] = both(idx, dt === 'float32' ? 'float64' : 'float32');
        expectSame('gather', wasm.gather(cs[0]![1], outer, len, inner, wi), cpu.gather(cs[0]![0], outer, len, inner, ci), true);
        const [cg, wg] = both(g, dt);
        expectSame('scatterAdd', wasm.scatterAdd(wg, outer, len, inner, wi), cpu.scatterAdd(cg, outer, len, inner, ci), new Set(idx).size === idx.length);
      }
    }), RUNS);
  });

  /** The wasm sort of `rows` rows of `len` values equals the cpu sort exactly, values and indices, in every dtype. */
  const expectSameSort = (data: number[], rows: number, len: number): void => {
    for (const dt of dtypes) {
      const [c, w] = both(data, dt);
      const sw = wasm.sort(w, rows, len), sc = cpu.sort(c, rows, len);
      expectSame('sort values', sw.values, sc.values, true);
      expectSame('sort indices', sw.indices, sc.indices, true);
    }
  };

  it('sort: stable with ties, NaN last, every row (exact values and indices)', () => {
    const cfg = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 70 }), fc.integer(), fc.boolean());
    fc.assert(fc.property(cfg, ([rows, len, seed, nan]) => {
      const data = Array.from(ag.createRng(seed).uniformArray(rows * len), (u) => (nan && u < 0.1 ? NaN : Math.round(u * 10) - 5));
      expectSameSort(data, rows, len);
    }), RUNS);
  });

  it('gather and scatterAdd reject every index that is not an integer in [0, len), naming the first, in both index dtypes', () => {
    const cfg = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 9 }), fc.nat(), fc.constantFrom(NaN, -1, 0.5, 9, 1e10, -0.25, Infinity));
    fc.assert(fc.property(cfg, ([m, len, at0, badValue]) => {
      const at = at0 % m;
      const bad = badValue === 9 ? len : badValue;
      const idx = Array.from({ length: m }, (_, i) => (i === at ? bad : i % len));
      const x = wasm.upload(Array.from({ length: 2 * len }, (_, i) => i), 'float32');
      const g = wasm.upload(Array.from({ length: 2 * m }, (_, i) => i), 'float32');
      for (const idt of dtypes) {
        const is = wasm.upload(idx, idt);
        const want = new RegExp(`expected integer indices in \\[0, ${len}\\), got ${String(Math.fround(bad)).replace('.', '\\.')} at position ${at}\\.`);
        expect(() => wasm.gather(x, 2, len, 1, is)).toThrow(want);
        expect(() => wasm.scatterAdd(g, 2, len, 1, is)).toThrow(want);
        const ok = wasm.upload(idx.map((v, i) => (i === at ? 0 : v)), idt);
        expect(read(wasm, wasm.gather(x, 2, len, 1, ok)).length).toBe(2 * m);
      }
    }), RUNS);
  });

  it('sort: long rows of mixed specials (±0, ±∞, NaN, subnormals, wide range) equal the cpu sort exactly', () => {
    const specials = [0, -0, Infinity, -Infinity, NaN, 5e-324, -1e-310, 1e-45, 3.4e38, -3.4e38, 1e300];
    const cfg = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 600 }), fc.integer(), fc.double({ min: 0, max: 0.5 }));
    fc.assert(fc.property(cfg, ([rows, len, seed, pSpecial]) => {
      const rng = ag.createRng(seed);
      const u = rng.uniformArray(rows * len), v = rng.normalArray(rows * len);
      const data = Array.from(u, (ui, i) => (ui < pSpecial ? specials[Math.floor((ui / pSpecial) * specials.length)]! : v[i]! * 10 ** Math.round(v[(i + 1) % v.length]! * 3)));
      expectSameSort(data, rows, len);
    }), RUNS);
  });
});
