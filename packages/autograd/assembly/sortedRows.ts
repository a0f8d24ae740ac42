// The fused sorted-row losses of the sliced family (src/backend/sortedRows.ts defines them): per
// row, the radix sort of radix.ts, then the loss of the sorted values and its gradient, summed in
// float64 and written back to the rows' own order. kind 0 is `sliced`, 1 is `ssw`. The rows are
// the angles θ themselves, or (the `coordinates` exports) stacked slice coordinates [x; y] whose
// angles θ = atan2(y, x) are formed here, the same atan2 as the elementwise op's.
import { at, atan2_2, atan2_4 } from './simd';
import { sortRow } from './radix';

/**
 * The loss of one row of θ (len values at row) and its gradient, as T in the row's own order at
 * g. `consts` holds the len float64 constants of the kind (φ_r, or (r − 1)/n), `tmp` len
 * float64, `scratch` a row sort's.
 */
@inline function rowLoss<T, K>(row: usize, len: i32, kind: i32, consts: usize, tmp: usize, scratch: usize, g: usize): f64 {
  const n = <f64>len, h = 1 / n, twoPi = 2 * Math.PI;
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
    const gm = gsum / n;
    for (let j = 0; j < len; j++) {
      const i = <i32>load<u32>(at<u32>(is, j));
      store<T>(at<T>(g, i), <T>(load<f64>(at<f64>(tmp, j)) - gm));
    }
    return 0.5 * total;
  }
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
  const gm = gsum / n;
  for (let j = 0; j < len; j++) {
    const i = <i32>load<u32>(at<u32>(is, j));
    store<T>(at<T>(g, i), <T>((load<f64>(at<f64>(tmp, j)) - gm) / twoPi));
  }
  return total / 3;
}

/** loss[r] and grad[r, ·] of rows r0 ≤ r < r1 of θ (rows × len at x); see rowLoss. */
@inline function sortedRowLossAll<T, K>(loss: usize, grad: usize, x: usize, len: i32, kind: i32, consts: usize,
  tmp: usize, scratch: usize, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    store<T>(at<T>(loss, r), <T>rowLoss<T, K>(at<T>(x, r * len), len, kind, consts, tmp, scratch, at<T>(grad, r * len)));
  }
}

export function sortedRowLoss_f32(loss: usize, grad: usize, x: usize, len: i32, kind: i32, consts: usize, tmp: usize, scratch: usize,
  r0: i32, r1: i32): void {
  sortedRowLossAll<f32, u32>(loss, grad, x, len, kind, consts, tmp, scratch, r0, r1);
}
export function sortedRowLoss_f64(loss: usize, grad: usize, x: usize, len: i32, kind: i32, consts: usize, tmp: usize, scratch: usize,
  r0: i32, r1: i32): void {
  sortedRowLossAll<f64, u64>(loss, grad, x, len, kind, consts, tmp, scratch, r0, r1);
}

/** θ_i = atan2(y_i, x_i) for i < len into out (T): simd.ts' polynomials, four float32 or two float64 lanes at a time. */
@inline function anglesOf<T>(xs: usize, ys: usize, len: i32, out: usize): void {
  let i = 0;
  if (sizeof<T>() == 4) {
    for (; i + 4 <= len; i += 4) v128.store(at<T>(out, i), atan2_4(v128.load(at<T>(ys, i)), v128.load(at<T>(xs, i))));
    for (; i < len; i++) {
      const v = atan2_4(f32x4.splat(<f32>load<T>(at<T>(ys, i))), f32x4.splat(<f32>load<T>(at<T>(xs, i))));
      store<T>(at<T>(out, i), <T>f32x4.extract_lane(v, 0));
    }
    return;
  }
  for (; i + 2 <= len; i += 2) v128.store(at<T>(out, i), atan2_2(v128.load(at<T>(ys, i)), v128.load(at<T>(xs, i))));
  if (i < len) {
    const v = atan2_2(f64x2.splat(<f64>load<T>(at<T>(ys, i))), f64x2.splat(<f64>load<T>(at<T>(xs, i))));
    store<T>(at<T>(out, i), <T>f64x2.extract_lane(v, 0));
  }
}

/**
 * As sortedRowLossAll (rows r0 ≤ r < r1) for the angles θ_r = atan2(y_r, x_r) of stacked
 * coordinates (2·rows × len at s: rows 0..rows − 1 the x, rows..2·rows − 1 the y); grad
 * (2·rows × len) is the chain rule through atan2 in T, as the composed graph writes it:
 * x̄ = −(ḡ·y)/r², ȳ = (ḡ·x)/r², r² = x² + y², both 0 where r² = 0 (a point at the origin of its
 * slice). `rowT` holds 2·len T (θ, then ḡ).
 */
@inline function coordinatesLossAll<T, K>(loss: usize, grad: usize, s: usize, rows: i32, len: i32, kind: i32, consts: usize,
  tmp: usize, scratch: usize, rowT: usize, r0: i32, r1: i32): void {
  const theta = rowT, gt = at<T>(rowT, len);
  for (let r = r0; r < r1; r++) {
    const xs = at<T>(s, r * len), ys = at<T>(s, (rows + r) * len);
    anglesOf<T>(xs, ys, len, theta);
    store<T>(at<T>(loss, r), <T>rowLoss<T, K>(theta, len, kind, consts, tmp, scratch, gt));
    const gx = at<T>(grad, r * len), gy = at<T>(grad, (rows + r) * len);
    for (let i = 0; i < len; i++) {
      const x = load<T>(at<T>(xs, i)), y = load<T>(at<T>(ys, i)), g = load<T>(at<T>(gt, i));
      const r2: T = x * x + y * y;
      const origin = r2 == 0;
      store<T>(at<T>(gx, i), origin ? <T>0 : -((g * y) / r2));
      store<T>(at<T>(gy, i), origin ? <T>0 : (g * x) / r2);
    }
  }
}

export function sortedRowLossOfCoordinates_f32(loss: usize, grad: usize, s: usize, rows: i32, len: i32, kind: i32, consts: usize, tmp: usize,
  scratch: usize, rowT: usize, r0: i32, r1: i32): void {
  coordinatesLossAll<f32, u32>(loss, grad, s, rows, len, kind, consts, tmp, scratch, rowT, r0, r1);
}
export function sortedRowLossOfCoordinates_f64(loss: usize, grad: usize, s: usize, rows: i32, len: i32, kind: i32, consts: usize, tmp: usize,
  scratch: usize, rowT: usize, r0: i32, r1: i32): void {
  coordinatesLossAll<f64, u64>(loss, grad, s, rows, len, kind, consts, tmp, scratch, rowT, r0, r1);
}
