// Data movement: fill, cast, strided copy and scatter over the walk of walk.ts, gather and
// scatter-add of rows along the middle axis of [outer, len, inner] (indices as float64).
import { at, lanes } from './simd';
import { advance, offset, runLength, runStride, start } from './walk';

@inline function fillAll<T>(o: usize, n: i32, value: T): void {
  const L = lanes<T>();
  const v = v128.splat<T>(value);
  let i = 0;
  for (; i + L <= n; i += L) v128.store(at<T>(o, i), v);
  for (; i < n; i++) store<T>(at<T>(o, i), value);
}

export function fill_f32(o: usize, n: i32, value: f32): void { fillAll<f32>(o, n, value); }
export function fill_f64(o: usize, n: i32, value: f64): void { fillAll<f64>(o, n, value); }

/** float32 → float64, n elements. */
export function cast_f32_f64(o: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(at<f32>(x, i));
    v128.store(at<f64>(o, i), f64x2.promote_low_f32x4(v));
    v128.store(at<f64>(o, i + 2), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
  }
  for (; i < n; i++) store<f64>(at<f64>(o, i), <f64>load<f32>(at<f32>(x, i)));
}

/** float64 → float32 (round to nearest), n elements. */
export function cast_f64_f32(o: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const v = f32x4.demote_f64x2_zero(v128.load(at<f64>(x, i)));
    store<f32>(at<f32>(o, i), f32x4.extract_lane(v, 0));
    store<f32>(at<f32>(o, i + 1), f32x4.extract_lane(v, 1));
  }
  for (; i < n; i++) store<f32>(at<f32>(o, i), <f32>load<f64>(at<f64>(x, i)));
}

/** Copies `bytes` bytes (regions may overlap). */
export function copyBytes(dst: usize, src: usize, bytes: usize): void {
  memory.copy(dst, src, bytes);
}

/** Zeroes `bytes` bytes. */
export function zeroBytes(dst: usize, bytes: usize): void {
  memory.fill(dst, 0, bytes);
}

/** o (contiguous) = x at the strided walk (operands: out, x); offs[1] starts at the view's offset. */
@inline function stridedCopyAll<T>(o: usize, x: usize, rank: i32, meta: usize, offs: usize): void {
  if (!start(meta, rank, 2)) return;
  const n = runLength(meta, rank), s = runStride(meta, rank, 1);
  do {
    const oo = at<T>(o, offset(offs, 0)), xo = at<T>(x, offset(offs, 1));
    if (s == 1) memory.copy(oo, xo, <usize>n << alignof<T>());
    else for (let i = 0; i < n; i++) store<T>(at<T>(oo, i), load<T>(at<T>(xo, i * s)));
  } while (advance(meta, rank, 2, offs));
}

export function stridedCopy_f32(o: usize, x: usize, rank: i32, meta: usize, offs: usize): void { stridedCopyAll<f32>(o, x, rank, meta, offs); }
export function stridedCopy_f64(o: usize, x: usize, rank: i32, meta: usize, offs: usize): void { stridedCopyAll<f64>(o, x, rank, meta, offs); }

/** o (zeroed) += src at the strided walk (operands: src contiguous, out strided). */
@inline function stridedScatterAll<T>(o: usize, src: usize, rank: i32, meta: usize, offs: usize): void {
  if (!start(meta, rank, 2)) return;
  const n = runLength(meta, rank), s = runStride(meta, rank, 1);
  do {
    const xo = at<T>(src, offset(offs, 0)), oo = at<T>(o, offset(offs, 1));
    for (let i = 0; i < n; i++) {
      const d = at<T>(oo, i * s);
      store<T>(d, load<T>(d) + load<T>(at<T>(xo, i)));
    }
  } while (advance(meta, rank, 2, offs));
}

export function stridedScatter_f32(o: usize, src: usize, rank: i32, meta: usize, offs: usize): void { stridedScatterAll<f32>(o, src, rank, meta, offs); }
export function stridedScatter_f64(o: usize, src: usize, rank: i32, meta: usize, offs: usize): void { stridedScatterAll<f64>(o, src, rank, meta, offs); }

/** out [outer, m, inner] = x [outer, len, inner] at rows idx[0..m) (float64 indices). */
@inline function gatherAll<T>(o: usize, x: usize, outer: i32, len: i32, inner: i32, idx: usize, m: i32): void {
  const bytes = <usize>inner << alignof<T>();
  for (let r = 0; r < outer; r++) {
    for (let j = 0; j < m; j++) {
      const src = at<T>(x, (r * len + <i32>load<f64>(at<f64>(idx, j))) * inner);
      memory.copy(at<T>(o, (r * m + j) * inner), src, bytes);
    }
  }
}

export function gather_f32(o: usize, x: usize, outer: i32, len: i32, inner: i32, idx: usize, m: i32): void { gatherAll<f32>(o, x, outer, len, inner, idx, m); }
export function gather_f64(o: usize, x: usize, outer: i32, len: i32, inner: i32, idx: usize, m: i32): void { gatherAll<f64>(o, x, outer, len, inner, idx, m); }

/** out (zeroed) [outer, len, inner] += g [outer, m, inner] rows at idx (repeats sum). */
@inline function scatterAddAll<T>(o: usize, g: usize, outer: i32, len: i32, inner: i32, idx: usize, m: i32): void {
  const L = lanes<T>();
  for (let r = 0; r < outer; r++) {
    for (let j = 0; j < m; j++) {
      const dst = at<T>(o, (r * len + <i32>load<f64>(at<f64>(idx, j))) * inner);
      const src = at<T>(g, (r * m + j) * inner);
      let i = 0;
      for (; i + L <= inner; i += L) v128.store(at<T>(dst, i), v128.add<T>(v128.load(at<T>(dst, i)), v128.load(at<T>(src, i))));
      for (; i < inner; i++) store<T>(at<T>(dst, i), load<T>(at<T>(dst, i)) + load<T>(at<T>(src, i)));
    }
  }
}

export function scatterAdd_f32(o: usize, g: usize, outer: i32, len: i32, inner: i32, idx: usize, m: i32): void { scatterAddAll<f32>(o, g, outer, len, inner, idx, m); }
export function scatterAdd_f64(o: usize, g: usize, outer: i32, len: i32, inner: i32, idx: usize, m: i32): void { scatterAddAll<f64>(o, g, outer, len, inner, idx, m); }

/** The first position i < m whose idx[i] is not an integer in [0, len) (NaN included), or −1. */
@inline function badIndexAll<T>(idx: usize, m: i32, len: i32): i32 {
  const hi = <T>len;
  for (let i = 0; i < m; i++) {
    const v = load<T>(at<T>(idx, i));
    if (!(v >= 0 && v < hi && Math.floor(<f64>v) == <f64>v)) return i;
  }
  return -1;
}

export function badIndex_f32(idx: usize, m: i32, len: i32): i32 { return badIndexAll<f32>(idx, m, len); }
export function badIndex_f64(idx: usize, m: i32, len: i32): i32 { return badIndexAll<f64>(idx, m, len); }
