// Stable ascending sort of contiguous rows (NaN last), as a bottom-up merge sort of u32 indices
// compared by value; the order of equal values is their index order.
import { at } from './simd';

/** a before b: smaller value first, NaN after every number, ties by index (stability). */
@inline function before<T>(x: usize, i: u32, j: u32): bool {
  const a = load<T>(at<T>(x, <i32>i)), b = load<T>(at<T>(x, <i32>j));
  if (a < b) return true;
  if (a > b) return false;
  if (a != a && b == b) return false;
  if (b != b && a == a) return true;
  return i < j;
}

/**
 * Sorts each of `rows` rows of `len` values at x into values (o) and indices as floats (oi).
 * `scratch` holds 2 · len u32.
 */
@inline function sortAll<T>(o: usize, oi: usize, x: usize, rows: i32, len: i32, scratch: usize): void {
  const bufA = scratch, bufB = scratch + (<usize>len << 2);
  for (let r = 0; r < rows; r++) {
    const row = at<T>(x, r * len);
    let src = bufA, dst = bufB;
    for (let i = 0; i < len; i++) store<u32>(at<u32>(src, i), <u32>i);
    for (let width = 1; width < len; width <<= 1) {
      for (let lo = 0; lo < len; lo += 2 * width) {
        const mid = min(lo + width, len), hi = min(lo + 2 * width, len);
        let i = lo, j = mid, k = lo;
        while (i < mid && j < hi) {
          const a = load<u32>(at<u32>(src, i)), b = load<u32>(at<u32>(src, j));
          if (before<T>(row, b, a)) { store<u32>(at<u32>(dst, k++), b); j++; }
          else { store<u32>(at<u32>(dst, k++), a); i++; }
        }
        while (i < mid) store<u32>(at<u32>(dst, k++), load<u32>(at<u32>(src, i++)));
        while (j < hi) store<u32>(at<u32>(dst, k++), load<u32>(at<u32>(src, j++)));
      }
      const t = src; src = dst; dst = t;
    }
    for (let i = 0; i < len; i++) {
      const id = load<u32>(at<u32>(src, i));
      store<T>(at<T>(o, r * len + i), load<T>(at<T>(row, <i32>id)));
      store<T>(at<T>(oi, r * len + i), <T>id);
    }
  }
}

export function sort_f32(o: usize, oi: usize, x: usize, rows: i32, len: i32, scratch: usize): void { sortAll<f32>(o, oi, x, rows, len, scratch); }
export function sort_f64(o: usize, oi: usize, x: usize, rows: i32, len: i32, scratch: usize): void { sortAll<f64>(o, oi, x, rows, len, scratch); }
