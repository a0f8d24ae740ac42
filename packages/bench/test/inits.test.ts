// The synthetic starts: on the sphere, seeded, and drawn from the distribution each one names.
import { cpuBackend, createRng, type Tensor } from '@keepdist/autograd';
import { describe, expect, it } from 'vitest';
import { SYNTHETIC_INITS, type SyntheticInit } from '../src/commands/syntheticFlags.js';
import { DECAY_KAPPA_END, NORMAL_INIT_OFFSET, initialPoints } from '../src/numeric/inits.js';

function draw(init: SyntheticInit, n: number, d: number, seed: number, kappa = 100): { rows: number[][]; X: Tensor } {
  const X = initialPoints(init, n, d, { rng: createRng(seed), kappa, dtype: 'float64', backend: cpuBackend, requiresGrad: true });
  const data = X.readSync('test');
  return { X, rows: Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, (i + 1) * d))) };
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, k) => s + v * b[k]!, 0);
const unit = (v: readonly number[]): number[] => {
  const r = Math.sqrt(dot(v, v));
  return v.map((x) => x / r);
};
const meanRow = (rows: readonly number[][]): number[] => rows[0]!.map((_, k) => rows.reduce((s, r) => s + r[k]!, 0) / rows.length);
const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
/** E⟨x, μ⟩ of the power-spherical distribution on S^{d−1}: κ / (κ + d − 1). */
const psMeanCosine = (kappa: number, d: number): number => kappa / (kappa + d - 1);

describe('initialPoints', () => {
  it.each(SYNTHETIC_INITS)('%s: n × d leaf with unit rows, the same for a seed and different for another', (init) => {
    const { X, rows } = draw(init, 40, 6, 3);
    expect(X.shape).toEqual([40, 6]);
    expect(X.requiresGrad).toBe(true);
    for (const r of rows) expect(Math.abs(dot(r, r) - 1)).toBeLessThan(1e-14);
    expect(draw(init, 40, 6, 3).rows).toEqual(rows);
    expect(draw(init, 40, 6, 4).rows).not.toEqual(rows);
  });

  it('concentrated: power-spherical around the normalised Gaussian direction the seed draws first; concentrated-e1 around e₁', () => {
    const n = 4000, d = 8, kappa = 20;
    for (const seed of [1, 2]) {
      const mu = unit(Array.from(createRng(seed).normalArray(d)));
      const { rows } = draw('concentrated', n, d, seed, kappa);
      const cosines = rows.map((r) => dot(r, mu));
      // mean cosine κ/(κ + d − 1) = 0.74 with a per-draw sd below 0.2: 5 standard errors is 0.016
      expect(Math.abs(mean(cosines) - psMeanCosine(kappa, d))).toBeLessThan(0.016);
      expect(dot(unit(meanRow(rows)), mu)).toBeGreaterThan(0.999);
    }
    const e1 = draw('concentrated-e1', n, d, 1, kappa).rows;
    expect(Math.abs(mean(e1.map((r) => r[0]!)) - psMeanCosine(kappa, d))).toBeLessThan(0.016);
    // two seeds, two different means (independent directions in d = 8 are far apart)
    const m1 = unit(meanRow(draw('concentrated', n, d, 1, kappa).rows));
    const m2 = unit(meanRow(draw('concentrated', n, d, 2, kappa).rows));
    expect(dot(m1, m2)).toBeLessThan(0.9);
  });

  it('normal: each row is the normalised 10 + N(0, 1) vector of the seed\'s Gaussian draws, in order', () => {
    const n = 30, d = 5;
    const g = createRng(9).normalArray(n * d);
    const { rows } = draw('normal', n, d, 9);
    for (let i = 0; i < n; i++) {
      const expected = unit(Array.from(g.subarray(i * d, (i + 1) * d), (v) => v + NORMAL_INIT_OFFSET));
      for (let k = 0; k < d; k++) expect(rows[i]![k]).toBeCloseTo(expected[k]!, 15);
    }
  });

  it('decay: row i is power-spherical around (1, …, 1)/√d with κ_i rising linearly from κ to 1000', () => {
    const n = 6000, d = 16, kappa = 5;
    const { rows } = draw('decay', n, d, 11, kappa);
    const mu = unit(new Array<number>(d).fill(1));
    const kappaOf = (i: number): number => kappa + ((DECAY_KAPPA_END - kappa) * i) / (n - 1);
    // in each tenth of the rows, the mean cosine to μ matches the mean of κ_i/(κ_i + d − 1) over those rows
    for (let part = 0; part < 10; part++) {
      const idx = Array.from({ length: n / 10 }, (_, j) => part * (n / 10) + j);
      const measured = mean(idx.map((i) => dot(rows[i]!, mu)));
      const expected = mean(idx.map((i) => psMeanCosine(kappaOf(i), d)));
      // the per-draw sd is below 0.2 (0.12 at κ = 5, d = 16): 5 standard errors over 600 rows is 0.041
      expect(Math.abs(measured - expected), `rows ${idx[0]}–${idx.at(-1)}`).toBeLessThan(0.041);
    }
    // the first tenth (κ from 5 to 104: mean cosine 0.73) is far less concentrated than the last (κ ≥ 900: 0.984)
    const first = mean(rows.slice(0, n / 10).map((r) => dot(r, mu)));
    const last = mean(rows.slice(-n / 10).map((r) => dot(r, mu)));
    expect(last - first).toBeGreaterThan(0.2);
  });
});
