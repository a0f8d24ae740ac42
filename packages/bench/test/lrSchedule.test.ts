import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LR_DECAYS, scheduledLr } from '../src/lrSchedule.js';

const RUNS = { seed: 20261124, numRuns: 60 };

describe('scheduledLr: golden', () => {
  // By hand: cosine lr·(1 + cos(πt/T))/2 and linear lr·(1 − t/T) at T = 4.
  it.each([
    ['none', [0.01, 0.01, 0.01, 0.01]],
    ['cosine', [0.01, 0.01 * (1 + Math.SQRT1_2) / 2, 0.005, 0.01 * (1 - Math.SQRT1_2) / 2]],
    ['linear', [0.01, 0.0075, 0.005, 0.0025]],
  ] as const)('%s over T = 4 steps', (decay, want) => {
    const got = [0, 1, 2, 3].map((t) => scheduledLr(decay, 0.01, t, 4));
    for (const [t, w] of want.entries()) expect(got[t]).toBeCloseTo(w, 15);
  });

  it('a single step takes lr itself', () => {
    for (const decay of LR_DECAYS) expect(scheduledLr(decay, 0.005, 0, 1)).toBe(0.005);
  });
});

describe('scheduledLr: property', () => {
  const arb = fc.record({
    decay: fc.constantFrom(...LR_DECAYS),
    lr: fc.double({ min: 1e-6, max: 10, noNaN: true }),
    total: fc.integer({ min: 1, max: 3000 }),
  });

  it('starts at lr, never increases, stays > 0 at every step', () => {
    fc.assert(
      fc.property(arb, ({ decay, lr, total }) => {
        expect(scheduledLr(decay, lr, 0, total)).toBe(lr);
        let prev = lr;
        for (let t = 0; t < total; t++) {
          const v = scheduledLr(decay, lr, t, total);
          expect(v).toBeGreaterThan(0);
          expect(v).toBeLessThanOrEqual(prev);
          prev = v;
        }
      }),
      RUNS,
    );
  });

  it('cosine is lr/2 at the midpoint t = T/2 of an even T, within 1e-12', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 10, noNaN: true }), fc.integer({ min: 1, max: 1_000_000 }), (lr, half) => {
        expect(Math.abs(scheduledLr('cosine', lr, half, 2 * half) - lr / 2)).toBeLessThanOrEqual(1e-12);
      }),
      RUNS,
    );
  });
});

describe('scheduledLr: edge', () => {
  it('keeps the last step positive for huge T, where 1 + cos(π(T−1)/T) rounds to 0', () => {
    const total = 1e9;
    expect(1 + Math.cos((Math.PI * (total - 1)) / total)).toBe(0);
    expect(scheduledLr('cosine', 0.005, total - 1, total)).toBeGreaterThan(0);
    expect(scheduledLr('linear', 0.005, total - 1, total)).toBeGreaterThan(0);
  });

  it.each([
    [0, 0, /^scheduledLr: expected total steps an integer >= 1, got 0\.$/],
    [0, 2.5, /expected total steps an integer >= 1, got 2\.5/],
    [4, 4, /^scheduledLr: expected step t an integer in \[0, 3\], got 4\. Steps are 0-based\.$/],
    [-1, 4, /expected step t an integer in \[0, 3\], got -1/],
    [0.5, 4, /expected step t an integer in \[0, 3\], got 0\.5/],
  ])('t = %d of T = %d throws', (t, total, pattern) => {
    expect(() => scheduledLr('cosine', 0.01, t, total)).toThrow(pattern);
  });
});
