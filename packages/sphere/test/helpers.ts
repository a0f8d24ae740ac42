// Shared by the sphere tests: golden files, tensors from rows, fast-check arbitraries of points with
// tangent vectors, the mmd gaussian energy of docs/math.md §2.1 written in autograd ops, and angle metrics.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { DType, Tensor } from '@keepdist/autograd';
import { tensorArb, unitRowsArb } from '@keepdist/autograd/testing';
import { proj } from '@keepdist/sphere';

/** Fixed fast-check settings: the seed is printed on failure. */
export const RUNS = { seed: 42, numRuns: 50 } as const;

/** One case of sphere.json: op, id, d and n × d row lists (or a list of n for dist's out). */
export interface SphereCase {
  op: string;
  id: string;
  d: number;
  out: number[][] | number[];
  outMinusX?: number[][];
  [input: string]: unknown;
}

/** A golden file of testdata/golden. */
export function loadGolden<C>(name: string): { cases: C[] } {
  return JSON.parse(readFileSync(new URL(`../../../testdata/golden/${name}`, import.meta.url), 'utf8')) as { cases: C[] };
}

/** Rows as a tensor of `dtype` (float32 rounds the float64 inputs, as the golden README says). */
export function rows(data: unknown, dtype: DType = 'float64', requiresGrad = false): Tensor {
  return ag.tensor(data as number[][], { dtype, requiresGrad });
}

/** Flat float64 values of a tensor. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Row norms. */
export function rowNorms(t: Tensor): number[] {
  const [n, d] = t.shape as [number, number];
  const v = t.dataSync();
  return Array.from({ length: n }, (_, i) => Math.hypot(...v.subarray(i * d, (i + 1) * d)));
}

/** Row-wise dot products. */
export function rowDots(a: Tensor, b: Tensor): number[] {
  const [n, d] = a.shape as [number, number];
  const x = a.dataSync(), y = b.dataSync();
  return Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[i * d + k]! * y[i * d + k]!;
    return s;
  });
}

/** max |value| of an array. */
export const maxAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * Points x (n × d unit rows, float64) with a tangent vector u at each row whose norm is drawn from
 * [minNorm, maxNorm] (norms under 1e-30, subnormals included, become 0): a random ambient vector
 * projected onto T_x S and rescaled.
 */
export function pointsWithTangents(opts: { minNorm?: number; maxNorm: number; n?: { min: number; max: number }; d?: { min: number; max: number } }):
  fc.Arbitrary<{ x: Tensor; u: Tensor }> {
  return unitRowsArb({ n: opts.n ?? { min: 1, max: 5 }, d: opts.d ?? { min: 2, max: 5 } }).chain((x) => {
    const [n, d] = x.shape as [number, number];
    return fc.tuple(
      tensorArb([n, d], { min: -1, max: 1 }),
      fc.array(fc.double({ min: opts.minNorm ?? 0, max: opts.maxNorm, noNaN: true }).map((r) => (r < 1e-30 ? 0 : r)), { minLength: n, maxLength: n }),
    ).map(([v, norms]) => ({ x, u: withRowNorms(proj(x, v), norms) }));
  }).filter(({ u }) => rowNorms(u).every((r) => Number.isFinite(r) && r >= (opts.minNorm ?? 0) * (1 - 1e-9)));
}

/** Rescales each row of u to the given norm (rows too small to have a direction become e-vectors of x⊥). */
export function withRowNorms(u: Tensor, norms: readonly number[]): Tensor {
  const [n, d] = u.shape as [number, number];
  const v = Float64Array.from(u.dataSync());
  for (let i = 0; i < n; i++) {
    const r = Math.hypot(...v.subarray(i * d, (i + 1) * d));
    for (let k = 0; k < d; k++) v[i * d + k] = r > 1e-3 ? (v[i * d + k]! / r) * norms[i]! : 0;
  }
  return ag.tensor(v, { shape: [n, d], dtype: 'float64' });
}

/**
 * The mmd gaussian/euclidean energy of docs/math.md §2.1: L = 2 · mean_{i<j} exp(γ x_i·x_j)
 * = (1/P) Σ_{i≠j} exp(γ c_ij) with P = n(n−1)/2, written in autograd ops.
 */
export function mmdGaussian(x: Tensor, gamma = 1): Tensor {
  const n = x.shape[0]!;
  const pairs = (n * (n - 1)) / 2;
  const k = ag.exp(ag.mul(ag.fillDiagonal(ag.gram(x), -Infinity), gamma));
  return ag.div(ag.sum(k), pairs);
}

/** Smallest angle between distinct rows, in degrees (float64 arithmetic on the values). */
export function minAngleDegrees(x: Tensor): number {
  const [n, d] = x.shape as [number, number];
  const v = x.dataSync();
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let dot = 0, a = 0, b = 0;
      for (let k = 0; k < d; k++) {
        dot += v[i * d + k]! * v[j * d + k]!;
        a += v[i * d + k]! ** 2;
        b += v[j * d + k]! ** 2;
      }
      best = Math.min(best, Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(a * b)))));
    }
  }
  return (best * 180) / Math.PI;
}
