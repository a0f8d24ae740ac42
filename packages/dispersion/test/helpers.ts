// Shared test helpers: generic-position filters, random rotations and permutations, option sets.
import fc from 'fast-check';
import { createRng, tensor, type Tensor } from '@keepdist/autograd';
import { drawAxisPair, drawPlane, type RegularizerName } from '@keepdist/dispersion';

/** Unwraps a metric result that must be synchronous on the cpu backend. */
export function sync<T>(v: T | Promise<T>): T {
  if (v instanceof Promise) throw new Error('expected a synchronous result on the cpu backend');
  return v;
}

/** Rows of a 2-D float64 tensor as arrays. */
export function rowsOf(X: Tensor): number[][] {
  return X.toArray() as number[][];
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, k) => s + v * b[k]!, 0);

/** True when every pair cosine of X's rows stays `gap` away from ±1 (away from the clamp and the singularities). */
export function genericCosines(X: Tensor, gap: number): boolean {
  const r = rowsOf(X);
  for (let i = 0; i < r.length; i++) {
    for (let j = i + 1; j < r.length; j++) if (Math.abs(dot(r[i]!, r[j]!)) > 1 - gap) return false;
  }
  return true;
}

/** True when every pair cosine stays 1e-3 away from ±1 and each row's two largest cosines differ by > 1e-3. */
export function genericPairs(X: number[][]): boolean {
  const n = X.length;
  for (let i = 0; i < n; i++) {
    let b1 = -Infinity, b2 = -Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const c = dot(X[i]!, X[j]!);
      if (Math.abs(c) > 1 - 1e-3) return false;
      if (c > b1) [b1, b2] = [c, b1];
      else if (c > b2) b2 = c;
    }
    if (n > 2 && b1 - b2 < 1e-3) return false;
  }
  return true;
}

/** True when for every sample the two largest cosines with the rows differ by > 1e-3 and stay away from ±1. */
export function genericSamples(X: number[][], S: number[][]): boolean {
  return S.every((s) => {
    const cs = X.map((x) => dot(s, x)).sort((a, b) => b - a);
    return Math.abs(cs[0]!) < 1 - 1e-3 && (cs.length < 2 || cs[0]! - cs[1]! > 1e-3);
  });
}

/** True when the slice angles are generic: away from the plane's origin, the branch cut and each other. */
export function genericAngles(thetaRows: { th: number; r: number }[][]): boolean {
  return thetaRows.every((row) => {
    if (row.some(({ th, r }) => r < 0.05 || Math.abs(th) > Math.PI - 1e-3)) return false;
    const s = row.map((v) => v.th).sort((a, b) => a - b);
    return s.every((v, k) => k === 0 || v - s[k - 1]! > 1e-3);
  });
}

/** Slice angles θ_i = atan2(x·q, x·p) and radii for each plane. */
export function planeAnglesOf(X: number[][], planes: [number[], number[]][]): { th: number; r: number }[][] {
  return planes.map(([p, q]) => X.map((x) => ({ th: Math.atan2(dot(x, q), dot(x, p)), r: Math.hypot(dot(x, q), dot(x, p)) })));
}

/** Slice angles θ_i = atan2(X_ib, X_ia) for each axis pair. */
export function axisAnglesOf(X: number[][], pairs: [number, number][]): { th: number; r: number }[][] {
  return pairs.map(([a, b]) => X.map((x) => ({ th: Math.atan2(x[b]!, x[a]!), r: Math.hypot(x[a]!, x[b]!) })));
}

/** K random planes from a seed, as plain arrays. */
export function planesFrom(seed: number, d: number, K: number): [number[], number[]][] {
  const rng = createRng(seed);
  return Array.from({ length: K }, () => drawPlane(rng, d)).map(([p, q]) => [Array.from(p), Array.from(q)]);
}

/** K random axis pairs from a seed. */
export function pairsFrom(seed: number, d: number, K: number): [number, number][] {
  const rng = createRng(seed);
  return Array.from({ length: K }, () => drawAxisPair(rng, d));
}

/** m uniform points on S^{d−1} from a seed, as plain arrays. */
export function samplesFrom(seed: number, d: number, m: number): number[][] {
  const g = createRng(seed).normalArray(m * d);
  return Array.from({ length: m }, (_, k) => {
    const row = Array.from(g.subarray(k * d, (k + 1) * d));
    const r = Math.hypot(...row);
    return row.map((v) => v / r);
  });
}

/** A random d × d orthogonal matrix (Gram–Schmidt of Gaussian columns) from a seed. */
export function rotationFrom(seed: number, d: number): number[][] {
  const rng = createRng(seed);
  const cols: number[][] = [];
  while (cols.length < d) {
    const v = Array.from(rng.normalArray(d));
    for (const c of cols) {
      const t = dot(v, c);
      for (let k = 0; k < d; k++) v[k] = v[k]! - t * c[k]!;
    }
    const r = Math.hypot(...v);
    if (r > 1e-6) cols.push(v.map((x) => x / r));
  }
  return Array.from({ length: d }, (_, i) => cols.map((c) => c[i]!));
}

/** Row vectors times R: x ↦ x R. */
export function rotate(rows: number[][], R: number[][]): number[][] {
  return rows.map((x) => R[0]!.map((_, j) => x.reduce((s, v, k) => s + v * R[k]![j]!, 0)));
}

/** A permutation of 0..n−1 from a seed. */
export function permutationFrom(seed: number, n: number): number[] {
  return createRng(seed).permutation(n);
}

/** float64 tensor of nested rows. */
export function t64(rows: number[][]): Tensor {
  return tensor(rows, { dtype: 'float64' });
}

/** One regularizer configuration exercised by the property tests. */
export interface Config {
  /** Label. */
  label: string;
  /** Registry name. */
  name: RegularizerName;
  /** Options without explicit draws. */
  options: Record<string, unknown>;
  /** Which explicit draws it needs. */
  draws?: 'points' | 'planes' | 'pairs';
  /** Number of draws. */
  K?: number;
}

/** Every regularizer with a spread of option sets (deterministic: explicit draws are added per case). */
export const configs: Config[] = [
  ...(['gaussian', 'laplace'] as const).flatMap((kernel) => (['euclidean', 'geodesic'] as const).flatMap((distance) =>
    [1, 3].map((gamma): Config => ({ label: `mmd ${kernel}/${distance} γ=${gamma}`, name: 'mmd', options: { kernel, distance, gamma } })))),
  ...(['euclidean', 'geodesic'] as const).flatMap((distance) => [2.5, 1, 0, -1].map((s): Config => (
    { label: `mmd riesz/${distance} s=${s}`, name: 'mmd', options: { kernel: 'riesz', distance, s } }))),
  { label: 'mmd laplace/euclidean chord=authors', name: 'mmd', options: { kernel: 'laplace', distance: 'euclidean', chord: 'authors' } },
  { label: 'mmd riesz/euclidean chord=authors', name: 'mmd', options: { kernel: 'riesz', distance: 'euclidean', s: 1, chord: 'authors' } },
  { label: 'uniformity t=2', name: 'uniformity', options: {} },
  { label: 'uniformity t=0.5', name: 'uniformity', options: { t: 0.5 } },
  { label: 'mma', name: 'mma', options: {} },
  { label: 'mmcs', name: 'mmcs', options: {} },
  { label: 'koleo', name: 'koleo', options: {} },
  { label: 'koleo eps=0.1', name: 'koleo', options: { eps: 0.1 } },
  { label: 'lloyd m=5', name: 'lloyd', options: {}, draws: 'points', K: 5 },
  { label: 'sliced K=1', name: 'sliced', options: {}, draws: 'planes', K: 1 },
  { label: 'sliced K=3', name: 'sliced', options: {}, draws: 'planes', K: 3 },
  { label: 'slicedAxis K=3', name: 'slicedAxis', options: {}, draws: 'pairs', K: 3 },
  { label: 'ssw K=3', name: 'ssw', options: {}, draws: 'planes', K: 3 },
  { label: 'ssw K=2 sqrt', name: 'ssw', options: { sqrt: true }, draws: 'planes', K: 2 },
];

/** Explicit draws for a configuration, from a seed, and whether X is generic for it. */
export function withDraws(cfg: Config, X: number[][], seed: number): { options: Record<string, unknown>; generic: boolean } {
  const d = X[0]!.length;
  const o = { ...cfg.options };
  if (cfg.draws === 'points') {
    const S = samplesFrom(seed, d, cfg.K!);
    o.points = S;
    return { options: o, generic: genericSamples(X, S) && genericPairs(X) };
  }
  if (cfg.draws === 'planes') {
    const planes = planesFrom(seed, d, cfg.K!);
    o.planes = planes;
    return { options: o, generic: genericAngles(planeAnglesOf(X, planes)) };
  }
  if (cfg.draws === 'pairs') {
    const pairs = pairsFrom(seed, d, cfg.K!);
    o.pairs = pairs;
    return { options: o, generic: genericAngles(axisAnglesOf(X, pairs)) };
  }
  return { options: o, generic: genericPairs(X) };
}

/** n × d float64 points uniform on the sphere from a seed (Gaussian rows normalised). */
export function spherePoints(seed: number, n: number, d: number): Tensor {
  return t64(samplesFrom(seed, d, n));
}

/**
 * fast-check arbitrary of generic random points on the sphere: n, d in range and a seed for
 * Gaussian rows. (Unlike unitRowsArb, whose bias toward 0 and ±1 coordinates makes exact ties
 * and axis-aligned rows common, these are in general position almost surely.)
 */
export function spherePointsArb(n: { min: number; max: number }, d: { min: number; max: number }): fc.Arbitrary<Tensor> {
  return fc.tuple(fc.integer(n), fc.integer(d), fc.integer({ min: 0, max: 2 ** 31 - 1 }))
    .map(([nn, dd, seed]) => spherePoints(seed, nn, dd));
}
