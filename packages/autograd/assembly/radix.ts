// The stable ascending sort of one row (NaN last, −0 equal to +0, ties in index order) that
// sort.ts and sortedRows.ts share.
// Each value becomes an unsigned key whose integer order is that order (sign-flipped IEEE bits,
// −0 folded onto +0, every NaN the largest key); the (key, index) pairs are then sorted by an LSD
// radix sort on bytes, which is stable, so equal keys keep their index order. Rows of at most
// SMALL values use an insertion sort of the same pairs instead (same order, no histograms).
import { at } from './simd';

/** Rows up to this length are insertion-sorted. */
const SMALL = 32;

/** The order-preserving unsigned key of a float32 (−0 as +0, NaN above +∞). */
@inline function key32(v: f32): u32 {
  if (v != v) return 0xffffffff;
  const bits = reinterpret<u32>(v == 0 ? <f32>0 : v);
  return bits ^ (<u32>(<i32>bits >> 31) | 0x80000000);
}

/** The order-preserving unsigned key of a float64 (−0 as +0, NaN above +∞). */
@inline function key64(v: f64): u64 {
  if (v != v) return 0xffffffffffffffff;
  const bits = reinterpret<u64>(v == 0 ? 0.0 : v);
  return bits ^ (<u64>(<i64>bits >> 63) | 0x8000000000000000);
}

/** The key of element i of the row at x, K the key type (u32 for f32, u64 for f64). */
@inline function keyOf<T, K>(x: usize, i: i32): K {
  if (sizeof<T>() == 4) return <K>key32(load<f32>(at<f32>(x, i)));
  return <K>key64(load<f64>(at<f64>(x, i)));
}

/** Stable insertion sort of the pairs (keys at k, indices at ix), n of them. */
@inline function insertionSort<K>(k: usize, ix: usize, n: i32): void {
  for (let i = 1; i < n; i++) {
    const key = load<K>(at<K>(k, i)), id = load<u32>(at<u32>(ix, i));
    let j = i - 1;
    while (j >= 0 && load<K>(at<K>(k, j)) > key) {
      store<K>(at<K>(k, j + 1), load<K>(at<K>(k, j)));
      store<u32>(at<u32>(ix, j + 1), load<u32>(at<u32>(ix, j)));
      j--;
    }
    store<K>(at<K>(k, j + 1), key);
    store<u32>(at<u32>(ix, j + 1), id);
  }
}

/**
 * Sorts the `len` values of T at `row`: returns the address of their u32 indices in ascending order
 * (inside `scratch`, which holds 2·len·sizeof<T> + 8·len + 1024·sizeof<T> bytes: two key and two
 * index buffers, then the byte histograms of every pass; src/backend/wasm/layout.ts sizes it).
 */
@inline export function sortRow<T, K>(row: usize, len: i32, scratch: usize): usize {
  const passes = <i32>sizeof<K>();
  const keysA = scratch, keysB = keysA + (<usize>len << alignof<K>());
  const idxA = keysB + (<usize>len << alignof<K>()), idxB = idxA + (<usize>len << 2);
  const hist = idxB + (<usize>len << 2);
  let ks = keysA, kd = keysB, is = idxA, id = idxB;
  if (len <= SMALL) {
    for (let i = 0; i < len; i++) {
      store<K>(at<K>(ks, i), keyOf<T, K>(row, i));
      store<u32>(at<u32>(is, i), <u32>i);
    }
    insertionSort<K>(ks, is, len);
    return is;
  }
  memory.fill(hist, 0, <usize>(passes * 256 * 4));
  for (let i = 0; i < len; i++) {
    const key = keyOf<T, K>(row, i);
    store<K>(at<K>(ks, i), key);
    store<u32>(at<u32>(is, i), <u32>i);
    for (let p = 0; p < passes; p++) {
      const h = at<u32>(hist, p * 256 + <i32>((key >> (<K>(p * 8))) & 0xff));
      store<u32>(h, load<u32>(h) + 1);
    }
  }
  for (let p = 0; p < passes; p++) {
    const hp = at<u32>(hist, p * 256);
    // a byte that every key shares leaves the order as it is: skip the pass
    let total: u32 = 0, single = false;
    for (let b = 0; b < 256; b++) {
      const c = load<u32>(at<u32>(hp, b));
      if (c == <u32>len) single = true;
      store<u32>(at<u32>(hp, b), total);
      total += c;
    }
    if (single) continue;
    const shift = <K>(p * 8);
    for (let i = 0; i < len; i++) {
      const key = load<K>(at<K>(ks, i));
      const h = at<u32>(hp, <i32>((key >> shift) & 0xff));
      const dst = <i32>load<u32>(h);
      store<u32>(h, <u32>dst + 1);
      store<K>(at<K>(kd, dst), key);
      store<u32>(at<u32>(id, dst), load<u32>(at<u32>(is, i)));
    }
    const tk = ks; ks = kd; kd = tk;
    const ti = is; is = id; id = ti;
  }
  return is;
}

