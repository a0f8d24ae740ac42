// The wasm backend's nearest pass against few rows of few dimensions (d ≤ 8, n ≤ 32: no panels
// or tiles, each query against the transposed rows). Each cosine must be the same float the tiled
// sweep forms (Σ_p q_p x_p from 0 in ascending p, in the dtype), so values and indices equal a
// host loop that rounds the same way (each term rounded once where the relaxed-SIMD build fuses
// its multiply-adds, twice elsewhere), bit for bit: the largest cosine, the lowest index on ties (repeated rows),
// the first NaN when a row holds one, −∞ and −1 without a candidate; on one and two threads,
// with and without the self pair, across the vector tail (n not a multiple of the lanes).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import { cpuFuses } from './wasmHelpers.js';

const backends = [ag.createWasmBackend(), ag.createWasmBackend({ threads: 2 })];

/** A finite double as mant · 2^exp, mant an integer. */
function exact(v: number): [bigint, number] {
  if (v === 0) return [0n, 0];
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0), lo = view.getUint32(4);
  const e = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e > 0) mant |= 1n << 52n;
  return [hi >>> 31 ? -mant : mant, (e > 0 ? e : 1) - 1075];
}

/** a · b + c rounded once to `bits` significant bits (53: float64, 24: float32), ties to even; normal range only. */
function fma(a: number, b: number, c: number, bits: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) return a * b + c; // NaN and ∞ as IEEE
  const [ma, ea] = exact(a), [mb, eb] = exact(b), [mc, ec] = exact(c);
  const e0 = Math.min(ea + eb, ec);
  let s = ((ma * mb) << BigInt(ea + eb - e0)) + (mc << BigInt(ec - e0));
  if (s === 0n) return 0;
  const neg = s < 0n;
  if (neg) s = -s;
  const shift = s.toString(2).length - bits;
  let e = e0;
  if (shift > 0) {
    let q = s >> BigInt(shift);
    const rem = s - (q << BigInt(shift)), half = 1n << BigInt(shift - 1);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    s = q;
    e += shift;
  }
  const v = Number(s) * 2 ** e;
  return neg ? -v : v;
}

/** True when `wasm`'s kernels fuse their multiply-adds: the relaxed-SIMD build on a CPU with FMA. */
const fuses = (wasm: ag.WasmBackend): boolean => wasm.simd === 'relaxed-simd' && cpuFuses;

/**
 * Per query: the best cosine and its row as the kernels define them, cosines rounded like T, each
 * term added with one rounding (`fused`) or two.
 */
function reference(q: ArrayLike<number>, m: number, x: ArrayLike<number>, n: number, d: number, self: boolean, f32: boolean,
  fused = false): [number[], number[]] {
  const r = f32 ? Math.fround : (v: number): number => v;
  const term = fused ? (c: number, u: number, v: number): number => fma(u, v, c, f32 ? 24 : 53) : (c: number, u: number, v: number): number => r(c + r(u * v));
  const vals: number[] = [], idx: number[] = [];
  for (let k = 0; k < m; k++) {
    let bv = -Infinity, bi = -1;
    for (let i = 0; i < n; i++) {
      if (self && i === k) continue;
      let c = 0;
      for (let p = 0; p < d; p++) c = term(c, q[k * d + p]!, x[i * d + p]!);
      const wins = bi < 0 || (Number.isNaN(c) ? !Number.isNaN(bv) : !Number.isNaN(bv) && c > bv);
      if (wins) {
        bv = c;
        bi = i;
      }
    }
    vals.push(bv);
    idx.push(bi);
  }
  return [vals, idx];
}

describe('wasm nearest with d ≤ 8', () => {
  it('property: equals the host loop bit for bit (queries against rows, and a set against itself)', () => {
    const cfg = fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 8 }), fc.integer(),
      fc.constantFrom(-1, -1, 0, 7), fc.constantFrom(0, 1), fc.boolean());
    fc.assert(fc.property(cfg, ([m, n, d, seed, nanRow, which, self]) => {
      const wasm = backends[which]!;
      const rng = ag.createRng(seed);
      const x = Array.from(rng.normalArray(n * d), (v, i) => (Math.floor(i / d) % 4 === 3 ? 0 : v));
      for (let i = 2; i < n; i += 5) for (let p = 0; p < d; p++) x[i * d + p] = x[p]!; // copies of row 0: exact ties
      if (nanRow >= 0 && nanRow < n) x[nanRow * d] = NaN;
      const q = self ? x : Array.from(rng.normalArray(m * d));
      const mm = self ? n : m;
      for (const dtype of ['float32', 'float64'] as const) {
        const xs = wasm.upload(x, dtype);
        const r = wasm.nearest(self ? wasm.upload(x, dtype) : wasm.upload(q, dtype), mm, xs, n, d, self);
        const [vals, idx] = reference(Array.from(wasm.readSync(self ? xs : wasm.upload(q, dtype))), mm, Array.from(wasm.readSync(xs)), n, d, self,
          dtype === 'float32', fuses(wasm));
        expect(Array.from(wasm.readSync(r.indices)), `indices m=${mm} n=${n} d=${d} ${dtype}`).toEqual(idx);
        expect(Array.from(wasm.readSync(r.values)), `values m=${mm} n=${n} d=${d} ${dtype}`).toEqual(vals);
      }
    }), { seed: 20261205, numRuns: 60 });
  });

  it('enough queries to split them over two threads (m · n · d ≥ 2^21): the same bit for bit', () => {
    const m = 9000, n = 32, d = 8;
    const rng = ag.createRng(7);
    const x = Array.from(rng.normalArray(n * d)), q = Array.from(rng.normalArray(m * d));
    for (const wasm of backends) {
      const r = wasm.nearest(wasm.upload(q, 'float32'), m, wasm.upload(x, 'float32'), n, d, false);
      const [vals, idx] = reference(Array.from(Float32Array.from(q)), m, Array.from(Float32Array.from(x)), n, d, false, true, fuses(wasm));
      expect(Array.from(wasm.readSync(r.indices))).toEqual(idx);
      expect(Array.from(wasm.readSync(r.values))).toEqual(vals);
    }
  });
});
