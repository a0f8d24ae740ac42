// Accuracy of the wasm backend's transcendental functions element by element over wide ranges
// (float32 exp, log, sigmoid, acos, asin, atan2, sin and cos, and float64 atan2, are its SIMD polynomials):
// float32 within 4 ulp of the correctly rounded value (float64 Math rounded once), float64 within
// 4 ulp of JavaScript's Math; special values (0, ±∞, NaN, subnormals) exactly as the cpu backend.
import { describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import type { UnaryOp } from '@keepdist/autograd/internal';
import { ulp32, wasm } from './wasmHelpers.js';

/** n points spread over [lo, hi]: uniform, plus log-uniform magnitudes when the range spans decades. */
function grid(lo: number, hi: number, n = 20000): number[] {
  const rng = ag.createRng(Math.round(Math.abs(lo) * 1000 + Math.log2(Math.abs(hi) + 1) * 1000));
  const out = Array.from(rng.uniformArray(n), (u) => Math.fround(lo + (hi - lo) * u));
  if (lo > 0 && hi / lo > 100) {
    for (const u of rng.uniformArray(n)) out.push(Math.fround(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * u)));
  }
  return out;
}

const reference: Record<string, (x: number) => number> = {
  exp: Math.exp, log: Math.log, sin: Math.sin, cos: Math.cos, acos: Math.acos, asin: Math.asin, tanh: Math.tanh,
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))), sqrt: Math.sqrt,
};

const ranges: [UnaryOp, number, number][] = [
  ['exp', -103, 88.7], ['exp', -1, 1], ['log', 1e-44, 3e38], ['log', 0.5, 2], ['sigmoid', -100, 100], ['sigmoid', -1, 1],
  ['sin', -1e4, 1e4], ['cos', -1e4, 1e4], ['acos', -1, 1], ['asin', -1, 1], ['tanh', -20, 20], ['tanh', -1e-3, 1e-3], ['sqrt', 0, 1e30],
];

/** The largest error of wasm's `op` on `xs` in units of the reference's ulp (float32) or relative (float64). */
function worst(op: UnaryOp, xs: number[], dtype: 'float32' | 'float64'): { err: number; at: number } {
  const got = wasm.readSync(wasm.unary(op, wasm.upload(xs, dtype)));
  let err = 0, at = -1;
  xs.forEach((x, i) => {
    const want = reference[op]!(x);
    const scale = dtype === 'float32' ? ulp32(Math.fround(want)) : Math.max(Math.abs(want), 2 ** -1022) * 2 ** -52;
    const e = Math.abs(got[i]! - want) / scale;
    if (!(e <= err)) {
      err = Number.isNaN(e) ? Infinity : e;
      at = i;
    }
  });
  return { err, at };
}

describe('wasm transcendentals, element by element', () => {
  for (const [op, lo, hi] of ranges) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${op} on [${lo}, ${hi}], ${dtype}: within 4 ulp`, () => {
        const xs = grid(lo, hi);
        const { err, at } = worst(op, xs, dtype);
        expect(err, `${op}(${xs[at]}) is ${err.toFixed(2)} ulp off`).toBeLessThanOrEqual(4);
      });
    }
  }

  it('special values match the cpu backend exactly', () => {
    const specials = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1e-40, 88.7228, 88.73, -87.5, -103.5, -104, -200, 200, 1, -1, 3.4e38];
    for (const dtype of ['float32', 'float64'] as const) {
      for (const op of ['exp', 'log', 'sigmoid', 'sqrt', 'sign', 'relu', 'abs', 'reciprocal', 'tanh', 'acos', 'asin'] as UnaryOp[]) {
        const inverseTrig = [-1, -0.5, -0, 0, 0.5, 1, 1e-40, -1e-40, 0.9999999, -0.9999999, NaN, 1.5, -1.5, Infinity];
        const xs = op === 'acos' || op === 'asin' ? inverseTrig : op === 'log' || op === 'sqrt' ? specials.map(Math.abs).concat([-1, -Infinity]) : specials;
        const got = Array.from(wasm.readSync(wasm.unary(op, wasm.upload(xs, dtype))));
        const want = Array.from(ag.cpuBackend.readSync(ag.cpuBackend.unary(op, ag.cpuBackend.upload(xs, dtype))));
        got.forEach((g, i) => {
          const w = want[i]!;
          const close = Object.is(g, w) || (g === w) || Math.abs(g - w) <= 4 * (dtype === 'float32' ? ulp32(w) : Math.abs(w) * 2 ** -52);
          expect(close, `${op}(${xs[i]}) ${dtype}: got ${g}, expected ${w}`).toBe(true);
        });
      }
    }
  });
});

describe('wasm atan2, element by element', () => {
  /** float32 pairs (y, x) over every quadrant: unit-scale, then magnitudes from 1e-38 to 1e38 apart. */
  function pairs(n = 20000): { ys: number[]; xs: number[] } {
    const rng = ag.createRng(20261201);
    const u = rng.uniformArray(4 * n);
    const ys: number[] = [], xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const wide = i >= n / 2;
      const mag = (k: number): number => (wide ? 10 ** (-38 + 76 * u[k]!) : 1 + u[k]!);
      ys.push(Math.fround((u[4 * i + 2]! < 0.5 ? -1 : 1) * mag(4 * i) * (wide ? 1 : u[4 * i + 3]!)));
      xs.push(Math.fround((u[4 * i + 3]! < 0.5 ? -1 : 1) * mag(4 * i + 1)));
    }
    return { ys, xs };
  }

  it('float32 within 4 ulp of Math.atan2 rounded once; float64 within 4 ulp of Math.atan2', () => {
    const { ys, xs } = pairs();
    for (const dtype of ['float32', 'float64'] as const) {
      const got = wasm.readSync(wasm.binary('atan2', wasm.upload(ys, dtype), [ys.length], wasm.upload(xs, dtype), [xs.length], [xs.length]));
      let err = 0, at = 0;
      ys.forEach((y, i) => {
        const want = Math.atan2(y, xs[i]!);
        const scale = dtype === 'float32' ? ulp32(Math.fround(want)) : Math.max(Math.abs(want), 2 ** -1022) * 2 ** -52;
        const e = Math.abs(got[i]! - want) / scale;
        if (!(e <= err)) {
          err = Number.isNaN(e) ? Infinity : e;
          at = i;
        }
      });
      expect(err, `atan2(${ys[at]}, ${xs[at]}) ${dtype} is ${err.toFixed(2)} ulp off`).toBeLessThanOrEqual(4);
    }
  });

  /** Distance of two finite doubles in units in the last place (adjacent doubles are 1 apart; −0 and +0 are 0 apart). */
  function ulpDistance(a: number, b: number): number {
    const f = new Float64Array([a, b]), i = new BigInt64Array(f.buffer);
    const ord = (k: number): bigint => (i[k]! < 0n ? -(i[k]! & 0x7fffffffffffffffn) : i[k]!);
    const d = ord(0) - ord(1);
    return Number(d < 0n ? -d : d);
  }

  it('float64 over the whole range, near the diagonal and near the axes: within 2 ulp of Math.atan2, every lane and the scalar tail', () => {
    const u = ag.createRng(20261202).uniformArray(4 * 40000);
    const ys: number[] = [], xs: number[] = [];
    for (let i = 0; i < 40000; i++) {
      const s1 = u[4 * i]! * 2 - 1, s2 = u[4 * i + 1]! * 2 - 1, v = u[4 * i + 2]!;
      switch (i % 5) {
        case 0: ys.push(s1); xs.push(s2); break; // unit scale, every quadrant
        case 1: ys.push(s1 * 10 ** (616 * v - 308)); xs.push(s2 * 10 ** (616 * u[4 * i + 3]! - 308)); break; // 1e-308 … 1e308
        case 2: ys.push(s1); xs.push(s1 * (1 + (v - 0.5) * 1e-6)); break; // |y| ≈ |x|, the reduction's seam
        case 3: ys.push(s1 * 1e-12); xs.push(s2); break; // near the x axis
        default: ys.push(s1); xs.push(s2 * 0.66 * (1 + (v - 0.5) * 1e-9)); // t ≈ 0.66, the polynomial's seam
      }
    }
    ys.push(5e-324, -5e-324, 2e-310, 1.7976931348623157e308, 1e308, 0.66);
    xs.push(5e-324, 5e-324, -3e-310, 1.7976931348623157e308, 1.7e308, 1); // an odd count: a scalar tail
    const got = wasm.readSync(wasm.binary('atan2', wasm.upload(ys, 'float64'), [ys.length], wasm.upload(xs, 'float64'), [xs.length], [xs.length]));
    let err = 0, at = 0;
    ys.forEach((y, i) => {
      const e = ulpDistance(got[i]!, Math.atan2(y, xs[i]!));
      if (e > err) {
        err = e;
        at = i;
      }
    });
    expect(err, `atan2(${ys[at]}, ${xs[at]}) is ${err} ulp off (got ${got[at]}, Math.atan2 ${Math.atan2(ys[at]!, xs[at]!)})`).toBeLessThanOrEqual(2);
  });

  it('special values (signed zeros, infinities, NaN, subnormals) match the cpu backend exactly, also in the scalar tail', () => {
    const specials = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1, -1, 3.4e38, -3.4e38];
    const ys = specials.flatMap((y) => specials.map(() => y)), xs = specials.flatMap(() => specials);
    for (const dtype of ['float32', 'float64'] as const) {
      const got = wasm.readSync(wasm.binary('atan2', wasm.upload(ys, dtype), [ys.length], wasm.upload(xs, dtype), [xs.length], [xs.length]));
      const cpu = ag.cpuBackend;
      const want = cpu.readSync(cpu.binary('atan2', cpu.upload(ys, dtype), [ys.length], cpu.upload(xs, dtype), [xs.length], [xs.length]));
      ys.forEach((y, i) => {
        const g = got[i]!, w = want[i]!;
        const close = Object.is(g, w) || Math.abs(g - w) <= 2 * (dtype === 'float32' ? ulp32(w) : Math.abs(w) * 2 ** -52);
        const sameSign = Number.isNaN(w) || Math.sign(1 / g) === Math.sign(1 / w) || g !== 0;
        expect(close && sameSign, `atan2(${y}, ${xs[i]}) ${dtype}: got ${g}, expected ${w}`).toBe(true);
      });
    }
  });
});
