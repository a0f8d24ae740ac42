// The Riemannian optimizers' fused row updates on the product of spheres (RiemannianAdam and
// RiemannianSGD of @keepdist/sphere), in place on the heap: rows [r0, r1) of the parameter, its
// gradient and its state are read, the new point and state are written to separate output blocks
// (or, for the optimizers' own steps, written back in place: every row is read before it is
// written). Every row works in float64, two lanes at a time (f64x2; float32 rows are widened on
// load and rounded once on store), on scratch rows of length d rounded up to even: the formulas of
// the host loops in packages/sphere/src/optim/fusedRowUpdate.ts in four or five passes over the
// row, with sums taken over even and odd k separately and the dot products that follow a
// normalisation taken before it (⟨y/r, v⟩ = ⟨y, v⟩/r), so results agree with the host's to
// rounding, not bit for bit. Parameters
// come in a float64 block (addresses and coefficients, layout below) so that worker threads take
// the same five arguments; each part writes its status (code, flat index, value) to `status`:
// code 0 = done, 1 = let the composed path run (a negative second moment, an overflowing SGD
// norm), 2 = the weight-decayed gradient ∇ + λ·x overflowed at the index, with the value.

import { at, lanes } from './simd';

// parameter block slots (float64)
const X = 0, G = 1, M = 2, V = 3, VMAX_IN = 4, X_OUT = 5, M_OUT = 6, V_OUT = 7, VMAX_OUT = 8;
const D = 10, BETA1 = 11, BETA2 = 12, EPS = 13, NEG_LR = 14, BC1 = 15, BC2 = 16, DECAY = 17, LIMIT = 18;
const FLAGS = 19, THRESHOLD = 20, C1 = 21, C2 = 22;
// flag bits (the parameter block's FLAGS slot)
const EXPMAP = 1, STABILIZE = 2, AMSGRAD = 4, MOMENTUM = 8, NESTEROV = 16;

@inline function param(p: usize, slot: i32): f64 {
  return load<f64>(p + (<usize>slot << 3));
}
@inline function addr(p: usize, slot: i32): usize {
  return <usize>param(p, slot);
}
@inline function ld<T>(base: usize, i: i32): f64 {
  return <f64>load<T>(base + (<usize>i << alignof<T>()));
}
@inline function st<T>(base: usize, i: i32, v: f64): void {
  store<T>(base + (<usize>i << alignof<T>()), <T>v);
}

/** Elements i, i + 1 of an array of T as float64 lanes (only i, high lane 0, unless `full`). */
@inline function ldv<T>(base: usize, i: i32, full: bool): v128 {
  const a = base + (<usize>i << alignof<T>());
  if (sizeof<T>() == 8) return full ? v128.load(a) : v128.load64_zero(a);
  return f64x2.promote_low_f32x4(full ? v128.load64_zero(a) : v128.load32_zero(a));
}
/** Stores the lanes of v to elements i, i + 1 (only i unless `full`), rounded to T. */
@inline function stv<T>(base: usize, i: i32, v: v128, full: bool): void {
  const a = base + (<usize>i << alignof<T>());
  if (sizeof<T>() == 8) {
    if (full) v128.store(a, v);
    else v128.store64_lane(a, v, 0);
  } else {
    const w = f32x4.demote_f64x2_zero(v);
    if (full) v128.store64_lane(a, w, 0);
    else v128.store32_lane(a, w, 0);
  }
}
/** A float64 scratch row's lanes at k (rows are padded to even length). */
@inline function lds(row: usize, k: i32): v128 {
  return v128.load(row + (<usize>k << 3));
}
@inline function sts(row: usize, k: i32, v: v128): void {
  v128.store(row + (<usize>k << 3), v);
}
@inline function splat(v: f64): v128 {
  return f64x2.splat(v);
}
/** Σ of both lanes. */
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}
/** Adds the lanes of v that hold elements to a sum kept as (lanes, tail). */
@inline function accumulate(acc: v128, v: v128, full: bool): v128 {
  return full ? f64x2.add(acc, v) : f64x2.add(acc, f64x2.replace_lane(v, 1, 0));
}

@inline function setStatus(status: usize, code: f64, index: f64, value: f64): void {
  store<f64>(status, code);
  store<f64>(status, index, 8);
  store<f64>(status, value, 16);
}

/** e = ∇ + λ x at k (e = ∇ when λ = 0). */
@inline function decayed<T>(x: usize, gs: usize, o: i32, k: i32, decay: f64, full: bool): v128 {
  const g = ldv<T>(gs, o + k, full);
  return decay == 0 ? g : f64x2.add(g, f64x2.mul(ldv<T>(x, o + k, full), splat(decay)));
}

/**
 * ⟨x, e⟩ of row o with e = ∇ + λ x; NaN after setting the overflow status when some e is beyond
 * `limit` (the first such index, as the host loop finds it).
 */
@inline function decayedDot<T>(x: usize, gs: usize, o: i32, d: i32, decay: f64, limit: f64, status: usize): f64 {
  let acc = splat(0);
  if (decay != 0) {
    for (let k = 0; k < d; k++) {
      const e = ld<T>(gs, o + k) + ld<T>(x, o + k) * decay;
      if (!(Math.abs(e) <= limit)) {
        setStatus(status, 2, <f64>(o + k), e > 0 ? Infinity : e < 0 ? -Infinity : e);
        return NaN;
      }
    }
  }
  for (let k = 0; k < d; k += 2) {
    const full = k + 1 < d;
    acc = accumulate(acc, f64x2.mul(ldv<T>(x, o + k, full), decayed<T>(x, gs, o, k, decay, full)), full);
  }
  return hsum(acc);
}

/**
 * y = R̃(x_i, u) before its normalisation, u = uScale · urow (expmap: x + (sinc θ · u − 2 sin²(θ/2) · x),
 * θ = √tt; retr: x + u), into the scratch row y; returns ‖y‖² and sets ⟨y, v⟩ (0 without v) in `yv`.
 */
@inline function retractRow<T>(expmap: bool, x: usize, o: i32, urow: usize, uScale: f64, tt: f64, y: usize, v: usize, d: i32,
  threshold: f64, yv: usize): f64 {
  let sinc: f64 = 1, twoS2: f64 = 0;
  if (expmap) {
    const theta = Math.sqrt(tt);
    if (theta < threshold) {
      const t2 = theta * theta;
      sinc = 1 + t2 * (-1.0 / 6 + t2 * (1.0 / 120 + t2 * (-1.0 / 5040)));
    } else {
      sinc = Math.sin(theta) / theta;
    }
    const s = Math.sin(theta * 0.5);
    twoS2 = s * s * 2;
  }
  let acc = splat(0), dacc = splat(0);
  const us = splat(uScale);
  for (let k = 0; k < d; k += 2) {
    const full = k + 1 < d;
    const xk = ldv<T>(x, o + k, full);
    const uk = f64x2.mul(lds(urow, k), us);
    const yk = expmap
      ? f64x2.add(xk, f64x2.sub(f64x2.mul(splat(sinc), uk), f64x2.mul(splat(twoS2), xk)))
      : f64x2.add(xk, uk);
    sts(y, k, yk);
    acc = accumulate(acc, f64x2.mul(yk, yk), full);
    if (v) dacc = accumulate(dacc, f64x2.mul(yk, lds(v, k)), full);
  }
  store<f64>(yv, hsum(dacc));
  return hsum(acc);
}

/**
 * Finishes row o from y (unnormalised, ‖y‖² = rr) and ⟨y, v⟩ = yv: y ← y/‖y‖, v ← v − ⟨y, v⟩ y
 * (the transport), then with `stabilize` y ← y/‖y‖ and v ← v − ⟨y, v⟩ y again; stores y into
 * row o of xOut and v (when there is one) into row o of vOut.
 */
@inline function finishRow<T>(y: usize, rr: f64, yv: f64, v: usize, stabilize: bool, xOut: usize, vOut: usize, o: i32, d: i32): void {
  const r = Math.sqrt(rr);
  const rv = splat(r), dv = splat(yv / r);
  if (!stabilize) {
    for (let k = 0; k < d; k += 2) {
      const full = k + 1 < d;
      const yk = f64x2.div(lds(y, k), rv);
      stv<T>(xOut, o + k, yk, full);
      if (v) stv<T>(vOut, o + k, f64x2.sub(lds(v, k), f64x2.mul(dv, yk)), full);
    }
    return;
  }
  let acc = splat(0), dacc = splat(0);
  for (let k = 0; k < d; k += 2) {
    const full = k + 1 < d;
    const yk = f64x2.div(lds(y, k), rv);
    sts(y, k, yk);
    acc = accumulate(acc, f64x2.mul(yk, yk), full);
    if (v) {
      const vk = f64x2.sub(lds(v, k), f64x2.mul(dv, yk));
      sts(v, k, vk);
      dacc = accumulate(dacc, f64x2.mul(yk, vk), full);
    }
  }
  const r2 = Math.sqrt(hsum(acc));
  const rv2 = splat(r2), dv2 = splat(hsum(dacc) / r2);
  for (let k = 0; k < d; k += 2) {
    const full = k + 1 < d;
    const yk = f64x2.div(lds(y, k), rv2);
    stv<T>(xOut, o + k, yk, full);
    if (v) stv<T>(vOut, o + k, f64x2.sub(lds(v, k), f64x2.mul(dv2, yk)), full);
  }
}

@inline function adamRowsAll<T>(p: usize, r0: i32, r1: i32, scratch: usize, status: usize): void {
  const x = addr(p, X), gs = addr(p, G), ms = addr(p, M), vs = addr(p, V), vMaxIn = addr(p, VMAX_IN);
  const xOut = addr(p, X_OUT), mOut = addr(p, M_OUT), vOut = addr(p, V_OUT), vMaxOut = addr(p, VMAX_OUT);
  const d = <i32>param(p, D);
  const beta1 = param(p, BETA1), beta2 = param(p, BETA2), eps = param(p, EPS), negLr = param(p, NEG_LR);
  const bc1 = param(p, BC1), bc2 = param(p, BC2), decay = param(p, DECAY), limit = param(p, LIMIT);
  const c1 = param(p, C1), c2 = param(p, C2), threshold = param(p, THRESHOLD);
  const flags = <i32>param(p, FLAGS);
  const expmap = (flags & EXPMAP) != 0, stabilize = (flags & STABILIZE) != 0, amsgrad = (flags & AMSGRAD) != 0;
  const row = <usize>((d + 1) & ~1) << 3;
  const m1 = scratch, y = scratch + row, yv = scratch + 2 * row;
  setStatus(status, 0, 0, 0);
  for (let i = r0; i < r1; i++) {
    const o = i * d;
    const dot = decayedDot<T>(x, gs, o, d, decay, limit, status);
    if (load<f64>(status) != 0) return;
    // g = e − ⟨x, e⟩ x;  m₁ = β1 m + (1 − β1) g;  Σ g², Σ m₁²
    let acc = splat(0), macc = splat(0);
    for (let k = 0; k < d; k += 2) {
      const full = k + 1 < d;
      const gk = f64x2.sub(decayed<T>(x, gs, o, k, decay, full), f64x2.mul(splat(dot), ldv<T>(x, o + k, full)));
      acc = accumulate(acc, f64x2.mul(gk, gk), full);
      const mg = f64x2.mul(gk, splat(c1));
      const mk = ms ? f64x2.add(f64x2.mul(ldv<T>(ms, o + k, full), splat(beta1)), mg) : mg;
      sts(m1, k, mk);
      macc = accumulate(macc, f64x2.mul(mk, mk), full);
    }
    const gg = hsum(acc);
    const v = vs ? ld<T>(vs, i) * beta2 + gg * c2 : gg * c2;
    // AMSGrad's running maximum, with maximum's rule (the first argument on ties and NaN)
    const vm = vMaxIn ? ld<T>(vMaxIn, i) : v;
    const vMax = vm >= v || vm != vm ? vm : v;
    if (vMaxOut) st<T>(vMaxOut, i, vMax);
    const vHat = (amsgrad ? vMax : v) / bc2;
    if (vHat < 0) {
      setStatus(status, 1, <f64>i, vHat);
      return;
    }
    // u = m₁ / (1 − β1ᵗ) / (√v̂ + eps) · (−lr) = us · m₁, so ‖u‖² = us² Σ m₁²
    const us = negLr / (bc1 * (Math.sqrt(vHat) + eps));
    const rr = retractRow<T>(expmap, x, o, m1, us, us * us * hsum(macc), y, m1, d, threshold, yv);
    finishRow<T>(y, rr, load<f64>(yv), m1, stabilize, xOut, mOut, o, d);
    st<T>(vOut, i, v);
  }
}

@inline function sgdRowsAll<T>(p: usize, r0: i32, r1: i32, scratch: usize, status: usize): void {
  const x = addr(p, X), gs = addr(p, G), ms = addr(p, M), xOut = addr(p, X_OUT), mOut = addr(p, M_OUT);
  const d = <i32>param(p, D);
  const beta = param(p, BETA1), c = param(p, C1), negLr = param(p, NEG_LR), decay = param(p, DECAY), limit = param(p, LIMIT);
  const threshold = param(p, THRESHOLD);
  const flags = <i32>param(p, FLAGS);
  const expmap = (flags & EXPMAP) != 0, stabilize = (flags & STABILIZE) != 0;
  const momentum = (flags & MOMENTUM) != 0, nesterov = (flags & NESTEROV) != 0;
  const row = <usize>((d + 1) & ~1) << 3;
  const m = scratch, u = scratch + row, y = scratch + 2 * row, yv = scratch + 3 * row;
  setStatus(status, 0, 0, 0);
  for (let i = r0; i < r1; i++) {
    const o = i * d;
    const dot = decayedDot<T>(x, gs, o, d, decay, limit, status);
    if (load<f64>(status) != 0) return;
    let acc = splat(0);
    for (let k = 0; k < d; k += 2) {
      const full = k + 1 < d;
      const gk = f64x2.sub(decayed<T>(x, gs, o, k, decay, full), f64x2.mul(splat(dot), ldv<T>(x, o + k, full)));
      let dir = gk;
      if (momentum) {
        const mk = ms ? f64x2.add(f64x2.mul(ldv<T>(ms, o + k, full), splat(beta)), f64x2.mul(gk, splat(c))) : gk;
        sts(m, k, mk);
        dir = nesterov ? f64x2.add(gk, f64x2.mul(mk, splat(beta))) : mk;
      }
      const uk = f64x2.mul(dir, splat(negLr));
      sts(u, k, uk);
      acc = accumulate(acc, f64x2.mul(uk, uk), full);
    }
    const tt = hsum(acc);
    const mRow: usize = momentum ? m : 0;
    const rr = retractRow<T>(expmap, x, o, u, 1, tt, y, mRow, d, threshold, yv);
    // ‖u‖² or ‖y‖² overflowed: the composed path's norm scales first and stays finite
    if (!isFinite(tt) || !isFinite(rr)) {
      setStatus(status, 1, <f64>i, tt);
      return;
    }
    finishRow<T>(y, rr, load<f64>(yv), mRow, stabilize, xOut, mOut, o, d);
  }
}

/** RiemannianAdam's update of rows [r0, r1) (float32 storage, float64 arithmetic); scratch: 4 float64 rows of even length ≥ d. */
export function adamRows_f32(p: usize, r0: i32, r1: i32, scratch: usize, status: usize): void { adamRowsAll<f32>(p, r0, r1, scratch, status); }
/** RiemannianAdam's update of rows [r0, r1) (float64); scratch: 4 float64 rows of even length ≥ d. */
export function adamRows_f64(p: usize, r0: i32, r1: i32, scratch: usize, status: usize): void { adamRowsAll<f64>(p, r0, r1, scratch, status); }
/** RiemannianSGD's update of rows [r0, r1) (float32 storage, float64 arithmetic); scratch: 4 float64 rows of even length ≥ d. */
export function sgdRows_f32(p: usize, r0: i32, r1: i32, scratch: usize, status: usize): void { sgdRowsAll<f32>(p, r0, r1, scratch, status); }
/** RiemannianSGD's update of rows [r0, r1) (float64); scratch: 4 float64 rows of even length ≥ d. */
export function sgdRows_f64(p: usize, r0: i32, r1: i32, scratch: usize, status: usize): void { sgdRowsAll<f64>(p, r0, r1, scratch, status); }

/** The first index i < n with x[i] NaN or ±∞, or −1: whole vectors first (x − x is 0 only for finite x). */
@inline function firstNonFiniteAll<T>(x: usize, n: i32): i32 {
  const L = lanes<T>();
  let i = 0;
  for (; i + 4 * L <= n; i += 4 * L) {
    const a = v128.load(at<T>(x, i)), b = v128.load(at<T>(x, i + L)), c = v128.load(at<T>(x, i + 2 * L)), e = v128.load(at<T>(x, i + 3 * L));
    const z = v128.add<T>(v128.add<T>(v128.sub<T>(a, a), v128.sub<T>(b, b)), v128.add<T>(v128.sub<T>(c, c), v128.sub<T>(e, e)));
    if (v128.any_true(v128.ne<T>(z, v128.splat<T>(0)))) break;
  }
  for (; i < n; i++) {
    const v = load<T>(at<T>(x, i));
    if (v - v != 0) return i;
  }
  return -1;
}

/** The first non-finite element of n float32 values at x, or −1. */
export function firstNonFinite_f32(x: usize, n: i32): i32 { return firstNonFiniteAll<f32>(x, n); }
/** The first non-finite element of n float64 values at x, or −1. */
export function firstNonFinite_f64(x: usize, n: i32): i32 { return firstNonFiniteAll<f64>(x, n); }
