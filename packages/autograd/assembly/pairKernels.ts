// The kernels k(c) of the fused pairwise sum and their derivatives k′(c) = dk/dc as reverse mode
// gives them for the composed graph (clamps pass the gradient only inside their range), applied
// to a B × B tile of cosines: a float64 scalar pass (float64 inputs), a float32 SIMD pass.
import { acos4, at, exp4, log4 } from './simd';

/** Block edge of the pairwise sweeps, rows (a multiple of MR and of NR for both dtypes). */
export const B: i32 = 64;

/** k′ of the last {@link kernelAt} call. */
let kPrime: f64 = 0;

/**
 * k(c) for kernel kind (0 gaussian, 1 laplace, 2 riesz, 3 identity) of distance (0 angle,
 * 1 chord, 2 chordAuthors, 3 chordSquared); sets kPrime = dk/dc as reverse mode gives it.
 */
@inline export function kernelAt(kind: i32, dist: i32, gamma: f64, s: f64, eps: f64, c: f64): f64 {
  let r: f64, dr: f64;
  if (dist == 0) {
    const lo = -1 + eps, hi = 1 - eps;
    const cc = c < lo ? lo : c > hi ? hi : c;
    r = Math.acos(cc);
    dr = c >= lo && c <= hi ? -1 / Math.sqrt(1 - cc * cc) : 0;
  } else if (dist == 1) {
    const u = 2 - 2 * c;
    r = Math.sqrt((u > 0 ? u : 0) + eps);
    dr = u >= 0 ? -1 / r : 0;
  } else if (dist == 2) {
    r = Math.sqrt(2 - c);
    dr = -1 / (2 * r);
  } else {
    r = 2 - 2 * c;
    dr = -2;
  }
  let k: f64, dk: f64;
  if (kind == 0) {
    k = Math.exp(-gamma * r * r);
    dk = -2 * gamma * r * k;
  } else if (kind == 1) {
    k = Math.exp(-gamma * r);
    dk = -gamma * k;
  } else if (kind == 2) {
    if (s == 0) {
      k = -Math.log(r);
      dk = -1 / r;
    } else {
      const sign: f64 = s > 0 ? 1 : -1;
      const p = Math.pow(r, -s - 1);
      k = sign * p * r;
      dk = -sign * s * p;
    }
  } else {
    k = r;
    dk = 1;
  }
  kPrime = dk * dr;
  return k;
}

/** True when the float32 SIMD pass covers the kernel (every one). */
@inline export function simdKernel(dist: i32): bool {
  return dist >= 0 && dist <= 3;
}

/**
 * The float32 SIMD kernel pass (distances 0 angle, 1 chord, 2 chordAuthors, 3 chordSquared):
 * r, r′ and k, k′ four lanes at a time with the acos/exp/log polynomials, k summed
 * in float64. Writes k′ (0 outside i < j < n) to w; returns Σ k over the valid pairs.
 */
@inline export function simdTile(c: usize, w: usize, kind: i32, dist: i32, gamma: f64, s: f64, eps: f64, i0: i32, j0: i32, n: i32): f64 {
  const zero = f32x4.splat(0), one = f32x4.splat(1), two = f32x4.splat(2);
  const g = f32x4.splat(<f32>gamma), sv = f32x4.splat(<f32>s), e = f32x4.splat(<f32>eps);
  const sign = f32x4.splat(s > 0 ? 1 : -1);
  const lo = f32x4.splat(<f32>(-1 + eps)), hi = f32x4.splat(<f32>(1 - eps));
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  const lane = i32x4(0, 1, 2, 3);
  for (let rr = 0; rr < B; rr++) {
    const i = i0 + rr;
    const row = at<f32>(c, rr * B), wr = at<f32>(w, rr * B);
    for (let q = 0; q < B; q += 4) {
      const j = i32x4.add(i32x4.splat(j0 + q), lane);
      const valid = v128.and(i32x4.gt_s(j, i32x4.splat(i)), i32x4.lt_s(j, i32x4.splat(n)));
      const cv = v128.load(at<f32>(row, q));
      let r: v128, dr: v128;
      if (dist == 0) {
        const inside = v128.and(f32x4.ge(cv, lo), f32x4.le(cv, hi));
        const cc = f32x4.min(f32x4.max(cv, lo), hi);
        r = acos4(cc);
        // 1 − c² as (1 − c)(1 + c): no cancellation near the clamp
        dr = v128.and(f32x4.div(f32x4.neg(one), f32x4.sqrt(f32x4.mul(f32x4.sub(one, cc), f32x4.add(one, cc)))), inside);
      } else if (dist == 1) {
        const u = f32x4.sub(two, f32x4.mul(two, cv));
        r = f32x4.sqrt(f32x4.add(f32x4.max(u, zero), e));
        dr = v128.and(f32x4.div(f32x4.neg(one), r), f32x4.ge(u, zero));
      } else if (dist == 2) {
        r = f32x4.sqrt(f32x4.sub(two, cv));
        dr = f32x4.div(f32x4.splat(-0.5), r);
      } else {
        r = f32x4.sub(two, f32x4.mul(two, cv));
        dr = f32x4.splat(-2);
      }
      let k: v128, dk: v128;
      if (kind == 0) {
        k = exp4(f32x4.neg(f32x4.mul(g, f32x4.mul(r, r))));
        dk = f32x4.mul(f32x4.mul(f32x4.splat(-2), g), f32x4.mul(r, k));
      } else if (kind == 1) {
        k = exp4(f32x4.neg(f32x4.mul(g, r)));
        dk = f32x4.neg(f32x4.mul(g, k));
      } else if (kind == 2) {
        const lr = log4(r);
        if (s == 0) {
          k = f32x4.neg(lr);
          dk = f32x4.div(f32x4.neg(one), r);
        } else {
          const p = exp4(f32x4.mul(f32x4.sub(f32x4.neg(sv), one), lr)); // r^(−s−1)
          k = f32x4.mul(sign, f32x4.mul(p, r));
          dk = f32x4.neg(f32x4.mul(sign, f32x4.mul(sv, p)));
        }
      } else {
        k = r;
        dk = one;
      }
      k = v128.and(k, valid);
      v128.store(at<f32>(wr, q), v128.and(f32x4.mul(dk, dr), valid));
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(k));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(k, k, 2, 3, 0, 1)));
    }
  }
  const t = f64x2.add(s0, s1);
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}

/** The scalar kernel pass (float64 kernel of each cosine). Returns Σ k over the valid pairs. */
@inline export function kernelTile<T>(c: usize, w: usize, kind: i32, dist: i32, gamma: f64, s: f64, eps: f64, i0: i32, j0: i32, n: i32): f64 {
  let sum: f64 = 0;
  for (let r = 0; r < B; r++) {
    const i = i0 + r;
    for (let q = 0; q < B; q++) {
      const j = j0 + q;
      let kp: f64 = 0;
      if (j > i && j < n) {
        sum += kernelAt(kind, dist, gamma, s, eps, <f64>load<T>(at<T>(c, r * B + q)));
        kp = kPrime;
      }
      store<T>(at<T>(w, r * B + q), <T>kp);
    }
  }
  return sum;
}

