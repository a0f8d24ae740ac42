// The strided walk behind broadcasting and strided copies. `meta` (i32) holds, for a walk of
// `rank` dims over K operands: shape[rank], then each operand's strides[rank] (in elements), then
// rank slots of odometer state. `offs` (i32 × K) holds each operand's current offset. The last
// dim is the run that the caller's tight loop covers.

@inline function slot(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** Run length of the walk (its last dim), 1 for rank 0. */
@inline export function runLength(meta: usize, rank: i32): i32 {
  return rank == 0 ? 1 : load<i32>(slot(meta, rank - 1));
}

/** Operand k's stride along the run. */
@inline export function runStride(meta: usize, rank: i32, k: i32): i32 {
  return rank == 0 ? 0 : load<i32>(slot(meta, rank * (k + 1) + rank - 1));
}

/** Offset of operand k. */
@inline export function offset(offs: usize, k: i32): i32 {
  return load<i32>(slot(offs, k));
}

/** Zeroes the odometer; false when the walk is empty (some dim is 0). */
export function start(meta: usize, rank: i32, K: i32): bool {
  const idx = slot(meta, rank * (K + 1));
  for (let d = 0; d < rank; d++) {
    store<i32>(slot(idx, d), 0);
    if (load<i32>(slot(meta, d)) == 0) return false;
  }
  return true;
}

/** Moves to the next run: bumps the odometer over dims [0, rank − 1); false when done. */
export function advance(meta: usize, rank: i32, K: i32, offs: usize): bool {
  const idx = slot(meta, rank * (K + 1));
  for (let d = rank - 2; d >= 0; d--) {
    const n = load<i32>(slot(meta, d));
    const id = load<i32>(slot(idx, d)) + 1;
    for (let k = 0; k < K; k++) {
      const s = load<i32>(slot(meta, rank * (k + 1) + d));
      store<i32>(slot(offs, k), load<i32>(slot(offs, k)) + (id < n ? s : s - s * n));
    }
    if (id < n) {
      store<i32>(slot(idx, d), id);
      return true;
    }
    store<i32>(slot(idx, d), 0);
  }
  return false;
}
