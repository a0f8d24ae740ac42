// randomUniform, randomVmf (Wood 1994) and randomPowerSpherical (De Cao & Aziz 2020). The mean cosine
// to μ is compared with its known expectation (vMF: A_d(κ) by quadrature of e^{κt}(1 − t²)^{(d−3)/2};
// power-spherical: κ/(κ + d − 1)) within 5 standard errors, the sample mean direction with μ, and the
// whole cosine distribution with its closed-form CDF for d = 3 (Kolmogorov–Smirnov).
import { describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import type { Tensor } from '@keepdist/autograd';
import { randomPowerSpherical, randomUniform, randomVmf } from '@keepdist/sphere';
import { maxAbs, rowNorms, rows, values } from './helpers.js';

/** E[t] and E[t²] of the density ∝ e^{κ t}(1 − t²)^{(d−3)/2} on [−1, 1], by Simpson's rule in t = cos φ. */
function vmfCosineMoments(d: number, kappa: number): { mean: number; second: number } {
  const m = 20000;
  let z = 0, s1 = 0, s2 = 0;
  for (let k = 0; k <= m; k++) {
    const phi = (Math.PI * k) / m;
    const w = (k === 0 || k === m ? 1 : k % 2 ? 4 : 2) * Math.exp(kappa * (Math.cos(phi) - 1)) * Math.sin(phi) ** (d - 2);
    z += w;
    s1 += w * Math.cos(phi);
    s2 += w * Math.cos(phi) ** 2;
  }
  return { mean: s1 / z, second: s2 / z };
}

/** Moments of t = 2z − 1, z ~ Beta((d−1)/2 + κ, (d−1)/2). */
function powerSphericalCosineMoments(d: number, kappa: number): { mean: number; second: number } {
  const a = (d - 1) / 2 + kappa, b = (d - 1) / 2;
  const mean = (a - b) / (a + b);
  const variance = (4 * a * b) / ((a + b) ** 2 * (a + b + 1));
  return { mean, second: variance + mean * mean };
}

/** Cosines ⟨x_i, μ⟩ and the sample mean vector. */
function cosinesAndMean(x: Tensor, mu: readonly number[]): { cos: number[]; mean: number[] } {
  const [n, d] = x.shape as [number, number];
  const v = x.dataSync();
  const mean = new Array<number>(d).fill(0);
  const cos = Array.from({ length: n }, (_, i) => {
    let c = 0;
    for (let k = 0; k < d; k++) {
      c += v[i * d + k]! * mu[k]!;
      mean[k]! += v[i * d + k]! / n;
    }
    return c;
  });
  return { cos, mean };
}

/** Kolmogorov–Smirnov statistic of samples against a CDF. */
function ksStatistic(samples: number[], cdf: (t: number) => number): number {
  const s = samples.slice().sort((a, b) => a - b);
  return s.reduce((worst, t, i) => Math.max(worst, Math.abs(cdf(t) - i / s.length), Math.abs(cdf(t) - (i + 1) / s.length)), 0);
}

const unit = (v: number[]): number[] => {
  const r = Math.hypot(...v);
  return v.map((e) => e / r);
};

const N = 4000;

describe.each([
  ['randomVmf', randomVmf, vmfCosineMoments],
  ['randomPowerSpherical', randomPowerSpherical, powerSphericalCosineMoments],
] as const)('%s', (_name, sample, moments) => {
  it.each([2, 3, 5, 10])('d = %i: mean cosine to μ matches its expectation for κ ∈ {0, 1, 10, 100}; mean direction → μ', (d) => {
    for (const kappa of [0, 1, 10, 100]) {
      const mu = unit(Array.from({ length: d }, (_, k) => Math.cos(k + 1)));
      const x = sample(N, d, { rng: ag.createRng(100 * d + kappa), dtype: 'float64', kappa, mu });
      expect(x.shape).toEqual([N, d]);
      expect(maxAbs(rowNorms(x).map((r) => r - 1))).toBeLessThan(1e-14);
      const { cos, mean } = cosinesAndMean(x, mu);
      const { mean: et, second } = moments(d, kappa);
      const sd = Math.sqrt(Math.max(second - et * et, 0));
      const avg = cos.reduce((a, b) => a + b, 0) / N;
      expect(Math.abs(avg - et), `κ = ${kappa}: mean cosine ${avg} vs ${et}`).toBeLessThan(5 * sd / Math.sqrt(N) + 1e-12);
      // the sample mean vector approaches E x = E[t] μ: its error shrinks as 1/√N
      const err = Math.hypot(...mean.map((m, k) => m - et * mu[k]!));
      expect(err, `κ = ${kappa}: ‖mean − E[t] μ‖`).toBeLessThan(5 * Math.sqrt((1 - et * et) / N));
      if (kappa > 0) {
        // angle between the sample mean direction and μ: tangential part over the part along μ,
        // whose standard error is √(E[1 − t²] / N) / E[t]
        const along = mean.reduce((s, v, k) => s + v * mu[k]!, 0);
        const across = Math.hypot(...mean.map((v, k) => v - along * mu[k]!));
        expect(Math.atan2(across, along), `κ = ${kappa}: angle of the mean direction to μ`).toBeLessThan(5 * Math.sqrt((1 - second) / N) / et);
      }
    }
  });

  it('is reproducible from the seed, rounds once to float32, accepts μ per row, and validates', () => {
    const a = sample(5, 4, { rng: ag.createRng(1), kappa: 3 });
    const b = sample(5, 4, { rng: ag.createRng(1), kappa: 3 });
    expect(a.dtype).toBe('float32');
    expect(values(a)).toEqual(values(b));
    expect(maxAbs(rowNorms(a).map((r) => r - 1))).toBeLessThan(1e-6);
    expect(values(sample(5, 4, { rng: ag.createRng(2), kappa: 3 }))).not.toEqual(values(a));
    const mus = rows([[0, 0, 5], [0, -2, 0]]);
    const x = sample(2, 3, { rng: ag.createRng(3), kappa: 1e6, mu: mus, dtype: 'float64' });
    const xs = values(x);
    expect(xs[2]).toBeGreaterThan(0.999);
    expect(xs[4]).toBeLessThan(-0.999);
    const p = sample(3, 3, { rng: ag.createRng(4), kappa: 1, requiresGrad: true });
    expect(p.requiresGrad).toBe(true);
    expect(() => sample(3, 3, { kappa: 1 } as never)).toThrow(/expected options.rng, a seeded generator, got none. Pass \{ rng: createRng\(seed\) \}/);
    expect(() => sample(3, 3, { rng: ag.createRng(1), kappa: -1 })).toThrow(/expected kappa, the concentration, a finite number ≥ 0, got -1/);
    expect(() => sample(3, 3, { rng: ag.createRng(1), kappa: 1, mu: [1, 0] })).toThrow(/expected mu with 3 numbers, got 2/);
    expect(() => sample(3, 3, { rng: ag.createRng(1), kappa: 1, mu: [0, 0, 0] })).toThrow(/expected mu of finite nonzero norm/);
    expect(() => sample(3, 3, { rng: ag.createRng(1), kappa: 1, mu: rows([[1, 0, 0], [0, 1, 0]]) })).toThrow(/expected mu of shape \[3\], \[1,3\] or \[3,3\], got \[2,3\]/);
    expect(() => sample(3, 1, { rng: ag.createRng(1), kappa: 1 })).toThrow(/expected d, the ambient dimension, an integer ≥ 2, got 1/);
    expect(() => sample(-1, 3, { rng: ag.createRng(1), kappa: 1 })).toThrow(/expected n, the number of points, an integer ≥ 0, got -1/);
    expect(sample(0, 3, { rng: ag.createRng(1), kappa: 1 }).shape).toEqual([0, 3]);
  });
});

describe('cosine distributions for d = 3 against their closed-form CDFs (Kolmogorov–Smirnov, N = 4000)', () => {
  // 1.63 / √N is the 1% critical value
  const critical = 1.63 / Math.sqrt(N);
  it.each([0.5, 5, 50])('vMF, κ = %f: F(t) = (e^{κt} − e^{−κ}) / (e^{κ} − e^{−κ})', (kappa) => {
    const x = randomVmf(N, 3, { rng: ag.createRng(7), kappa, dtype: 'float64' });
    const { cos } = cosinesAndMean(x, [1, 0, 0]);
    const cdf = (t: number): number => (Math.exp(kappa * (t - 1)) - Math.exp(-2 * kappa)) / (1 - Math.exp(-2 * kappa));
    expect(ksStatistic(cos, cdf)).toBeLessThan(critical);
  });
  it.each([0.5, 5, 100])('power-spherical, κ = %f: F(t) = ((1 + t)/2)^{κ+1}', (kappa) => {
    const x = randomPowerSpherical(N, 3, { rng: ag.createRng(8), kappa, dtype: 'float64' });
    const { cos } = cosinesAndMean(x, [1, 0, 0]);
    expect(ksStatistic(cos, (t) => ((1 + t) / 2) ** (kappa + 1))).toBeLessThan(critical);
  });
});

describe('randomUniform', () => {
  it('unit rows, mean near 0, every coordinate with variance 1/d, reproducible from the seed', () => {
    const d = 4;
    const x = randomUniform(20000, d, { rng: ag.createRng(5), dtype: 'float64' });
    expect(maxAbs(rowNorms(x).map((r) => r - 1))).toBeLessThan(1e-15);
    const v = x.dataSync();
    for (let k = 0; k < d; k++) {
      let s = 0, s2 = 0;
      for (let i = 0; i < 20000; i++) {
        s += v[i * d + k]!;
        s2 += v[i * d + k]! ** 2;
      }
      expect(Math.abs(s / 20000)).toBeLessThan(5 * Math.sqrt(1 / d / 20000));
      expect(Math.abs(s2 / 20000 - 1 / d)).toBeLessThan(0.01);
    }
    expect(values(randomUniform(3, 2, { rng: ag.createRng(1) }))).toEqual(values(randomUniform(3, 2, { rng: ag.createRng(1) })));
    expect(randomUniform(3, 2, { rng: ag.createRng(1) }).dtype).toBe('float32');
    expect(() => randomUniform(3, 0, { rng: ag.createRng(1) })).toThrow(/randomUniform: expected d, the ambient dimension, an integer ≥ 1, got 0/);
  });
});
