import fc from 'fast-check';
import type { Backend } from '../backend/backend.js';
import type { DType } from '../dtype.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { tensor } from '../ops/creation.js';

/** Limits for {@link shapeArb}. */
export interface ShapeConstraints {
  /** Smallest rank (default 0). */
  minRank?: number;
  /** Largest rank (default 3). */
  maxRank?: number;
  /** Smallest dim (default 1; 0 allows empty tensors). */
  minDim?: number;
  /** Largest dim (default 4). */
  maxDim?: number;
}

/** Shapes: arrays of dims with rank and dim sizes in range. */
export function shapeArb(c: ShapeConstraints = {}): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: c.minDim ?? 1, max: c.maxDim ?? 4 }), {
    minLength: c.minRank ?? 0,
    maxLength: c.maxRank ?? 3,
  });
}

/**
 * Pairs of shapes that broadcast together (NumPy rules): an output shape, with each operand
 * dropping some leading dims and setting some dims to 1.
 */
export function broadcastShapesArb(c: ShapeConstraints = {}): fc.Arbitrary<[number[], number[]]> {
  return shapeArb(c).chain((out) => {
    const operand = fc
      .tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
      .map(([drop, ones]) => out.map((s, i) => (ones[i] ? 1 : s)).slice(drop));
    return fc.tuple(operand, operand);
  });
}

/** Options of {@link tensorArb}. */
export interface TensorConstraints {
  /** Smallest value (default −2). */
  min?: number;
  /** Largest value (default 2). */
  max?: number;
  /** Element type (default float64). */
  dtype?: DType;
  /** Backend (default the current one). */
  backend?: Backend;
  /** Keep every |value| at least this far from 0 (for division, log…); default 0. */
  awayFromZero?: number;
}

/** Tensors of a given shape (or of shapes from an arbitrary) with finite values in range. */
export function tensorArb(shape: readonly number[] | fc.Arbitrary<number[]>, c: TensorConstraints = {}): fc.Arbitrary<Tensor> {
  const shapes = Array.isArray(shape) ? fc.constant(shape.slice()) : (shape as fc.Arbitrary<number[]>);
  const lo = c.min ?? -2, hi = c.max ?? 2, away = c.awayFromZero ?? 0;
  const value = fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true })
    .filter((v) => Math.abs(v) >= away);
  return shapes.chain((sh) =>
    fc.array(value, { minLength: sizeOf(sh), maxLength: sizeOf(sh) })
      .map((data) => tensor(data, { shape: sh, dtype: c.dtype ?? 'float64', ...(c.backend ? { backend: c.backend } : {}) })),
  );
}

/** Options of {@link unitRowsArb}. */
export interface UnitRowsConstraints {
  /** Rows (a number or a range; default 2..8). */
  n?: number | { min: number; max: number };
  /** Columns, the ambient dimension (default 2..6). */
  d?: number | { min: number; max: number };
  /** Element type (default float64). */
  dtype?: DType;
  /** Backend (default the current one). */
  backend?: Backend;
}

/** An integer arbitrary from a fixed number or a range. */
function sizeArb(v: number | { min: number; max: number } | undefined, dflt: { min: number; max: number }): fc.Arbitrary<number> {
  return typeof v === 'number' ? fc.constant(v) : fc.integer(v ?? dflt);
}

/**
 * n × d matrices whose rows lie on the unit sphere S^{d−1}: Gaussian rows (norm ≥ 0.1 before
 * normalising, so directions are well spread), each divided by its norm in float64.
 */
export function unitRowsArb(c: UnitRowsConstraints = {}): fc.Arbitrary<Tensor> {
  return fc.tuple(sizeArb(c.n, { min: 2, max: 8 }), sizeArb(c.d, { min: 2, max: 6 })).chain(([n, d]) =>
    fc.array(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d, maxLength: d })
      .filter((row) => Math.hypot(...row) >= 0.1), { minLength: n, maxLength: n })
      .map((rows) => {
        const data = rows.flatMap((row) => {
          const r = Math.hypot(...row);
          return row.map((v) => v / r);
        });
        return tensor(data, { shape: [n, d], dtype: c.dtype ?? 'float64', ...(c.backend ? { backend: c.backend } : {}) });
      }),
  );
}
