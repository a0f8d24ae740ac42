import { DomainError, OptionError, ShapeError, Tensor, tensor, type Rng } from '@keepdist/autograd';
import { PLANE_TOL } from './constants.js';
import { resolveRng } from './randomness.js';
import { checkDrawCount, checkNumber } from './validate.js';

/** A plane direction: a Tensor of d elements or a plain array of numbers. */
export type VectorLike = Tensor | ArrayLike<number>;

/** A slice plane [p, q] (orthonormal vectors of R^d): θ_i = atan2(x_i · q, x_i · p). */
export type Plane = readonly [p: VectorLike, q: VectorLike];

/** An axis-aligned slice plane [a, b] (distinct column indices): θ_i = atan2(X_ib, X_ia). */
export type AxisPair = readonly [a: number, b: number];

/** ‖v‖ of a float64 vector. */
function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/**
 * One random slice plane (docs/math.md §2.7): p, q orthonormal in R^d by Gram–Schmidt of two standard
 * Gaussian vectors from `rng`, p = g₁/‖g₁‖, q = (g₂ − (g₂·p) p)/‖…‖ (redrawn in the
 * probability-zero degenerate case). Needs d ≥ 2. Returned in float64.
 */
export function drawPlane(rng: Rng, d: number): [p: Float64Array, q: Float64Array] {
  for (;;) {
    const p = rng.normalArray(d), q = rng.normalArray(d);
    const rp = norm(p);
    if (!(rp > 1e-12)) continue;
    for (let i = 0; i < d; i++) p[i] = p[i]! / rp;
    let dot = 0;
    for (let i = 0; i < d; i++) dot += q[i]! * p[i]!;
    for (let i = 0; i < d; i++) q[i] = q[i]! - dot * p[i]!;
    const rq = norm(q);
    if (!(rq > 1e-12)) continue;
    for (let i = 0; i < d; i++) q[i] = q[i]! / rq;
    return [p, q];
  }
}

/** One random coordinate plane (docs/math.md §2.8): a ≠ b uniform among the d(d − 1) ordered pairs. */
export function drawAxisPair(rng: Rng, d: number): [a: number, b: number] {
  const a = rng.integers(0, d, 1)[0]!;
  const b = rng.integers(0, d - 1, 1)[0]!;
  return [a, b >= a ? b + 1 : b];
}

/** A vector option as float64 of length d (ShapeError otherwise). */
function vectorOf(fn: string, what: string, v: VectorLike, d: number): Float64Array {
  const data = v instanceof Tensor ? Float64Array.from(v.readSync(fn)) : Float64Array.from(v as ArrayLike<number>);
  const ok = v instanceof Tensor ? v.size === d && v.shape.filter((s) => s !== 1).length <= 1 : data.length === d;
  if (!ok) {
    const got = v instanceof Tensor ? `shape [${v.shape.join(',')}]` : `length ${data.length}`;
    throw new ShapeError(`${fn}: expected ${what} of length d = ${d}, got ${got}.`);
  }
  return data;
}

/**
 * The slice planes of a call, stacked as one 2K × d constant tensor [P; Q] (rows 0..K−1 the p_k,
 * rows K..2K−1 the q_k) with `like`'s dtype and backend: the explicit `planes` when given (each
 * checked orthonormal within 1e-4), else `count` planes drawn from `rng` with {@link drawPlane}.
 */
export function slicePlanes(fn: string, planes: readonly Plane[] | undefined, countName: string, count: number | undefined,
  dflt: number, rngOpt: unknown, d: number, like: Tensor): Tensor {
  let list: [Float64Array, Float64Array][];
  if (planes !== undefined) {
    if (!Array.isArray(planes) || planes.length === 0) {
      throw new OptionError(`${fn}: expected planes to be a non-empty array of [p, q] pairs, got ${Array.isArray(planes) ? 'an empty array' : typeof planes}.`);
    }
    if (count !== undefined) {
      checkNumber(fn, countName, count, { min: planes.length, max: planes.length, integer: true }, '(the number of planes given)');
    }
    list = planes.map((pl, k) => {
      if (!Array.isArray(pl) || pl.length !== 2) throw new OptionError(`${fn}: expected planes[${k}] to be a pair [p, q], got ${typeof pl}.`);
      const p = vectorOf(fn, `planes[${k}][0]`, pl[0]!, d), q = vectorOf(fn, `planes[${k}][1]`, pl[1]!, d);
      let pq = 0;
      for (let i = 0; i < d; i++) pq += p[i]! * q[i]!;
      const dev = Math.max(Math.abs(norm(p) - 1), Math.abs(norm(q) - 1), Math.abs(pq));
      if (!(dev <= PLANE_TOL)) {
        throw new DomainError(`${fn}: expected planes[${k}] = [p, q] orthonormal (deviation ≤ ${PLANE_TOL}), got ${dev.toExponential(2)}. Orthonormalize p, q by Gram–Schmidt.`);
      }
      return [p, q];
    });
  } else {
    const K = checkDrawCount(fn, countName, checkNumber(fn, countName, count ?? dflt, { min: 1, integer: true }), like.shape[0]! + d);
    const rng = resolveRng(fn, rngOpt);
    list = Array.from({ length: K }, () => drawPlane(rng, d));
  }
  const K = list.length;
  const PQ = new Float64Array(2 * K * d);
  list.forEach(([p, q], k) => {
    PQ.set(p, k * d);
    PQ.set(q, (K + k) * d);
  });
  return tensor(PQ, { shape: [2 * K, d], dtype: like.dtype, backend: like.backend });
}

/**
 * The axis pairs of a call as two index lists (a_k) and (b_k): the explicit `pairs` when given
 * (integers in [0, d), a ≠ b), else `count` pairs drawn with {@link drawAxisPair} (at most
 * 2^28 / (n + d) of them, n the number of points).
 */
export function axisPairs(fn: string, pairs: readonly AxisPair[] | undefined, count: number | undefined, dflt: number,
  rngOpt: unknown, d: number, n: number): { a: number[]; b: number[] } {
  let list: (readonly [number, number])[];
  if (pairs !== undefined) {
    if (!Array.isArray(pairs) || pairs.length === 0) {
      throw new OptionError(`${fn}: expected pairs to be a non-empty array of [a, b] column pairs, got ${Array.isArray(pairs) ? 'an empty array' : typeof pairs}.`);
    }
    if (count !== undefined) checkNumber(fn, 'slices', count, { min: pairs.length, max: pairs.length, integer: true }, '(the number of pairs given)');
    list = pairs.map((pr, k) => {
      const ok = Array.isArray(pr) && pr.length === 2 && pr.every((v) => Number.isInteger(v) && v >= 0 && v < d) && pr[0] !== pr[1];
      if (!ok) throw new OptionError(`${fn}: expected pairs[${k}] to be two distinct column indices in [0, ${d}), got ${JSON.stringify(pr)}.`);
      return [pr[0]!, pr[1]!] as const;
    });
  } else {
    const K = checkDrawCount(fn, 'slices', checkNumber(fn, 'slices', count ?? dflt, { min: 1, integer: true }), n + d);
    const rng = resolveRng(fn, rngOpt);
    list = Array.from({ length: K }, () => drawAxisPair(rng, d));
  }
  return { a: list.map((p) => p[0]), b: list.map((p) => p[1]) };
}
