// Elementwise kernels: unary maps, broadcasting binary ops and where, over the strided walk of
// walk.ts. Op codes follow the order of src/backend/wasm/opcodes.ts. Simple arithmetic runs in
// SIMD for both dtypes; float32 exp/log/sigmoid/acos/asin use the polynomials of simd.ts, float32
// sin/cos those of trig.ts; the other transcendentals go through float64 Math (musl's) and round
// once, as the cpu backend does; atan2 is a SIMD polynomial of simd.ts in both dtypes (atan2_4, atan2_2).
import { acos4, asin4, at, atan2_2, atan2_4, exp4, lanes, log4 } from './simd';
import { advance, offset, runLength, runStride, start } from './walk';
import { cos4, sin4 } from './trig';

/** Unary ops with a SIMD form for T. */
@inline function unaryHasVector<T>(op: i32): bool {
  if (op == 0 || op == 3 || op == 4 || op == 5 || op == 12 || op == 13 || op == 14) return true;
  return sizeof<T>() == 4 && (op == 1 || op == 2 || op == 6 || op == 7 || op == 8 || op == 9 || op == 11);
}

@inline function sigmoid64(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

@inline function sign64(x: f64): f64 {
  return x > 0 ? 1 : x < 0 ? -1 : x;
}

@inline function unaryScalar<T>(op: i32, x: T): T {
  if (sizeof<T>() == 4 && unaryHasVector<T>(op)) {
    return f32x4.extract_lane(unaryVector<T>(op, f32x4.splat(<f32>x)), 0) as T;
  }
  const v = <f64>x;
  switch (op) {
    case 0: return -x;
    case 1: return <T>Math.exp(v);
    case 2: return <T>Math.log(v);
    case 3: return <T>Math.sqrt(v);
    case 4: return <T>Math.abs(v);
    case 5: return <T>sign64(v);
    case 6: return <T>Math.sin(v);
    case 7: return <T>Math.cos(v);
    case 8: return <T>Math.acos(v);
    case 9: return <T>Math.asin(v);
    case 10: return <T>Math.tanh(v);
    case 11: return <T>sigmoid64(v);
    case 12: return x > 0 ? x : <T>0;
    case 13: return x * x;
    default: return <T>1 / x;
  }
}

@inline function unaryVector<T>(op: i32, x: v128): v128 {
  const zero = v128.splat<T>(0);
  const one = v128.splat<T>(1);
  switch (op) {
    case 0: return v128.neg<T>(x);
    case 3: return v128.sqrt<T>(x);
    case 4: return v128.abs<T>(x);
    case 5: return v128.bitselect(one, v128.bitselect(v128.neg<T>(one), x, v128.lt<T>(x, zero)), v128.gt<T>(x, zero));
    case 12: return v128.and(x, v128.gt<T>(x, zero));
    case 13: return v128.mul<T>(x, x);
    case 14: return v128.div<T>(one, x);
    case 1: return exp4(x);
    case 2: return log4(x);
    case 6: return sin4(x);
    case 7: return cos4(x);
    case 8: return acos4(x);
    case 9: return asin4(x);
    default: { // 11, sigmoid: e = exp(−|x|); 1/(1+e) for x ≥ 0, e/(1+e) below
      const e = exp4(f32x4.neg(f32x4.abs(x)));
      const d = f32x4.add(one, e);
      return v128.bitselect(f32x4.div(one, d), f32x4.div(e, d), f32x4.ge(x, zero));
    }
  }
}

@inline function unaryLoop<T>(op: i32, o: usize, x: usize, n: i32): void {
  let i = 0;
  if (unaryHasVector<T>(op)) {
    const L = lanes<T>();
    for (; i + L <= n; i += L) v128.store(at<T>(o, i), unaryVector<T>(op, v128.load(at<T>(x, i))));
  }
  for (; i < n; i++) store<T>(at<T>(o, i), unaryScalar<T>(op, load<T>(at<T>(x, i))));
}

/** out[i] = f(x[i]) for i < n (out may be x). */
@inline function unaryAll<T>(op: i32, o: usize, x: usize, n: i32): void {
  switch (op) {
    case 0: unaryLoop<T>(0, o, x, n); break;
    case 1: unaryLoop<T>(1, o, x, n); break;
    case 2: unaryLoop<T>(2, o, x, n); break;
    case 3: unaryLoop<T>(3, o, x, n); break;
    case 4: unaryLoop<T>(4, o, x, n); break;
    case 5: unaryLoop<T>(5, o, x, n); break;
    case 6: unaryLoop<T>(6, o, x, n); break;
    case 7: unaryLoop<T>(7, o, x, n); break;
    case 8: unaryLoop<T>(8, o, x, n); break;
    case 9: unaryLoop<T>(9, o, x, n); break;
    case 10: unaryLoop<T>(10, o, x, n); break;
    case 11: unaryLoop<T>(11, o, x, n); break;
    case 12: unaryLoop<T>(12, o, x, n); break;
    case 13: unaryLoop<T>(13, o, x, n); break;
    default: unaryLoop<T>(14, o, x, n); break;
  }
}

export function unary_f32(op: i32, o: usize, x: usize, n: i32): void { unaryAll<f32>(op, o, x, n); }
export function unary_f64(op: i32, o: usize, x: usize, n: i32): void { unaryAll<f64>(op, o, x, n); }

/** JavaScript's Math.pow: C's pow gives 1 for pow(1, NaN) and pow(±1, ±∞), JavaScript NaN. */
@inline function powJs(a: f64, b: f64): f64 {
  if (b != b || (Math.abs(a) == 1 && !isFinite(b))) return NaN;
  return Math.pow(a, b);
}

/** Binary ops with a SIMD form for T (all but pow; atan2 by the polynomials of simd.ts). */
@inline function binaryHasVector<T>(op: i32): bool {
  return op != 4;
}

@inline function binaryScalar<T>(op: i32, x: T, y: T): T {
  switch (op) {
    case 0: return x + y;
    case 1: return x - y;
    case 2: return x * y;
    case 3: return x / y;
    case 4: return <T>powJs(<f64>x, <f64>y);
    case 5: {
      if (sizeof<T>() == 4) return f32x4.extract_lane(atan2_4(f32x4.splat(<f32>x), f32x4.splat(<f32>y)), 0) as T;
      return f64x2.extract_lane(atan2_2(f64x2.splat(<f64>x), f64x2.splat(<f64>y)), 0) as T;
    }
    case 6: return x >= y || x != x ? x : y;
    case 7: return x <= y || x != x ? x : y;
    case 8: return x == y ? <T>1 : <T>0;
    case 9: return x != y ? <T>1 : <T>0;
    case 10: return x < y ? <T>1 : <T>0;
    case 11: return x <= y ? <T>1 : <T>0;
    case 12: return x > y ? <T>1 : <T>0;
    default: return x >= y ? <T>1 : <T>0;
  }
}

@inline function binaryVector<T>(op: i32, x: v128, y: v128): v128 {
  const one = v128.splat<T>(1);
  switch (op) {
    case 0: return v128.add<T>(x, y);
    case 1: return v128.sub<T>(x, y);
    case 2: return v128.mul<T>(x, y);
    case 3: return v128.div<T>(x, y);
    case 5: return sizeof<T>() == 4 ? atan2_4(x, y) : atan2_2(x, y);
    case 6: return v128.bitselect(x, y, v128.or(v128.ge<T>(x, y), v128.ne<T>(x, x)));
    case 7: return v128.bitselect(x, y, v128.or(v128.le<T>(x, y), v128.ne<T>(x, x)));
    case 8: return v128.and(one, v128.eq<T>(x, y));
    case 9: return v128.and(one, v128.ne<T>(x, y));
    case 10: return v128.and(one, v128.lt<T>(x, y));
    case 11: return v128.and(one, v128.le<T>(x, y));
    case 12: return v128.and(one, v128.gt<T>(x, y));
    default: return v128.and(one, v128.ge<T>(x, y));
  }
}

/** One run: o[i] = f(a[i·as], b[i·bs]) for i < n, SIMD when each stride is 0 or 1. */
@inline function binaryRun<T>(op: i32, o: usize, a: usize, as: i32, b: usize, bs: i32, n: i32): void {
  let i = 0;
  if (binaryHasVector<T>(op) && as <= 1 && bs <= 1 && as >= 0 && bs >= 0) {
    const L = lanes<T>();
    if (as == 1 && bs == 1) {
      for (; i + L <= n; i += L) v128.store(at<T>(o, i), binaryVector<T>(op, v128.load(at<T>(a, i)), v128.load(at<T>(b, i))));
    } else if (as == 1) {
      const y = v128.splat<T>(load<T>(b));
      for (; i + L <= n; i += L) v128.store(at<T>(o, i), binaryVector<T>(op, v128.load(at<T>(a, i)), y));
    } else if (bs == 1) {
      const x = v128.splat<T>(load<T>(a));
      for (; i + L <= n; i += L) v128.store(at<T>(o, i), binaryVector<T>(op, x, v128.load(at<T>(b, i))));
    }
  }
  for (; i < n; i++) store<T>(at<T>(o, i), binaryScalar<T>(op, load<T>(at<T>(a, i * as)), load<T>(at<T>(b, i * bs))));
}

/** The whole broadcasting walk (operands: out, a, b) for one op. */
@inline function binaryWalk<T>(op: i32, o: usize, a: usize, b: usize, rank: i32, meta: usize, offs: usize): void {
  if (!start(meta, rank, 3)) return;
  const n = runLength(meta, rank);
  const as = runStride(meta, rank, 1), bs = runStride(meta, rank, 2);
  do {
    binaryRun<T>(op, at<T>(o, offset(offs, 0)), at<T>(a, offset(offs, 1)), as, at<T>(b, offset(offs, 2)), bs, n);
  } while (advance(meta, rank, 3, offs));
}

@inline function binaryAll<T>(op: i32, o: usize, a: usize, b: usize, rank: i32, meta: usize, offs: usize): void {
  switch (op) {
    case 0: binaryWalk<T>(0, o, a, b, rank, meta, offs); break;
    case 1: binaryWalk<T>(1, o, a, b, rank, meta, offs); break;
    case 2: binaryWalk<T>(2, o, a, b, rank, meta, offs); break;
    case 3: binaryWalk<T>(3, o, a, b, rank, meta, offs); break;
    case 4: binaryWalk<T>(4, o, a, b, rank, meta, offs); break;
    case 5: binaryWalk<T>(5, o, a, b, rank, meta, offs); break;
    case 6: binaryWalk<T>(6, o, a, b, rank, meta, offs); break;
    case 7: binaryWalk<T>(7, o, a, b, rank, meta, offs); break;
    case 8: binaryWalk<T>(8, o, a, b, rank, meta, offs); break;
    case 9: binaryWalk<T>(9, o, a, b, rank, meta, offs); break;
    case 10: binaryWalk<T>(10, o, a, b, rank, meta, offs); break;
    case 11: binaryWalk<T>(11, o, a, b, rank, meta, offs); break;
    case 12: binaryWalk<T>(12, o, a, b, rank, meta, offs); break;
    default: binaryWalk<T>(13, o, a, b, rank, meta, offs); break;
  }
}

export function binary_f32(op: i32, o: usize, a: usize, b: usize, rank: i32, meta: usize, offs: usize): void {
  binaryAll<f32>(op, o, a, b, rank, meta, offs);
}
export function binary_f64(op: i32, o: usize, a: usize, b: usize, rank: i32, meta: usize, offs: usize): void {
  binaryAll<f64>(op, o, a, b, rank, meta, offs);
}

/** out = c ≠ 0 ? a : b over the walk of four operands (out, c, a, b); c has the dtype of a. */
@inline function whereWalk<T>(o: usize, c: usize, a: usize, b: usize, rank: i32, meta: usize, offs: usize): void {
  if (!start(meta, rank, 4)) return;
  const n = runLength(meta, rank);
  const cs = runStride(meta, rank, 1), as = runStride(meta, rank, 2), bs = runStride(meta, rank, 3);
  do {
    const oo = at<T>(o, offset(offs, 0)), co = at<T>(c, offset(offs, 1));
    const ao = at<T>(a, offset(offs, 2)), bo = at<T>(b, offset(offs, 3));
    let i = 0;
    if (cs == 1 && as == 1 && bs == 1) {
      const L = lanes<T>();
      const zero = v128.splat<T>(0);
      for (; i + L <= n; i += L) {
        const m = v128.ne<T>(v128.load(at<T>(co, i)), zero);
        v128.store(at<T>(oo, i), v128.bitselect(v128.load(at<T>(ao, i)), v128.load(at<T>(bo, i)), m));
      }
    }
    for (; i < n; i++) {
      store<T>(at<T>(oo, i), load<T>(at<T>(co, i * cs)) != 0 ? load<T>(at<T>(ao, i * as)) : load<T>(at<T>(bo, i * bs)));
    }
  } while (advance(meta, rank, 4, offs));
}

export function where_f32(o: usize, c: usize, a: usize, b: usize, rank: i32, meta: usize, offs: usize): void {
  whereWalk<f32>(o, c, a, b, rank, meta, offs);
}
export function where_f64(o: usize, c: usize, a: usize, b: usize, rank: i32, meta: usize, offs: usize): void {
  whereWalk<f64>(o, c, a, b, rank, meta, offs);
}
