/**
 * Numerical constants of docs/math.md §2, in one place.
 */

/**
 * Default ε of `clampc(c) = min(max(c, −1 + ε), 1 − ε)` (docs/math.md §2). It keeps `acos` and its
 * gradient `−1/√(1 − c²)` finite at c = ±1, and it sits inside the Laplace/Riesz euclidean chord
 * `e = √(max(2 − 2c, 0) + ε)` so that the chord's gradient stays finite when two points meet.
 */
export const CLAMP_EPS = 1e-7;

/** Default KoLeo ε added outside the chord: `−log(min_j e_ij + ε)` (docs/math.md §2.5). */
export const KOLEO_EPS = 1e-8;

/**
 * Largest allowed `max_i |‖x_i‖ − 1|` per dtype before a regularizer rejects X as "not on the
 * sphere". Loose enough for central differences (gradcheck moves one coordinate by 1e-6) and for
 * float32 rounding after many optimizer steps; tight enough to catch un-normalised input.
 */
export const SPHERE_TOL = { float64: 1e-5, float32: 1e-4 } as const;

/** Tolerance for explicit slice planes: |‖p‖ − 1|, |‖q‖ − 1| and |p · q| must stay below it. */
export const PLANE_TOL = 1e-4;

/** The largest finite number of each dtype (float32: (2 − 2^−23)·2^127, float64: Number.MAX_VALUE). */
export const LARGEST_FINITE = { float32: 3.4028234663852886e38, float64: Number.MAX_VALUE } as const;
