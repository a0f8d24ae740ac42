// Reductions of the middle axis of [outer, len, inner]. Sums accumulate in float64 (a float32
// input is widened lane by lane); max/min propagate NaN and arg* give the first index of the
// extreme value (NaN counts as extreme), exactly as the cpu backend does.
import { at } from './simd';

/** Adds x[0..len) (contiguous) in float64 with two f64x2 accumulators. */
@inline function sumContiguous<T>(x: usize, len: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let i = 0;
  if (sizeof<T>() == 4) {
    for (; i + 4 <= len; i += 4) {
      const v = v128.load(at<T>(x, i));
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
    }
  } else {
    for (; i + 4 <= len; i += 4) {
      s0 = f64x2.add(s0, v128.load(at<T>(x, i)));
      s1 = f64x2.add(s1, v128.load(at<T>(x, i + 2)));
    }
  }
  const s = f64x2.add(s0, s1);
  let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < len; i++) total += <f64>load<T>(at<T>(x, i));
  return total;
}

/** acc[0..inner) += x[0..inner) in float64. */
@inline function addRow<T>(acc: usize, x: usize, inner: i32): void {
  let i = 0;
  if (sizeof<T>() == 4) {
    for (; i + 4 <= inner; i += 4) {
      const v = v128.load(at<T>(x, i));
      v128.store(at<f64>(acc, i), f64x2.add(v128.load(at<f64>(acc, i)), f64x2.promote_low_f32x4(v)));
      v128.store(at<f64>(acc, i + 2), f64x2.add(v128.load(at<f64>(acc, i + 2)), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))));
    }
  } else {
    for (; i + 2 <= inner; i += 2) v128.store(at<f64>(acc, i), f64x2.add(v128.load(at<f64>(acc, i)), v128.load(at<T>(x, i))));
  }
  for (; i < inner; i++) store<f64>(at<f64>(acc, i), load<f64>(at<f64>(acc, i)) + <f64>load<T>(at<T>(x, i)));
}

/** Sum over the middle axis; `acc` is float64 scratch of `inner` elements. */
@inline function sumAxis<T>(o: usize, x: usize, outer: i32, len: i32, inner: i32, acc: usize): void {
  for (let r = 0; r < outer; r++) {
    const base = at<T>(x, r * len * inner);
    if (inner == 1) {
      store<T>(at<T>(o, r), <T>sumContiguous<T>(base, len));
      continue;
    }
    memory.fill(acc, 0, <usize>inner << 3);
    for (let l = 0; l < len; l++) addRow<T>(acc, at<T>(base, l * inner), inner);
    for (let i = 0; i < inner; i++) store<T>(at<T>(o, r * inner + i), <T>load<f64>(at<f64>(acc, i)));
  }
}

/** max/min (index when `wantIndex`) over the middle axis, first extreme wins, NaN stops the scan. */
@inline function extremeAxis<T>(o: usize, x: usize, outer: i32, len: i32, inner: i32, wantMax: bool, wantIndex: bool): void {
  for (let r = 0; r < outer; r++) {
    for (let i = 0; i < inner; i++) {
      const base = at<T>(x, r * len * inner + i);
      let best = load<T>(base);
      let idx = 0;
      for (let l = 1; l < len && best == best; l++) {
        const v = load<T>(at<T>(base, l * inner));
        if (v != v || (wantMax ? v > best : v < best)) {
          best = v;
          idx = l;
        }
      }
      store<T>(at<T>(o, r * inner + i), wantIndex ? <T>idx : best);
    }
  }
}

/** op: 0 sum, 1 max, 2 min, 3 argmax, 4 argmin. */
@inline function reduceAll<T>(op: i32, o: usize, x: usize, outer: i32, len: i32, inner: i32, acc: usize): void {
  switch (op) {
    case 0: sumAxis<T>(o, x, outer, len, inner, acc); break;
    case 1: extremeAxis<T>(o, x, outer, len, inner, true, false); break;
    case 2: extremeAxis<T>(o, x, outer, len, inner, false, false); break;
    case 3: extremeAxis<T>(o, x, outer, len, inner, true, true); break;
    default: extremeAxis<T>(o, x, outer, len, inner, false, true); break;
  }
}

export function reduce_f32(op: i32, o: usize, x: usize, outer: i32, len: i32, inner: i32, acc: usize): void {
  reduceAll<f32>(op, o, x, outer, len, inner, acc);
}
export function reduce_f64(op: i32, o: usize, x: usize, outer: i32, len: i32, inner: i32, acc: usize): void {
  reduceAll<f64>(op, o, x, outer, len, inner, acc);
}
