import { KeepdistError } from './errors.js';
import { checkShape, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';
import { tensor, type CreateOptions } from './ops/creation.js';

/**
 * A seeded pseudo-random generator: xoshiro128** (Blackman & Vigna 2018), 128 bits of state
 * seeded through splitmix32. Same seed, same numbers, on every platform. Nothing in keepdist
 * draws from Math.random().
 */
export interface Rng {
  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number;
  /** One uniform double in [0, 1) with 53 random bits. */
  float(): number;
  /** `count` uniform doubles in [0, 1). */
  uniformArray(count: number): Float64Array;
  /** `count` standard normal doubles (Box–Muller). */
  normalArray(count: number): Float64Array;
  /** A tensor of uniform [0, 1) samples (float32 unless `opts.dtype` says otherwise). */
  uniform(shape: number | readonly number[], opts?: CreateOptions): Tensor;
  /** A tensor of standard normal samples. */
  normal(shape: number | readonly number[], opts?: CreateOptions): Tensor;
  /** `count` integers uniform in [lo, hi) (unbiased, by rejection). */
  integers(lo: number, hi: number, count: number): number[];
  /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
  permutation(n: number): number[];
  /** `k` distinct indices from 0..n−1, uniformly without replacement (partial Fisher–Yates). */
  choice(n: number, k: number): number[];
}

/** splitmix32: spreads a 32-bit seed over the state words. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates a seeded generator from an integer seed (any safe integer; its low 32 bits seed it). */
export function createRng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new KeepdistError(`createRng: expected an integer seed, got ${typeof seed === 'number' ? seed : typeof seed}. Pass e.g. createRng(42) (a fractional seed would be truncated, so 1.5 and 1 would give the same numbers).`);
  }
  const init = splitmix32(Math.trunc(seed));
  // the state as int32 words: in an Int32Array between draws (a closure's variables would box
  // values past 2^30 on every update), in locals inside the bulk loop below
  const s = new Int32Array([init(), init(), init(), init()]);
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
  const nextUint32 = (): number => {
    const s1 = s[1]!, r = Math.imul(s1, 5);
    const result = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
    const s2 = s[2]! ^ s[0]!, s3 = s[3]! ^ s1;
    s[1] = s1 ^ s2;
    s[0] = s[0]! ^ s3;
    s[2] = s2 ^ (s1 << 9);
    s[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  };
  const float = (): number => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;
  /** `count` floats of the stream into `out` (as `float()` one by one), the state in locals meanwhile. */
  const floatsInto = (out: Float64Array, count: number): void => {
    let s0 = s[0]!, s1 = s[1]!, s2 = s[2]!, s3 = s[3]!;
    for (let i = 0; i < count; i++) {
      let hi = 0;
      for (let half = 0; half < 2; half++) {
        const r = Math.imul(s1, 5);
        const word = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        if (half === 0) hi = word >>> 5;
        else out[i] = (hi * 67108864 + (word >>> 6)) / 9007199254740992;
      }
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
  };
  const checkCount = (op: string, count: number): void => {
    if (!Number.isSafeInteger(count) || count < 0) throw new KeepdistError(`${op}: expected a count, an integer ≥ 0, got ${count}.`);
  };
  const uniformArray = (count: number): Float64Array => {
    checkCount('rng.uniformArray', count);
    const out = new Float64Array(count);
    floatsInto(out, count);
    return out;
  };
  /** Uniform pairs for Box–Muller, reused by every call that fits. */
  let pairs = new Float64Array(64);
  const normalArray = (count: number): Float64Array => {
    checkCount('rng.normalArray', count);
    const out = new Float64Array(count);
    const m = 2 * Math.ceil(count / 2);
    if (pairs.length < m) pairs = new Float64Array(m);
    const u = pairs;
    floatsInto(u, m);
    for (let i = 0; i < count; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - u[i]!));
      const phi = 2 * Math.PI * u[i + 1]!;
      out[i] = r * Math.cos(phi);
      if (i + 1 < count) out[i + 1] = r * Math.sin(phi);
    }
    return out;
  };
  const below = (n: number): number => {
    // rejection sampling on 32 bits: unbiased for n ≤ 2^32
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = nextUint32();
      if (x < limit) return x % n;
    }
  };
  const asShape = (op: string, shape: number | readonly number[]): number[] => {
    const sh = typeof shape === 'number' ? [shape] : Array.isArray(shape) ? shape.slice() : (shape as number[]);
    checkShape(op, sh);
    return sh;
  };
  return {
    nextUint32,
    float,
    uniformArray,
    normalArray,
    uniform: (shape, opts = {}) => {
      const sh = asShape('rng.uniform', shape);
      return tensor(uniformArray(sizeOf(sh)), { ...opts, dtype: opts.dtype ?? 'float32', shape: sh });
    },
    normal: (shape, opts = {}) => {
      const sh = asShape('rng.normal', shape);
      return tensor(normalArray(sizeOf(sh)), { ...opts, dtype: opts.dtype ?? 'float32', shape: sh });
    },
    integers(lo, hi, count) {
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi <= lo) {
        throw new KeepdistError(`rng.integers: expected integers lo < hi, got lo=${lo}, hi=${hi}.`);
      }
      checkCount('rng.integers', count);
      if (hi - lo > 4294967296) throw new KeepdistError(`rng.integers: expected hi − lo ≤ 2^32, got ${hi - lo}.`);
      return Array.from({ length: count }, () => lo + below(hi - lo));
    },
    permutation(n) {
      return this.choice(n, n);
    },
    choice(n, k) {
      if (!Number.isInteger(n) || !Number.isInteger(k) || k < 0 || k > n) {
        throw new KeepdistError(`rng.choice: expected integers 0 ≤ k ≤ n, got n=${n}, k=${k}.`);
      }
      const a = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = i + below(n - i);
        [a[i], a[j]] = [a[j]!, a[i]!];
      }
      return a.slice(0, k);
    },
  };
}
