// float32 sin and cos on the wasm backend are SIMD (each half widened to float64, reduced by π/2,
// Taylor polynomials): within 1 ulp of the correctly rounded value over generated inputs, near the
// multiples of π/2 where the reduction cancels, past the SIMD range (the float64 Math path), and
// with Math's special values (−0, ±∞, NaN).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ulp32, wasm } from './wasmHelpers.js';

const ops = { sin: Math.sin, cos: Math.cos } as const;

/** wasm's float32 op of xs, and the largest error in float32 ulps of Math's value rounded once. */
function worstUlp(op: keyof typeof ops, xs: number[]): { err: number; at: number } {
  const got = wasm.readSync(wasm.unary(op, wasm.upload(xs, 'float32')));
  let err = 0, at = -1;
  xs.forEach((x, i) => {
    const want = Math.fround(ops[op](x));
    const e = Math.abs(got[i]! - want) / ulp32(want);
    if (!(e <= err)) {
      err = Number.isNaN(e) ? Infinity : e;
      at = i;
    }
  });
  return { err, at };
}

const f32 = (min: number, max: number) => fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true });

describe('wasm float32 sin and cos', () => {
  for (const op of ['sin', 'cos'] as const) {
    it(`${op}: within 1 ulp over generated inputs of every magnitude up to 1e6`, () => {
      fc.assert(fc.property(fc.array(fc.oneof(f32(-4, 4), f32(-1e3, 1e3), f32(-1e6, 1e6), f32(-1e-3, 1e-3)), { minLength: 1, maxLength: 64 }), (xs) => {
        const { err, at } = worstUlp(op, xs);
        expect(err, `${op}(${xs[at]})`).toBeLessThanOrEqual(1);
      }), { numRuns: 200 });
    });

    it(`${op}: within 1 ulp next to the multiples of π/2 (k up to 60000)`, () => {
      const xs: number[] = [];
      for (const k of [1, 2, 3, 4, 5, 7, 100, 355, 1000, 10001, 33333, 60000]) {
        const c = Math.fround(k * Math.PI / 2);
        for (let s = -3; s <= 3; s++) xs.push(Math.fround(c + s * ulp32(c)), -Math.fround(c + s * ulp32(c)));
      }
      const { err, at } = worstUlp(op, xs);
      expect(err, `${op}(${xs[at]})`).toBeLessThanOrEqual(1);
    });
  }

  it('special values as Math: sin(±0) = ±0, cos(±0) = 1, ±∞ and NaN give NaN, huge inputs go through Math', () => {
    const xs = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 3.4e38, -3.4e38, 1e5, 99999.99];
    for (const op of ['sin', 'cos'] as const) {
      const got = Array.from(wasm.readSync(wasm.unary(op, wasm.upload(xs, 'float32'))));
      xs.forEach((x, i) => expect(Object.is(got[i], Math.fround(ops[op](Math.fround(x)))), `${op}(${x}) = ${got[i]}`).toBe(true));
    }
  });
});
