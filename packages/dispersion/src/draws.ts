import { DomainError, ShapeError, Tensor, cast, tensor, toBackend, type NestedArray, type Rng } from '@keepdist/autograd';
import { SPHERE_TOL } from './constants.js';

/** An explicit matrix of draws: a Tensor or nested arrays of numbers (m × d). */
export type MatrixLike = Tensor | readonly (readonly number[])[];

/**
 * m points uniform on S^{d−1}: normalize(N(0, I_d)) per row, drawn in float64 from `rng` and
 * stored with `like`'s dtype and backend (docs/math.md §1 "random uniform").
 */
export function uniformSphereSamples(rng: Rng, m: number, d: number, like: Tensor): Tensor {
  const data = rng.normalArray(m * d);
  for (let k = 0; k < m; k++) {
    let s = 0;
    for (let j = k * d; j < (k + 1) * d; j++) s += data[j]! * data[j]!;
    const r = Math.sqrt(s) || 1;
    for (let j = k * d; j < (k + 1) * d; j++) data[j] = data[j]! / r;
  }
  return tensor(data, { shape: [m, d], dtype: like.dtype, backend: like.backend });
}

/**
 * An explicit m × d matrix of points (Lloyd samples) as a constant tensor with `like`'s dtype and
 * backend; checks its shape and, on synchronous backends, that its rows have unit norm.
 */
export function explicitPoints(fn: string, name: string, points: MatrixLike, d: number, like: Tensor): Tensor {
  let t: Tensor;
  if (points instanceof Tensor) {
    t = toBackend(cast(points.detach(), like.dtype), like.backend);
  } else if (Array.isArray(points)) {
    t = tensor(points as NestedArray, { dtype: like.dtype, backend: like.backend });
  } else {
    throw new ShapeError(`${fn}: expected ${name} to be a Tensor or nested arrays of shape [m, ${d}], got ${typeof points}.`);
  }
  if (t.rank !== 2 || t.shape[1] !== d || t.shape[0] === 0) {
    throw new ShapeError(`${fn}: expected ${name} of shape [m, ${d}] with m ≥ 1, got [${t.shape.join(',')}]. Pass one unit row per sample.`);
  }
  if (t.backend.synchronous) {
    const data = t.readSync(fn);
    const tol = SPHERE_TOL[like.dtype];
    for (let k = 0; k < t.shape[0]!; k++) {
      let s = 0;
      for (let j = k * d; j < (k + 1) * d; j++) s += data[j]! * data[j]!;
      const dev = Math.abs(Math.sqrt(s) - 1);
      if (!(dev <= tol)) {
        throw new DomainError(`${fn}: expected ${name} rows on the unit sphere (|‖s_k‖ − 1| ≤ ${tol}), got ${dev.toExponential(2)} at row ${k}. Normalize them first.`);
      }
    }
  }
  return t;
}
