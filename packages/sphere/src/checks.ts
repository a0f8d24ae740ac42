/**
 * Input validation of the sphere ops. Messages follow `<fn>: expected <what>, got <what>. <fix>`.
 * Value checks (on the sphere, tangent, nonzero, not antipodal) read the data and so run only on
 * synchronous backends; on asynchronous ones they are skipped (the ops then return NaN where a
 * result is undefined, never a silently wrong value).
 */
import { DTypeError, KeepdistError, ShapeError, Tensor, DomainError } from '@keepdist/autograd';
import { antipodalTolerance, onSphereTolerance, tangentTolerance } from './numerics.js';

const fmt = (v: number): string => (v === 0 ? '0' : v.toExponential(2));
const fmtShape = (s: readonly number[]): string => `[${s.join(',')}]`;

/**
 * Checks that the named arguments are n × d tensors of one dtype and backend whose row counts
 * broadcast (equal, or 1) and whose d agree. Returns the broadcast shape [n, d].
 */
export function checkRows(fn: string, args: Readonly<Record<string, Tensor>>): [number, number] {
  const entries = Object.entries(args);
  let n = 1, d = -1;
  let first: [string, Tensor] | null = null;
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) throw new KeepdistError(`${fn}: expected ${name} to be a Tensor, got ${typeof t}.`);
    if (t.rank !== 2) {
      throw new ShapeError(`${fn}: expected ${name} of shape [n, d] (one point or tangent vector per row), got ${fmtShape(t.shape)}. Reshape it to [n, d].`);
    }
    if (first) {
      const [fname, f] = first;
      if (t.dtype !== f.dtype) throw new DTypeError(`${fn}: expected ${fname} and ${name} of one dtype, got ${f.dtype} and ${t.dtype}. Convert one with cast().`);
      if (t.backend !== f.backend) {
        throw new KeepdistError(`${fn}: expected ${fname} and ${name} on one backend, got '${f.backend.name}' and '${t.backend.name}'. Move one with toBackend().`);
      }
    } else {
      first = [name, t];
    }
    const [rows, cols] = t.shape as [number, number];
    if (d === -1) d = cols;
    else if (cols !== d) {
      throw new ShapeError(`${fn}: expected rows of one dimension d, got ${fmtShape(first[1].shape)} (${first[0]}) and ${fmtShape(t.shape)} (${name}).`);
    }
    if (rows !== 1 && n !== 1 && rows !== n) {
      throw new ShapeError(`${fn}: expected row counts that are equal (or 1), got ${fmtShape(first[1].shape)} (${first[0]}) and ${fmtShape(t.shape)} (${name}).`);
    }
    if (rows !== 1) n = rows;
  }
  return [n, d];
}

/** Reads a tensor's values when the backend is synchronous, else null (checks are skipped). */
function values(t: Tensor, fn: string): ArrayLike<number> | null {
  return t.backend.synchronous ? t.readSync(fn) : null;
}

/** Throws a DomainError when some row of `x` is not of unit norm within `tol`. */
export function checkOnSphere(fn: string, name: string, x: Tensor, tol = onSphereTolerance): void {
  const data = values(x, fn);
  if (!data) return;
  const d = x.shape[1]!;
  let worst = 0, at = -1;
  for (let i = 0; i * d < data.length; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += data[i * d + k]! ** 2;
    const e = Math.abs(Math.sqrt(s) - 1);
    if (!(e <= worst)) {
      worst = e;
      at = i;
      if (Number.isNaN(e)) break; // a NaN row is the worst there is: later rows must not hide it
    }
  }
  if (!(worst <= tol)) {
    throw new DomainError(
      `${fn}: expected ${name} on the sphere, got max |‖${name}‖−1| = ${Number.isNaN(worst) ? 'NaN' : fmt(worst)} > ${fmt(tol)} at row ${at}. ` +
      `Call projx(${name}) first.`,
    );
  }
}

/** Throws a DomainError when some row u_i is not tangent at x_i: |⟨x_i, u_i⟩| > tol · max(1, ‖u_i‖). */
export function checkTangent(fn: string, x: Tensor, u: Tensor, uName = 'u', tol = tangentTolerance): void {
  const xs = values(x, fn), us = values(u, fn);
  if (!xs || !us) return;
  const d = x.shape[1]!;
  const n = Math.max(x.shape[0]!, u.shape[0]!);
  const xStep = x.shape[0] === 1 ? 0 : d, uStep = u.shape[0] === 1 ? 0 : d;
  for (let i = 0; i < n; i++) {
    let dot = 0, uu = 0;
    for (let k = 0; k < d; k++) {
      const a = xs[i * xStep + k]!, b = us[i * uStep + k]!;
      dot += a * b;
      uu += b * b;
    }
    if (Math.abs(dot) > tol * Math.max(1, Math.sqrt(uu))) {
      throw new DomainError(
        `${fn}: expected ${uName} tangent at x (⟨x, ${uName}⟩ = 0), got |⟨x, ${uName}⟩| = ${fmt(Math.abs(dot))} at row ${i}. ` +
        `Project it first with proj(x, ${uName}).`,
      );
    }
  }
}

/** Throws a DomainError when some row of `y` is zero (it has no direction to project to). */
export function checkNonzeroRows(fn: string, name: string, y: Tensor): void {
  const data = values(y, fn);
  if (!data) return;
  const d = y.shape[1]!;
  for (let i = 0; i * d < data.length; i++) {
    let nonzero = false;
    for (let k = 0; k < d; k++) {
      const v = data[i * d + k]!;
      if (v - v !== 0) {
        throw new DomainError(`${fn}: expected finite rows of ${name}, got ${v} in row ${i}. A non-finite row has no direction on the sphere.`);
      }
      if (v !== 0) nonzero = true;
    }
    if (!nonzero) throw new DomainError(`${fn}: expected nonzero rows of ${name}, got ‖${name}‖ = 0 at row ${i}. A zero row has no direction on the sphere.`);
  }
}

/** Throws a DomainError when some element of `t` is NaN or ±Infinity (a tangent vector or an ambient direction). */
export function checkFinite(fn: string, name: string, t: Tensor): void {
  const data = values(t, fn);
  if (!data) return;
  const d = t.shape[1]!;
  for (let k = 0; k < data.length; k++) {
    const v = data[k]!;
    if (v - v !== 0) {
      throw new DomainError(`${fn}: expected finite values of ${name}, got ${v} at row ${Math.floor(k / d)}, column ${k % d}. Check how ${name} was computed.`);
    }
  }
}

/**
 * Throws a DomainError when some geodesic distance θ_i (a column [n, 1]) lies within the
 * antipodal tolerance of π: there the logarithm and the geodesic are not unique.
 */
export function checkNotAntipodal(fn: string, theta: Tensor): void {
  const data = values(theta, fn);
  if (!data) return;
  const tol = antipodalTolerance[theta.dtype];
  for (let i = 0; i < data.length; i++) {
    if (Math.PI - data[i]! < tol) {
      throw new DomainError(
        `${fn}: expected y ≠ −x (geodesic distance below π − ${fmt(tol)}), got θ = ${data[i]} at row ${i}: ` +
        'antipodal points are joined by infinitely many geodesics. Perturb y, or step with a retraction instead.',
      );
    }
  }
}
