// sin and cos of four float32 lanes. Each half of the vector is widened to f64x2: x = k·π/2 + r
// with k = nearest(x·2/π) and r = (x − k·P1) − k·P2 (π/2 split so that k·P1 is exact for
// |k| < 2^20), |r| ≤ π/4; sin r and cos r by their Taylor polynomials to r^11 and r^12 (truncation
// below 2e-9, far under half a float32 ulp); the quadrant k mod 4 picks ±sin r or ±cos r; one
// rounding to float32 at the end. |x| ≥ TRIG_MAX lanes (rare) go through float64 Math instead.
// −0 stays −0 for sin, NaN and ±∞ give NaN, as Math.sin and Math.cos.

/** Inputs at and beyond this magnitude take the scalar path (the reduction above is exact below it). */
const TRIG_MAX: f32 = 1.0e5;
/** High part of π/2 (33 significant bits) and the rest. */
const PIO2_HI: f64 = 1.5707963267341256;
const PIO2_LO: f64 = 6.077100506506192e-11;

/** sin r of two f64 lanes, |r| ≤ π/4: r + r·z·(−1/3! + z(1/5! + z(−1/7! + z(1/9! − z/11!)))), z = r². */
@inline function sinReduced(r: v128, z: v128): v128 {
  let s = f64x2.splat(-2.505210838544172e-8);
  s = f64x2.add(f64x2.mul(s, z), f64x2.splat(2.7557319223985893e-6));
  s = f64x2.add(f64x2.mul(s, z), f64x2.splat(-1.984126984126984e-4));
  s = f64x2.add(f64x2.mul(s, z), f64x2.splat(8.333333333333333e-3));
  s = f64x2.add(f64x2.mul(s, z), f64x2.splat(-1.6666666666666666e-1));
  return f64x2.add(r, f64x2.mul(f64x2.mul(r, z), s));
}

/** cos r of two f64 lanes, |r| ≤ π/4: 1 + z(−1/2 + z(1/4! + z(−1/6! + z(1/8! + z(−1/10! + z/12!))))), z = r². */
@inline function cosReduced(z: v128): v128 {
  let c = f64x2.splat(2.08767569878681e-9);
  c = f64x2.add(f64x2.mul(c, z), f64x2.splat(-2.755731922398589e-7));
  c = f64x2.add(f64x2.mul(c, z), f64x2.splat(2.48015873015873e-5));
  c = f64x2.add(f64x2.mul(c, z), f64x2.splat(-1.388888888888889e-3));
  c = f64x2.add(f64x2.mul(c, z), f64x2.splat(4.1666666666666664e-2));
  c = f64x2.add(f64x2.mul(c, z), f64x2.splat(-0.5));
  return f64x2.add(f64x2.mul(c, z), f64x2.splat(1.0));
}

/** sin (wantCos false) or cos of two f64 lanes holding float32 values with |x| < TRIG_MAX. */
@inline function sinOrCos2(x: v128, wantCos: bool): v128 {
  const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(0.6366197723675814)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(PIO2_HI))), f64x2.mul(k, f64x2.splat(PIO2_LO)));
  const q = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const z = f64x2.mul(r, r);
  const sr = sinReduced(r, z), cr = cosReduced(z);
  // sin x = [s, c, −s, −c][q mod 4], cos x = sin(x + π/2) = [c, −s, −c, s][q mod 4]
  const quarter = wantCos ? i64x2.add(q, i64x2.splat(1)) : q;
  const odd = i64x2.ne(v128.and(quarter, i64x2.splat(1)), i64x2.splat(0));
  const neg = i64x2.ne(v128.and(quarter, i64x2.splat(2)), i64x2.splat(0));
  const v = v128.bitselect(cr, sr, odd);
  return v128.xor(v, v128.and(neg, i64x2.splat(0x8000000000000000)));
}

/** sin or cos of one float32 by float64 Math, rounded once. */
@inline function scalarSinOrCos(v: f32, wantCos: bool): f32 {
  return <f32>(wantCos ? Math.cos(<f64>v) : Math.sin(<f64>v));
}

/** sin (wantCos false) or cos of four float32 lanes. */
@inline function sinOrCos4(x: v128, wantCos: bool): v128 {
  if (v128.any_true(f32x4.ge(f32x4.abs(x), f32x4.splat(TRIG_MAX)))) {
    return f32x4(
      scalarSinOrCos(f32x4.extract_lane(x, 0), wantCos), scalarSinOrCos(f32x4.extract_lane(x, 1), wantCos),
      scalarSinOrCos(f32x4.extract_lane(x, 2), wantCos), scalarSinOrCos(f32x4.extract_lane(x, 3), wantCos),
    );
  }
  const lo = sinOrCos2(f64x2.promote_low_f32x4(x), wantCos);
  const hi = sinOrCos2(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1)), wantCos);
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** sin of four float32 lanes, within 1 ulp of the correctly rounded value. */
export function sin4(x: v128): v128 {
  return sinOrCos4(x, false);
}

/** cos of four float32 lanes, within 1 ulp of the correctly rounded value. */
export function cos4(x: v128): v128 {
  return sinOrCos4(x, true);
}
