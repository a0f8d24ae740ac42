import { ShapeError, fmtShape } from './errors.js';

/** Number of elements of a shape (1 for a scalar `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Row-major (C order) strides of a contiguous shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** True when two shapes are equal element by element. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * NumPy broadcasting: align trailing dims; each pair must be equal or contain a 1.
 * Throws a ShapeError naming `op` and both shapes otherwise.
 */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: expected broadcast-compatible shapes, got ${fmtShape(a)} and ${fmtShape(b)} (dim ${i - rank}: ${da} vs ${db}).`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides that read a contiguous tensor of `shape` as if broadcast to `outShape`
 * (stride 0 on broadcast dims, leading dims added).
 */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const src = stridesOf(shape);
  const off = outShape.length - shape.length;
  return outShape.map((_, i) => (i < off || shape[i - off] === 1 ? 0 : src[i - off]!));
}

/** Normalises a possibly negative axis for a tensor of rank `rank`; throws a ShapeError naming `op`. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    throw new ShapeError(`${op}: expected an axis in [${-rank}, ${rank - 1}], got ${axis} for a rank-${rank} tensor.`);
  }
  return a;
}

/** Splits a shape around `axis` into `[outer, len, inner]` sizes (the layout reductions and gathers use). */
export function splitAt(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

/**
 * The most elements one tensor may have: the longest typed array JavaScript engines allocate
 * (2^32 − 1 in V8). Larger requested shapes throw a ShapeError before any allocation.
 */
export const maxTensorElements = 2 ** 32 - 1;

/**
 * The most values one random draw may hold: a sampler's n × d points, or a regularizer's samples or
 * slices together with their n-wide intermediates. 2^28 values are 2 GiB in float64, more than any
 * experiment needs and less than a typical machine can hold; a larger request (a typo such as
 * `samples: 1e9`) is refused up front with an OptionError naming the option, instead of allocating
 * until memory runs out.
 */
export const maxDrawElements = 2 ** 28;

/** Checks a requested shape: an array of non-negative integers with at most {@link maxTensorElements} elements in all. */
export function checkShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) {
    const got = shape === null ? 'null' : typeof shape === 'string' ? `the string '${shape as string}'` : typeof shape;
    throw new ShapeError(`${op}: expected a shape, an array of non-negative integers such as [2, 3], got ${got}.`);
  }
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) {
      throw new ShapeError(`${op}: expected a shape of non-negative integers, got [${shape.map(String).join(',')}].`);
    }
  }
  const size = sizeOf(shape);
  if (size > maxTensorElements) {
    throw new ShapeError(`${op}: expected at most ${maxTensorElements} elements (the longest array that can be allocated), got ${fmtShape(shape)} = ${size} elements. Use a smaller shape or split the work.`);
  }
}
