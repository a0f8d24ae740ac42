// Property: the wasm backend's fused pairwise passes equal a straightforward float64 loop over
// every pair: pairwiseSum's Σ_{i<j} k(c_ij) and G_i = Σ_{j≠i} k′(c_ij) x_j for every kernel kind
// and distance (k′ as reverse mode gives it for the composed graph, clamps included), and
// nearest's per-query maximum cosine with the lowest index on ties; float64 to 1e-12, float32 to
// the float32 tolerance; sizes across block edges (64 rows) and odd dimensions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { PairKernel } from '@keepdist/autograd/internal';
import { assertClose, tolerances } from '@keepdist/autograd/testing';
import { F64_RTOL, dtypes, wasm } from './wasmHelpers.js';

const RUNS = { seed: 20261203, numRuns: 30 };

/** r(c), r′(c) of the distance, k(r), k′(r) of the kernel, composed: the loop's reference. */
function reference(k: PairKernel, c: number): [number, number] {
  let r: number, dr: number;
  if (k.distance === 'angle') {
    const lo = -1 + k.eps, hi = 1 - k.eps, cc = Math.min(Math.max(c, lo), hi);
    r = Math.acos(cc);
    dr = c >= lo && c <= hi ? -1 / Math.sqrt(1 - cc * cc) : 0;
  } else if (k.distance === 'chord') {
    const u = 2 - 2 * c;
    r = Math.sqrt(Math.max(u, 0) + k.eps);
    dr = u >= 0 ? -1 / r : 0;
  } else if (k.distance === 'chordAuthors') {
    r = Math.sqrt(2 - c);
    dr = -1 / (2 * r);
  } else {
    r = 2 - 2 * c;
    dr = -2;
  }
  let v: number, dv: number;
  if (k.kernel === 'gaussian') [v, dv] = [Math.exp(-k.gamma * r * r), -2 * k.gamma * r * Math.exp(-k.gamma * r * r)];
  else if (k.kernel === 'laplace') [v, dv] = [Math.exp(-k.gamma * r), -k.gamma * Math.exp(-k.gamma * r)];
  else if (k.kernel === 'identity') [v, dv] = [r, 1];
  else if (k.s === 0) [v, dv] = [-Math.log(r), -1 / r];
  else if (k.s > 0) [v, dv] = [r ** -k.s, -k.s * r ** (-k.s - 1)];
  else [v, dv] = [-(r ** -k.s), k.s * r ** (-k.s - 1)];
  return [v, dv * dr];
}

/** The float64 loop over all pairs. */
function loopSum(x: ArrayLike<number>, n: number, d: number, k: PairKernel): { sum: number; grad: Float64Array } {
  const grad = new Float64Array(n * d);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let c = 0;
      for (let t = 0; t < d; t++) c += x[i * d + t]! * x[j * d + t]!;
      const [v, dv] = reference(k, c);
      sum += v;
      for (let t = 0; t < d; t++) {
        grad[i * d + t]! += dv * x[j * d + t]!;
        grad[j * d + t]! += dv * x[i * d + t]!;
      }
    }
  }
  return { sum, grad };
}

/** n × d unit rows from a seed, float32-exact; with `repeat`, row 1 equals row 0 (c = 1: clamps act). */
function unitRows(n: number, d: number, seed: number, repeat = false): number[] {
  const g = ag.createRng(seed).normalArray(n * d);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from(g.subarray(i * d, (i + 1) * d));
    const r = Math.hypot(...row) || 1;
    out.push(...row.map((v) => Math.fround(v / r)));
  }
  if (repeat && n > 1) for (let t = 0; t < d; t++) out[d + t] = out[t]!;
  return out;
}

/** max |x_i · x_j| over the pairs i < j (0 for fewer than two rows). */
function maxAbsCosine(x: number[], n: number, d: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let c = 0;
      for (let t = 0; t < d; t++) c += x[i * d + t]! * x[j * d + t]!;
      m = Math.max(m, Math.abs(c));
    }
  }
  return m;
}

const kernels = fc.record({
  kernel: fc.constantFrom('gaussian', 'laplace', 'riesz', 'identity' as const),
  distance: fc.constantFrom('angle', 'chord', 'chordAuthors', 'chordSquared' as const),
  gamma: fc.constantFrom(0.5, 2, 7),
  s: fc.constantFrom(-1, 0, 1, 2.5),
  eps: fc.constantFrom(1e-7, 1e-3),
}) as fc.Arbitrary<PairKernel>;

const sizes = fc.tuple(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 60, max: 140 })), fc.integer({ min: 1, max: 13 }), fc.integer(), fc.boolean());

describe('wasm pairwiseSum equals a float64 loop over the pairs', () => {
  it('every kernel and distance, loss and gradient rows, both dtypes', () => {
    fc.assert(fc.property(kernels, sizes, (k, [n, d, seed, repeat]) => {
      // a repeated row gives c = 1, where chordSquared/riesz and chordAuthors are singular only
      // through r = 0: keep it for the kernels that stay finite there
      const finiteAtOne = !(k.kernel === 'riesz' && (k.distance === 'chordSquared' || k.distance === 'chordAuthors')) && !(k.kernel === 'riesz' && k.s >= 0 && k.distance !== 'angle' && k.distance !== 'chord');
      const x = unitRows(n, d, seed, repeat && finiteAtOne);
      const want = loopSum(x, n, d, k);
      // float32 cosines carry ~1e-7 errors, which k′ amplifies without bound as |c| → 1 (acos′,
      // r^−s at r → 0): float32 is held to its tolerance where every |c_ij| ≤ 0.99
      const wellConditioned = maxAbsCosine(x, n, d) <= 0.99;
      for (const dtype of wellConditioned ? dtypes : (['float64'] as const)) {
        const r = wasm.pairwiseSum(wasm.upload(x, dtype), n, d, k, true);
        const tol = dtype === 'float64' ? { rtol: F64_RTOL, zeroAtol: 1e-300 } : tolerances.float32;
        assertClose(`sum ${JSON.stringify(k)} n=${n} d=${d} ${dtype}`, wasm.readSync(r.sum), [want.sum], tol);
        assertClose(`grad ${JSON.stringify(k)} n=${n} d=${d} ${dtype}`, wasm.readSync(r.grad!), want.grad, tol);
        expect(r.sum.dtype).toBe(dtype);
        expect(wasm.pairwiseSum(wasm.upload(x, dtype), n, d, k, false).grad).toBeNull();
      }
    }), RUNS);
  });

  it('the float32 SIMD pass of every chord-based kernel, n = 300, d = 64 (several blocks)', () => {
    const x = unitRows(300, 64, 5);
    for (const distance of ['chord', 'chordAuthors', 'chordSquared'] as const) {
      for (const [kernel, gamma, s] of [['gaussian', 1, 0], ['laplace', 1, 0], ['riesz', 0, 1], ['riesz', 0, 0], ['riesz', 0, -1], ['identity', 0, 0]] as const) {
        const k: PairKernel = { kernel, distance, gamma, s, eps: 1e-7 };
        const want = loopSum(x, 300, 64, k);
        const r = wasm.pairwiseSum(wasm.upload(x, 'float32'), 300, 64, k, true);
        assertClose(`sum ${kernel}/${distance} s=${s}`, wasm.readSync(r.sum), [want.sum], 'float32');
        assertClose(`grad ${kernel}/${distance} s=${s}`, wasm.readSync(r.grad!), want.grad, 'float32');
      }
    }
  });

  it('bad inputs fail clearly', () => {
    const x = wasm.upload([1, 0, 0, 1], 'float64');
    expect(() => wasm.pairwiseSum(x, 2, 3, { kernel: 'gaussian', distance: 'angle', gamma: 1, s: 0, eps: 1e-7 }, false)).toThrow(/pairwiseSum: expected rows of 2 × 3 = 6 elements, got 4/);
    expect(() => wasm.pairwiseSum(x, 2, 2, { kernel: 'cauchy', distance: 'angle', gamma: 1, s: 0, eps: 1e-7 } as unknown as PairKernel, false)).toThrow(/pairwiseSum: expected kernel in/);
    expect(() => wasm.nearest(x, 2, wasm.upload([1, 0], 'float32'), 1, 2, false)).toThrow(/nearest: expected matching dtypes/);
  });
});

/** The float64 loop: per query, max cosine and the lowest index reaching it. */
function loopNearest(q: number[], m: number, x: number[], n: number, d: number, excludeSelf: boolean): [number[], number[]] {
  const values: number[] = [], indices: number[] = [];
  for (let k = 0; k < m; k++) {
    let best = -Infinity, at = -1;
    for (let i = 0; i < n; i++) {
      if (excludeSelf && i === k) continue;
      let c = 0;
      for (let t = 0; t < d; t++) c += q[k * d + t]! * x[i * d + t]!;
      if (c > best) [best, at] = [c, i];
    }
    values.push(best);
    indices.push(at);
  }
  return [values, indices];
}

describe('wasm nearest equals a float64 loop', () => {
  it('a NaN cosine wins and stops the scan (as max does); no candidate gives −∞ and index −1', () => {
    for (const dtype of dtypes) {
      const x = wasm.upload([0.5, 0.5, NaN, 0, 1, 0], dtype);
      const r = wasm.nearest(wasm.upload([1, 0], dtype), 1, x, 3, 2, false);
      expect([...wasm.readSync(r.values), ...wasm.readSync(r.indices)]).toEqual([NaN, 1]);
      const lone = wasm.nearest(wasm.upload([1, 0], dtype), 1, wasm.upload([1, 0], dtype), 1, 2, true);
      expect([...wasm.readSync(lone.values), ...wasm.readSync(lone.indices)]).toEqual([-Infinity, -1]);
    }
  });

  it('past one block (the tile folded in registers): the first NaN wins, exact ties go to the lowest index', () => {
    const n = 200, d = 3;
    for (const dtype of dtypes) {
      const rows = unitRows(n, d, 7);
      for (const at of [150, 70]) rows.splice(at * d, d, NaN, 0, 0);
      const r = wasm.nearest(wasm.upload(unitRows(5, d, 8), dtype), 5, wasm.upload(rows, dtype), n, d, false);
      expect(Array.from(wasm.readSync(r.indices))).toEqual([70, 70, 70, 70, 70]);
      expect(Array.from(wasm.readSync(r.values)).every(Number.isNaN)).toBe(true);
      const same = Array.from({ length: n * d }, (_, i) => [0.6, 0.8, 0][i % d]!);
      const self = wasm.nearest(wasm.upload(same, dtype), n, wasm.upload(same, dtype), n, d, true);
      expect(Array.from(wasm.readSync(self.indices))).toEqual(Array.from({ length: n }, (_, k) => (k === 0 ? 1 : 0)));
    }
  });

  it('queries against rows, and rows against themselves without the self pair; ties go to the lowest index', () => {
    const cfg = fc.tuple(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 11 }), fc.integer());
    fc.assert(fc.property(cfg, ([m, n, d, seed]) => {
      // rows repeat (every third is a copy of row 0) so ties are common
      const x = unitRows(n, d, seed).map((v, i) => (Math.floor(i / d) % 3 === 2 ? unitRows(1, d, seed)[i % d]! : v));
      const q = unitRows(m, d, seed + 1);
      for (const dtype of dtypes) {
        for (const [qq, mm, self] of [[q, m, false], [x, n, true]] as const) {
          const [wv, wi] = loopNearest(qq as number[], mm, x, n, d, self);
          const r = wasm.nearest(wasm.upload(qq, dtype), mm, wasm.upload(x, dtype), n, d, self);
          const tol = dtype === 'float64' ? { rtol: F64_RTOL, zeroAtol: 1e-300 } : tolerances.float32;
          const got = Array.from(wasm.readSync(r.values));
          if (n === 1 && self) {
            expect(got).toEqual([-Infinity]);
            continue;
          }
          assertClose(`nearest values m=${mm} n=${n} d=${d} ${dtype}`, got, wv, tol);
          // indices: exact in float64; in float32 a near-tie may resolve to another row of equal value
          const gi = Array.from(wasm.readSync(r.indices));
          if (dtype === 'float64') expect(gi).toEqual(wi);
          else gi.forEach((i, k) => expect(i === wi[k] || Math.abs(got[k]! - wv[k]!) < 1e-6).toBe(true));
        }
      }
    }), { ...RUNS, numRuns: 15 });
  });
});
