import type { DType } from '../dtype.js';

/**
 * The project's tolerances, in one place (STYLE.md): golden vectors are compared with
 * max|a − b| ≤ rtol · max|b| per array, and absolute `zeroAtol` where the reference is all zeros.
 */
export const tolerances: Readonly<Record<DType, { rtol: number; zeroAtol: number }>> = {
  float64: { rtol: 1e-9, zeroAtol: 1e-12 },
  float32: { rtol: 1e-4, zeroAtol: 1e-6 },
};

/** Result of {@link compareArrays}. */
export interface CloseReport {
  /** True when within tolerance. */
  ok: boolean;
  /** max |a − b|. */
  maxAbsError: number;
  /** The allowed error: rtol · max|b| (or the absolute tolerance for an all-zero reference). */
  allowed: number;
  /** Flat index of the largest difference. */
  worstIndex: number;
}

/** Flattens nested arrays of numbers. */
export function flat(x: ArrayLike<number> | readonly unknown[] | number): number[] {
  if (typeof x === 'number') return [x];
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'number') out.push(v);
    else for (const e of Array.from(v as ArrayLike<unknown>)) walk(e);
  };
  walk(x);
  return out;
}

/**
 * Compares `actual` with the reference `expected` the golden way: max|a − b| ≤ rtol · max|b|, or
 * ≤ atol when the reference is all zeros. Shapes are compared by flattened length; NaN fails.
 */
export function compareArrays(actual: ArrayLike<number> | readonly unknown[] | number,
  expected: ArrayLike<number> | readonly unknown[] | number, rtol: number, zeroAtol: number): CloseReport {
  const a = flat(actual), b = flat(expected);
  if (a.length !== b.length) return { ok: false, maxAbsError: Infinity, allowed: 0, worstIndex: -1 };
  let maxAbsError = 0, worstIndex = -1, scale = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i]! - b[i]!);
    if (!(e <= maxAbsError)) {
      maxAbsError = Number.isNaN(e) ? Infinity : e;
      worstIndex = i;
    }
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  const allowed = scale === 0 ? zeroAtol : rtol * scale;
  return { ok: maxAbsError <= allowed, maxAbsError, allowed, worstIndex };
}

/**
 * Throws a readable Error when `actual` is not close to `expected` by {@link compareArrays} with
 * the tolerances of `dtype` (or explicit ones). `what` names the compared quantity.
 */
export function assertClose(what: string, actual: ArrayLike<number> | readonly unknown[] | number,
  expected: ArrayLike<number> | readonly unknown[] | number, dtype: DType | { rtol: number; zeroAtol?: number } = 'float64'): void {
  const tol = typeof dtype === 'string' ? tolerances[dtype] : { rtol: dtype.rtol, zeroAtol: dtype.zeroAtol ?? dtype.rtol };
  const r = compareArrays(actual, expected, tol.rtol, tol.zeroAtol);
  if (!r.ok) {
    const a = flat(actual), b = flat(expected);
    const at = r.worstIndex;
    throw new Error(
      a.length !== b.length
        ? `${what}: expected ${b.length} values, got ${a.length}.`
        : `${what}: max |a − b| = ${r.maxAbsError.toExponential(3)} > allowed ${r.allowed.toExponential(3)} ` +
          `(worst at flat index ${at}: got ${a[at]}, expected ${b[at]}).`,
    );
  }
}
