import type { Storage } from '../backend.js';
import { allocate, type TypedArray } from '../../dtype.js';
import { CpuStorage, arr } from './storage.js';

/** Micro-tile edge: C is computed in 4 × 4 blocks held in 16 scalar accumulators. */
const TILE = 4;
/** Depth of one packed panel: 4 · 256 elements of A and of B stay in L1 during a micro-kernel sweep. */
const KC = 256;

/**
 * Packs rows [r0, r0+4) × depth [p0, p0+kc) of op(A) (m × k) into `dst[p·4 + r]`, zero-padding
 * past m. `transA` means A is stored k × m.
 */
function packA(a: TypedArray, aOff: number, m: number, k: number, transA: boolean, r0: number, p0: number,
  kc: number, dst: TypedArray): void {
  for (let r = 0; r < TILE; r++) {
    const i = r0 + r;
    if (i >= m) {
      for (let p = 0; p < kc; p++) dst[p * TILE + r] = 0;
    } else if (transA) {
      for (let p = 0; p < kc; p++) dst[p * TILE + r] = a[aOff + (p0 + p) * m + i]!;
    } else {
      const row = aOff + i * k + p0;
      for (let p = 0; p < kc; p++) dst[p * TILE + r] = a[row + p]!;
    }
  }
}

/** Packs columns [c0, c0+4) × depth [p0, p0+kc) of op(B) (k × n) into `dst[p·4 + c]`. */
function packB(b: TypedArray, bOff: number, k: number, n: number, transB: boolean, c0: number, p0: number,
  kc: number, dst: TypedArray): void {
  for (let c = 0; c < TILE; c++) {
    const j = c0 + c;
    if (j >= n) {
      for (let p = 0; p < kc; p++) dst[p * TILE + c] = 0;
    } else if (transB) {
      const row = bOff + j * k + p0;
      for (let p = 0; p < kc; p++) dst[p * TILE + c] = b[row + p]!;
    } else {
      for (let p = 0; p < kc; p++) dst[p * TILE + c] = b[bOff + (p0 + p) * n + j]!;
    }
  }
}

/**
 * C[i0.., j0..] (+)= Ap · Bp for one 4 × 4 tile over depth kc (16 accumulators in registers):
 * stores on the first depth block, adds on later ones. Writes only the rows/cols inside m × n.
 */
function microKernel(ap: TypedArray, apOff: number, bp: TypedArray, bpOff: number, kc: number,
  c: TypedArray, cOff: number, n: number, rows: number, cols: number, add: boolean): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let pa = apOff, pb = bpOff;
  for (let p = 0; p < kc; p++, pa += 4, pb += 4) {
    const a0 = ap[pa]!, a1 = ap[pa + 1]!, a2 = ap[pa + 2]!, a3 = ap[pa + 3]!;
    const b0 = bp[pb]!, b1 = bp[pb + 1]!, b2 = bp[pb + 2]!, b3 = bp[pb + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (rows === TILE && cols === TILE && !add) {
    let o = cOff;
    c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n;
    c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n;
    c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += n;
    c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
    return;
  }
  if (rows === TILE && cols === TILE) {
    let o = cOff;
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += n;
    c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += n;
    c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += n;
    c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) c[cOff + r * n + q] = (add ? c[cOff + r * n + q]! : 0) + tile[r * TILE + q]!;
  }
}

/**
 * Cache-blocked batched matmul (GotoBLAS layout in miniature): for each depth block of KC, op(B)
 * is packed into 4-column panels once, then each 4-row panel of op(A) is packed and swept across
 * all B panels by a 4 × 4 register-tiled micro-kernel. Accumulates in float64 registers; when
 * the depth spans several blocks a float32 C is summed in a float64 buffer, then stored once.
 */
export function matmul(as_: Storage, bs_: Storage, batch: number, m: number, k: number, n: number,
  transA: boolean, transB: boolean): Storage {
  const a = arr(as_), b = arr(bs_);
  const out = allocate(as_.dtype, batch * m * n);
  if (m === 0 || n === 0) return new CpuStorage(out);
  const c: TypedArray = k > KC && as_.dtype === 'float32' ? new Float64Array(m * n) : out;
  const nPanels = Math.ceil(n / TILE);
  const bPack = new Float64Array(nPanels * TILE * Math.min(k, KC));
  const aPack = new Float64Array(TILE * Math.min(k, KC));
  for (let t = 0; t < batch; t++) {
    const aOff = t * m * k, bOff = t * k * n;
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      for (let jp = 0; jp < nPanels; jp++) packB(b, bOff, k, n, transB, jp * TILE, p0, kc, bPack.subarray(jp * TILE * kc));
      for (let i0 = 0; i0 < m; i0 += TILE) {
        packA(a, aOff, m, k, transA, i0, p0, kc, aPack);
        const rows = Math.min(TILE, m - i0);
        const cBase = c === out ? t * m * n : 0;
        for (let jp = 0; jp < nPanels; jp++) {
          const j0 = jp * TILE;
          microKernel(aPack, 0, bPack, jp * TILE * kc, kc, c, cBase + i0 * n + j0, n, rows, Math.min(TILE, n - j0), p0 > 0);
        }
      }
    }
    if (c !== out) out.set(c, t * m * n);
  }
  return new CpuStorage(out);
}
