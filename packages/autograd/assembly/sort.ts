// Stable ascending sort of contiguous rows (NaN last, −0 equal to +0, ties in index order), by
// the radix sort of radix.ts, into values and indices as floats.
import { at } from './simd';
import { sortRow } from './radix';

/** Sorts each of `rows` rows of `len` values at x into values (o) and indices as floats (oi). */
@inline function sortAll<T, K>(o: usize, oi: usize, x: usize, rows: i32, len: i32, scratch: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = at<T>(x, r * len);
    const is = sortRow<T, K>(row, len, scratch);
    for (let i = 0; i < len; i++) {
      const j = load<u32>(at<u32>(is, i));
      store<T>(at<T>(o, r * len + i), load<T>(at<T>(row, <i32>j)));
      store<T>(at<T>(oi, r * len + i), <T>j);
    }
  }
}

export function sort_f32(o: usize, oi: usize, x: usize, rows: i32, len: i32, scratch: usize): void { sortAll<f32, u32>(o, oi, x, rows, len, scratch); }
export function sort_f64(o: usize, oi: usize, x: usize, rows: i32, len: i32, scratch: usize): void { sortAll<f64, u64>(o, oi, x, rows, len, scratch); }
