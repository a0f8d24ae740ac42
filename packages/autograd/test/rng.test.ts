import { describe, expect, it } from 'vitest';
import { createRng } from '@keepdist/autograd';

/**
 * An independent, straightforward xoshiro128** in BigInt arithmetic (32-bit words masked by hand),
 * seeded by splitmix32, with the documented draws on top: float = (a ≫ 5 · 2^26 + b ≫ 6) / 2^53, Box–Muller
 * normals in pairs (cos, then sin; an odd count drops the last sin), integers by rejection below
 * the largest multiple of the range.
 */
function referenceRng(seed: number) {
  const M = 0xffffffffn;
  let sm = BigInt(Math.trunc(seed)) & M;
  const splitmix = (): bigint => {
    sm = (sm + 0x9e3779b9n) & M;
    let z = sm;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M;
    return (z ^ (z >> 16n)) & M;
  };
  const s = [splitmix(), splitmix(), splitmix(), splitmix()];
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0n) s[0] = 1n;
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M;
  const next = (): number => {
    const result = (rotl((s[1]! * 5n) & M, 7n) * 9n) & M;
    const t = (s[1]! << 9n) & M;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11n);
    return Number(result);
  };
  const float = (): number => {
    const a = next(), b = next();
    return (Math.floor(a / 32) * 2 ** 26 + Math.floor(b / 64)) / 2 ** 53;
  };
  const normals = (count: number): number[] => {
    const out: number[] = [];
    while (out.length < count) {
      const r = Math.sqrt(-2 * Math.log(1 - float()));
      const phi = 2 * Math.PI * float();
      out.push(r * Math.cos(phi), r * Math.sin(phi));
    }
    return out.slice(0, count);
  };
  const below = (n: number): number => {
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = next();
      if (x < limit) return x % n;
    }
  };
  return { next, float, normals, below };
}

describe('createRng (xoshiro128**)', () => {
  it('is the xoshiro128** stream of a straightforward reimplementation, draw for draw, interleaved', () => {
    for (const seed of [0, 1, 42, 2 ** 32 + 7, -5, 123456789]) {
      const rng = createRng(seed), ref = referenceRng(seed);
      for (let round = 0; round < 40; round++) {
        // every kind of draw, in varying sizes (odd normal counts drop a value), from one stream
        expect(rng.nextUint32()).toBe(ref.next());
        expect(rng.float()).toBe(ref.float());
        expect(Array.from(rng.uniformArray(round % 5))).toEqual(Array.from({ length: round % 5 }, ref.float));
        expect(Array.from(rng.normalArray(round % 7))).toEqual(ref.normals(round % 7));
        expect(rng.integers(-3, 4 + round, 3)).toEqual([0, 1, 2].map(() => -3 + ref.below(7 + round)));
      }
      const z = ref.normals(15);
      expect(rng.normal([5, 3], { dtype: 'float64' }).toArray()).toEqual([0, 1, 2, 3, 4].map((i) => z.slice(3 * i, 3 * i + 3)));
    }
  });

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
