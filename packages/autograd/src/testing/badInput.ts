import fc from 'fast-check';
import type { DType } from '../dtype.js';
import { KeepdistError } from '../errors.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { tensor } from '../ops/creation.js';

/**
 * Numbers that break naive numerics: NaN, ±∞, ±0, ±1e±300, the smallest normal and subnormal
 * doubles, ±1, and ordinary doubles in [−2, 2].
 */
export function extremeNumberArb(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e300, -1e300, 1e-300, -1e-300, 2.2250738585072014e-308, 5e-324, -5e-324, 1, -1),
    fc.double({ min: -2, max: 2, noNaN: true }),
  );
}

/**
 * Finite numbers of every size: ±0, ±1e±300, subnormals, and ordinary doubles (no NaN or ∞), for
 * properties that demand finite results from finite inputs.
 */
export function finiteExtremeNumberArb(): fc.Arbitrary<number> {
  return extremeNumberArb().filter((v) => Number.isFinite(v));
}

/** Options of {@link extremeTensorArb}. */
export interface ExtremeTensorConstraints {
  /** Shapes (default rank 0–3, dims 0–3: empty, one-element and degenerate tensors). */
  shape?: fc.Arbitrary<number[]>;
  /** Element values (default {@link extremeNumberArb}). */
  values?: fc.Arbitrary<number>;
  /** dtypes drawn from (default both). */
  dtypes?: readonly DType[];
}

/** Tensors with extreme shapes, dtypes and values (see {@link ExtremeTensorConstraints}). */
export function extremeTensorArb(c: ExtremeTensorConstraints = {}): fc.Arbitrary<Tensor> {
  const shapes = c.shape ?? fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 3 });
  const values = c.values ?? extremeNumberArb();
  return fc.tuple(shapes, fc.constantFrom(...(c.dtypes ?? (['float32', 'float64'] as const)))).chain(([sh, dtype]) =>
    fc.array(values, { minLength: sizeOf(sh), maxLength: sizeOf(sh) }).map((data) => tensor(data, { shape: sh, dtype })),
  );
}

/**
 * Values of the wrong type or range for an argument or an option: null, undefined, strings,
 * booleans, objects, arrays (empty, mixed), a function, and odd numbers (NaN, ±∞, −1, 1.5, 1e9).
 */
export function wrongValueArb(): fc.Arbitrary<unknown> {
  return fc.constantFrom<unknown>(null, undefined, '', 'x', '3', true, false, {}, [], [1, 'a'], [[1], [2, 3]], () => 1, NaN,
    Infinity, -Infinity, -1, 0, 1.5, 1e9, -0);
}

/**
 * Runs `call` and checks the bad-input contract of a public function `fn`: it either returns (the
 * value is handed back for further checks) or throws a KeepdistError whose message starts with
 * `fn` — never a TypeError or RangeError from inside. Throws an Error describing the violation.
 * @returns `{ ok: true, value }` when the call returned, `{ ok: false }` when it threw as it should
 */
export function expectKeepdistOutcome<T>(fn: string, call: () => T): { ok: true; value: T } | { ok: false } {
  let value: T;
  try {
    value = call();
  } catch (err) {
    if (!(err instanceof KeepdistError)) {
      throw new Error(`${fn}: expected a KeepdistError naming ${fn}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    }
    if (!err.message.startsWith(fn)) throw new Error(`${fn}: expected an error message starting with '${fn}', got '${err.message}'`);
    return { ok: false };
  }
  return { ok: true, value };
}

/** True when every element of the tensor (read synchronously) is finite. */
export function allFinite(t: Tensor): boolean {
  const data = t.dataSync();
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return false;
  return true;
}
