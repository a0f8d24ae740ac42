import { describe, expect, it } from 'vitest';
import { createRng } from '@keepdist/autograd';

describe('createRng (xoshiro128**)', () => {
  it('same seed, same numbers; different seeds differ', () => {
    expect(createRng(5).uniformArray(8)).toEqual(createRng(5).uniformArray(8));
    expect(createRng(5).normalArray(8)).not.toEqual(createRng(6).normalArray(8));
  });
  it('uniform moments: mean 1/2, variance 1/12 within sampling error (n = 200000)', () => {
    const u = createRng(1).uniformArray(200_000);
    const mean = u.reduce((s, v) => s + v, 0) / u.length;
    const v = u.reduce((s, x) => s + (x - mean) ** 2, 0) / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / u.length));
    expect(Math.abs(v - 1 / 12)).toBeLessThan(2e-3);
    expect(u.reduce((a, b) => Math.min(a, b), 1)).toBeGreaterThanOrEqual(0);
    expect(u.reduce((a, b) => Math.max(a, b), 0)).toBeLessThan(1);
  });
  it('normal moments: mean 0, variance 1, kurtosis 3', () => {
    const z = createRng(2).normalArray(200_000);
    const m = z.reduce((s, v) => s + v, 0) / z.length;
    const v = z.reduce((s, x) => s + x * x, 0) / z.length;
    const k = z.reduce((s, x) => s + x ** 4, 0) / z.length;
    expect(Math.abs(m)).toBeLessThan(5 / Math.sqrt(z.length));
    expect(Math.abs(v - 1)).toBeLessThan(0.02);
    expect(Math.abs(k - 3)).toBeLessThan(0.1);
  });
  it('permutation, choice and integers', () => {
    const rng = createRng(3);
    expect(rng.permutation(50).slice().sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const c = rng.choice(100, 30);
    expect(new Set(c).size).toBe(30);
    const counts = new Array(4).fill(0);
    for (const v of rng.integers(2, 6, 40_000)) counts[v - 2]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => rng.choice(3, 4)).toThrow(/rng.choice: expected integers 0 ≤ k ≤ n, got n=3, k=4/);
  });
  it('tensor draws have the requested shape and dtype', () => {
    const t = createRng(4).normal([3, 2], { dtype: 'float64' });
    expect(t.shape).toEqual([3, 2]);
    expect(t.dtype).toBe('float64');
  });
});
