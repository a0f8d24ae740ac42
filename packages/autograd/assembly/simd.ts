// Shared helpers of the kernels: lane counts, element addressing and the float32 SIMD
// polynomials (exp, log) that the elementwise ops and the fused pairwise passes use.

/** Elements of T in one v128. */
@inline export function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

/** Address of element i of an array of T at p. */
@inline export function at<T>(p: usize, i: i32): usize {
  return p + (<usize>i << alignof<T>());
}

// exp(x) for four float32 lanes: x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split in two parts so r is
// exact), e^r by a degree-6 minimax polynomial, 2^n by building the exponent bits (in two halves
// so that results down to the subnormals and up to FLT_MAX come out right). NaN propagates,
// x > 88.7228 gives +∞, x < −104 gives 0. Within 2 ulp of the correctly rounded value.
export function exp4(x: v128): v128 {
  const xc = f32x4.min(f32x4.max(x, f32x4.splat(-104.0)), f32x4.splat(88.72284));
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(1.44269504)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  const y = f32x4.mul(f32x4.mul(p, s1), s2);
  const big = f32x4.gt(x, f32x4.splat(88.72283));
  const tiny = f32x4.lt(x, f32x4.splat(-104.0));
  return v128.bitselect(f32x4.splat(Infinity), v128.andnot(y, tiny), big);
}

// log(x) for four float32 lanes: x = m·2^e with m in [√½, √2), log(1 + f) for f = m − 1 by the
// degree-9 polynomial of the classic single-precision log, plus e·ln2 in two parts. Subnormal
// inputs are scaled by 2^23 first; log 0 = −∞, log of a negative number is NaN, log ∞ = ∞.
export function log4(x: v128): v128 {
  const sub = f32x4.lt(x, f32x4.splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(8388608.0)), x, sub);
  const bits = xs;
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(127));
  e = i32x4.sub(e, v128.and(sub, i32x4.splat(23)));
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
  const hi = f32x4.gt(m, f32x4.splat(1.41421356));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, hi);
  e = i32x4.sub(e, hi); // a true mask is −1: e + 1
  const ef = f32x4.convert_i32x4_s(e);
  const f = f32x4.sub(m, f32x4.splat(1.0));
  const z = f32x4.mul(f, f);
  let y = f32x4.splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, f), z);
  y = f32x4.add(y, f32x4.mul(ef, f32x4.splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  let r = f32x4.add(f32x4.add(f, y), f32x4.mul(ef, f32x4.splat(0.693359375)));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0.0)));
  r = v128.bitselect(f32x4.splat(NaN), r, f32x4.lt(x, f32x4.splat(0.0)));
  r = v128.bitselect(x, r, v128.or(f32x4.eq(x, f32x4.splat(Infinity)), f32x4.ne(x, x)));
  return r;
}


/**
 * asin of |x| ≤ 1 on the reduced argument: with a = |x|, z = a² (a ≤ ½) or z = (1 − a)/2 and
 * s = √z (a > ½), returns s + s·z·P(z) (the classic single-precision minimax P), so that
 * asin(a) = r (a ≤ ½) or π/2 − 2r (a > ½). `big` is the a > ½ mask.
 */
@inline function asinReduced(a: v128, big: v128): v128 {
  const z = v128.bitselect(f32x4.mul(f32x4.sub(f32x4.splat(1.0), a), f32x4.splat(0.5)), f32x4.mul(a, a), big);
  const s = v128.bitselect(f32x4.sqrt(z), a, big);
  let p = f32x4.splat(4.2163199048e-2);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.4181311049e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(4.5470025998e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(7.4953002686e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.6666752422e-1));
  return f32x4.add(f32x4.mul(f32x4.mul(p, z), s), s);
}

// asin(x) for four float32 lanes (NaN outside [−1, 1]), within 2 ulp.
export function asin4(x: v128): v128 {
  const a = f32x4.abs(x);
  const big = f32x4.gt(a, f32x4.splat(0.5));
  const r = asinReduced(a, big);
  const y = v128.bitselect(f32x4.sub(f32x4.splat(1.57079632679), f32x4.add(r, r)), r, big);
  return v128.or(y, v128.and(x, i32x4.splat(0x80000000))); // the sign of x
}

// acos(x) for four float32 lanes (NaN outside [−1, 1]): 2r for x > ½, π − 2r for x < −½ (no
// cancellation near ±1), π/2 − asin x between, within 2 ulp.
export function acos4(x: v128): v128 {
  const a = f32x4.abs(x);
  const big = f32x4.gt(a, f32x4.splat(0.5));
  const r = asinReduced(a, big);
  const twice = f32x4.add(r, r);
  const neg = f32x4.lt(x, f32x4.splat(0.0));
  const outer = v128.bitselect(f32x4.sub(f32x4.splat(3.14159265359), twice), twice, neg);
  const inner = f32x4.sub(f32x4.splat(1.57079632679), v128.or(r, v128.and(x, i32x4.splat(0x80000000))));
  return v128.bitselect(outer, inner, big);
}

// atan2(y, x) for four float32 lanes, within 3 ulp: with a = min(|x|, |y|), b = max(|x|, |y|),
// t = a/b ∈ [0, 1] or, above tan(π/8), (a − b)/(a + b) + π/4; atan t by the classic single-precision
// odd polynomial; then π/2 − r when |y| > |x|, π − r when x's sign bit is set, and y's sign. Both
// zero (t = 0) and both infinite (t = 1) lanes are mapped before, so the IEEE special values come
// out as Math.atan2's: ±0 or ±π at the origin, ±π/4 or ±3π/4 at infinity, NaN propagates.
export function atan2_4(y: v128, x: v128): v128 {
  const ax = f32x4.abs(x), ay = f32x4.abs(y);
  const swap = f32x4.gt(ay, ax);
  let a = v128.bitselect(ax, ay, swap), b = v128.bitselect(ay, ax, swap);
  const zero = v128.and(f32x4.eq(a, f32x4.splat(0.0)), f32x4.eq(b, f32x4.splat(0.0)));
  const inf = v128.and(f32x4.eq(a, f32x4.splat(Infinity)), f32x4.eq(b, f32x4.splat(Infinity)));
  a = v128.bitselect(f32x4.splat(1.0), v128.andnot(a, zero), inf);
  b = v128.bitselect(f32x4.splat(1.0), b, v128.or(zero, inf));
  const mid = f32x4.gt(a, f32x4.mul(b, f32x4.splat(0.41421356237)));
  const t = v128.bitselect(f32x4.div(f32x4.sub(a, b), f32x4.add(a, b)), f32x4.div(a, b), mid);
  const z = f32x4.mul(t, t);
  let p = f32x4.splat(8.05374449538e-2);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-1.38776856032e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.99777106478e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33329491539e-1));
  p = f32x4.add(f32x4.mul(f32x4.mul(p, z), t), t);
  let r = f32x4.add(p, v128.and(f32x4.splat(0.785398163397), mid));
  r = v128.bitselect(f32x4.sub(f32x4.splat(1.57079632679), r), r, swap);
  r = v128.bitselect(f32x4.sub(f32x4.splat(3.14159265359), r), r, i32x4.shr_s(x, 31));
  return v128.or(v128.and(r, i32x4.splat(0x7fffffff)), v128.and(y, i32x4.splat(0x80000000)));
}

// atan2(y, x) for two float64 lanes, within 2 ulp of Math.atan2 (1 measured): with
// a = min(|x|, |y|), b = max(|x|, |y|), t = a/b ∈ [0, 0.66], or above t = (a − b)/(a + b) ∈
// (−0.21, 0] with π/4 added; atan t = t + t·z·P(z)/Q(z), z = t², by the classic double-precision
// rational minimax (degree 4 over 5; two divisions a lane in all); then π/2 − r when |y| > |x|, π − r when x's sign bit is set (π/2 and π split in
// two parts, so the subtraction keeps the last bits), and y's sign. Both zero and both infinite
// lanes are mapped first, as in atan2_4, so the IEEE special values are Math.atan2's.
export function atan2_2(y: v128, x: v128): v128 {
  const ax = f64x2.abs(x), ay = f64x2.abs(y);
  const swap = f64x2.gt(ay, ax);
  let a = v128.bitselect(ax, ay, swap), b = v128.bitselect(ay, ax, swap);
  const zero = v128.and(f64x2.eq(a, f64x2.splat(0.0)), f64x2.eq(b, f64x2.splat(0.0)));
  const inf = v128.and(f64x2.eq(a, f64x2.splat(Infinity)), f64x2.eq(b, f64x2.splat(Infinity)));
  a = v128.bitselect(f64x2.splat(1.0), v128.andnot(a, zero), inf);
  b = v128.bitselect(f64x2.splat(1.0), b, v128.or(zero, inf));
  // one division for both ranges: t = (a − b)/(a + b) where a > 0.66·b (tested as a/0.66 > b, which
  // stays right for subnormal a and b), else a/b; a + b cannot overflow once both are halved above 2^1022
  const mid = f64x2.gt(f64x2.mul(a, f64x2.splat(1.0 / 0.66)), b);
  const half = v128.bitselect(f64x2.splat(0.5), f64x2.splat(1.0), f64x2.gt(b, f64x2.splat(4.49423283715579e307)));
  const ah = f64x2.mul(a, half), bh = f64x2.mul(b, half);
  const t = f64x2.div(v128.bitselect(f64x2.sub(ah, bh), a, mid), v128.bitselect(f64x2.add(ah, bh), b, mid));
  const z = f64x2.mul(t, t);
  let p = f64x2.splat(-8.750608600031904122785e-1);
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(-1.615753718733365076637e1));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(-7.500855792314704667340e1));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(-1.228866684490136173410e2));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(-6.485021904942025371773e1));
  let q = f64x2.add(z, f64x2.splat(2.485846490142306297962e1));
  q = f64x2.add(f64x2.mul(q, z), f64x2.splat(1.650270098316988542046e2));
  q = f64x2.add(f64x2.mul(q, z), f64x2.splat(4.328810604912902668951e2));
  q = f64x2.add(f64x2.mul(q, z), f64x2.splat(4.853903996359136964868e2));
  q = f64x2.add(f64x2.mul(q, z), f64x2.splat(1.945506571482613964425e2));
  const s = f64x2.add(f64x2.mul(t, f64x2.div(f64x2.mul(z, p), q)), t);
  // r = atan(a/b): π/4 (high part + low part) + s in the mid range, else s
  const quarterLo = v128.and(f64x2.splat(3.061616997868383e-17), mid);
  let r = f64x2.add(f64x2.add(s, quarterLo), v128.and(f64x2.splat(0.7853981633974483), mid));
  // π/2 − r and π − r as (hi − r) + lo
  r = v128.bitselect(f64x2.add(f64x2.sub(f64x2.splat(1.5707963267948966), r), f64x2.splat(6.123233995736766e-17)), r, swap);
  r = v128.bitselect(f64x2.add(f64x2.sub(f64x2.splat(3.141592653589793), r), f64x2.splat(1.2246467991473532e-16)), r, i64x2.shr_s(x, 63));
  return v128.or(v128.and(r, i64x2.splat(0x7fffffffffffffff)), v128.and(y, i64x2.splat(0x8000000000000000)));
}
