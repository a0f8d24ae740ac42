/** Element types a tensor can hold. float64 is what gradient checks use. */
export type DType = 'float32' | 'float64';

/** The flat storage arrays of the cpu backend. */
export type TypedArray = Float32Array | Float64Array;

/** Allocates a zeroed typed array of `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** The dtype whose typed array is `data`. */
export function dtypeOf(data: TypedArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/**
 * Machine epsilon per dtype (spacing of numbers next to 1): 2^-23 for float32, 2^-52 for float64.
 * The one place per-dtype numerical constants live.
 */
export const machineEps: Readonly<Record<DType, number>> = {
  float32: 2 ** -23,
  float64: 2 ** -52,
};

/**
 * The range of max_i |x_i| in which `norm` sums the squares directly: inside it no square over- or
 * underflows (float64: 2^±450, float32: 2^±50, leaving room for the sum of up to 2^28 terms). Outside
 * it `norm` divides by max |x_i| first (as hypot does), so [1e200, 1e200] has norm 1.41e200, not ∞.
 */
export const normDirectRange: Readonly<Record<DType, readonly [lo: number, hi: number]>> = {
  float32: [2 ** -50, 2 ** 50],
  float64: [2 ** -450, 2 ** 450],
};
