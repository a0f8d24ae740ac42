// The fused sorted-row losses of the sliced family (src/backend/sortedRows.ts defines them): per
// row, the radix sort of radix.ts, then the loss of the sorted values and its gradient, summed in
// float64 and written back to the rows' own order. kind 0 is `sliced`, 1 is `ssw`.
import { at } from './simd';
import { sortRow } from './radix';

/**
 * loss[r] and grad[r, ·] of each of `rows` rows of θ (len values at x). `consts` holds the len
 * float64 constants of the kind (φ_r, or (r − 1)/n), `tmp` len float64, `scratch` a row sort's.
 */
@inline function sortedRowLossAll<T, K>(loss: usize, grad: usize, x: usize, rows: i32, len: i32, kind: i32, consts: usize,
  tmp: usize, scratch: usize): void {
  const n = <f64>len, h = 1 / n, twoPi = 2 * Math.PI;
  for (let r = 0; r < rows; r++) {
    const row = at<T>(x, r * len);
    const is = sortRow<T, K>(row, len, scratch);
    let s: f64 = 0;
    for (let j = 0; j < len; j++) s += <f64>load<T>(at<T>(row, <i32>load<u32>(at<u32>(is, j))));
    let total: f64 = 0, gsum: f64 = 0;
    if (kind == 0) {
      const mean = s / n;
      for (let j = 0; j < len; j++) {
        const v = <f64>load<T>(at<T>(row, <i32>load<u32>(at<u32>(is, j))));
        const t = v - mean - load<f64>(at<f64>(consts, j));
        store<f64>(at<f64>(tmp, j), t);
        total += t * t;
        gsum += t;
      }
      store<T>(at<T>(loss, r), <T>(0.5 * total));
      const gm = gsum / n;
      for (let j = 0; j < len; j++) {
        const i = <i32>load<u32>(at<u32>(is, j));
        store<T>(at<T>(grad, r * len + i), <T>(load<f64>(at<f64>(tmp, j)) - gm));
      }
    } else {
      let us: f64 = 0;
      for (let j = 0; j < len; j++) us += (<f64>load<T>(at<T>(row, <i32>load<u32>(at<u32>(is, j)))) + Math.PI) / twoPi;
      const alpha = us / n - 0.5;
      for (let j = 0; j < len; j++) {
        const v = <f64>load<T>(at<T>(row, <i32>load<u32>(at<u32>(is, j))));
        const a = (v + Math.PI) / twoPi - alpha - load<f64>(at<f64>(consts, j)), am = a - h;
        total += a * a * a - am * am * am;
        const t = a * a - am * am;
        store<f64>(at<f64>(tmp, j), t);
        gsum += t;
      }
      store<T>(at<T>(loss, r), <T>(total / 3));
      const gm = gsum / n;
      for (let j = 0; j < len; j++) {
        const i = <i32>load<u32>(at<u32>(is, j));
        store<T>(at<T>(grad, r * len + i), <T>((load<f64>(at<f64>(tmp, j)) - gm) / twoPi));
      }
    }
  }
}

export function sortedRowLoss_f32(loss: usize, grad: usize, x: usize, rows: i32, len: i32, kind: i32, consts: usize, tmp: usize, scratch: usize): void {
  sortedRowLossAll<f32, u32>(loss, grad, x, rows, len, kind, consts, tmp, scratch);
}
export function sortedRowLoss_f64(loss: usize, grad: usize, x: usize, rows: i32, len: i32, kind: i32, consts: usize, tmp: usize, scratch: usize): void {
  sortedRowLossAll<f64, u64>(loss, grad, x, rows, len, kind, consts, tmp, scratch);
}
