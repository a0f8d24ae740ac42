/**
 * The wasm backend's fused Riemannian row updates (assembly/optim.ts): RiemannianAdam's and
 * RiemannianSGD's step on the product of spheres over storages of the heap, rows split over the
 * threads, new blocks for the new point and state (no host copy, no input written).
 */
import type { Storage } from '../backend.js';
import type { DType } from '../../dtype.js';
import { KeepdistError, ShapeError } from '../../errors.js';
import { alloc, own, sameDtype, withScratch, type WasmContext } from './context.js';
import type { WasmStorage } from './storage.js';

/** What both updates read besides the tensors. */
export interface RiemannianRowsSpec {
  /** Rows (points). */
  n: number;
  /** Columns (ambient dimension). */
  d: number;
  /** The exact exponential map or the projection retraction. */
  retraction: 'expmap' | 'retr';
  /** Re-project the new point and first moment at this step. */
  stabilize: boolean;
  /** θ below which expmap's sinc θ is its Taylor series. */
  seriesThreshold: number;
  /** Learning rate. */
  lr: number;
  /** λ of the weight-decayed gradient ∇ + λ·x (0: none). */
  weightDecay: number;
}

/** RiemannianAdam's hyperparameters at one step. */
export interface AdamRowsSpec extends RiemannianRowsSpec {
  /** β1. */
  beta1: number;
  /** β2. */
  beta2: number;
  /** Denominator guard. */
  eps: number;
  /** This step's number t (1 on the first), for the bias corrections 1 − βᵗ. */
  step: number;
  /** Divide by the running maximum of v. */
  amsgrad: boolean;
}

/** RiemannianSGD's hyperparameters. */
export interface SgdRowsSpec extends RiemannianRowsSpec {
  /** Momentum β (0: none, no buffer). */
  momentum: number;
  /** Dampening of the momentum buffer's update. */
  dampening: number;
  /** Nesterov's direction g + β m. */
  nesterov: boolean;
}

/**
 * How a fused update ended: its new storages; 'composed' where the composed reference must run
 * instead (a negative second moment, an SGD norm overflowing float64); or 'overflow' where the
 * weight-decayed gradient ∇ + λ·x left the dtype's range (flat index and value, ±∞ or NaN).
 */
export type RowsOutcome<T> = ({ status: 'done' } & T) | { status: 'composed' } | { status: 'overflow'; index: number; value: number };

/** Adam's new point and state. */
export interface AdamRowsResult {
  /** New point, n × d. */
  x: Storage;
  /** New first moment, n × d. */
  m: Storage;
  /** New second moment, n. */
  v: Storage;
  /** New running maximum of v (amsgrad), else null. */
  vMax: Storage | null;
}

/** SGD's new point and momentum buffer. */
export interface SgdRowsResult {
  /** New point, n × d. */
  x: Storage;
  /** New momentum buffer (null without momentum). */
  m: Storage | null;
}

const largestFinite: Readonly<Record<DType, number>> = { float64: Number.MAX_VALUE, float32: 3.4028234663852886e38 };
/** Elements from which an update splits its rows over the threads. */
const PARALLEL_MIN = 1 << 15;
/** Float64 slots of the kernels' parameter block (assembly/optim.ts). */
const SLOTS = 24;
const EXPMAP = 1, STABILIZE = 2, AMSGRAD = 4, MOMENTUM = 8, NESTEROV = 16;

/** Throws naming `op` unless `s` holds `size` elements. */
function checkSize(op: string, what: string, s: WasmStorage, size: number): void {
  if (s.size !== size) throw new ShapeError(`${op}: expected ${what} of ${size} elements, got ${s.size}.`);
}

/**
 * Runs kernel `name` over rows split into parts with the parameter block `slots` (addresses of the
 * outputs included); returns the first part's non-zero status [code, index, value], or null.
 */
function runRows(ctx: WasmContext, name: 'adamRows' | 'sgdRows', dtype: DType, n: number, d: number, slots: Float64Array): [number, number, number] | null {
  const parts = n * d >= PARALLEL_MIN ? Math.min(ctx.parts, n) : 1;
  const rows = Math.ceil(n / parts);
  const rowScratch = Math.ceil((32 * (d + (d % 2))) / 64) * 64; // four float64 rows of even length
  const bytes = SLOTS * 8 + parts * (64 + rowScratch);
  return withScratch(ctx, bytes, (block) => {
    ctx.heap.f64().set(slots, block / 8);
    const status = block + SLOTS * 8, scratch = status + parts * 64;
    ctx.parallel(`${name}_${dtype === 'float64' ? 'f64' : 'f32'}`, parts, (p) =>
      [block, Math.min(n, p * rows), Math.min(n, (p + 1) * rows), scratch + p * rowScratch, status + p * 64]);
    const f64 = ctx.heap.f64();
    for (let p = 0; p < parts; p++) {
      const at = (status + p * 64) / 8;
      if (f64[at] !== 0) return [f64[at]!, f64[at + 1]!, f64[at + 2]!];
    }
    return null;
  });
}

/** The parameter block being filled (reused: JavaScript runs one update at a time). */
const slotsScratch = new Float64Array(SLOTS);

/** The common slots of the parameter block (in a reused array, cleared first). */
function commonSlots(spec: RiemannianRowsSpec, dtype: DType, flags: number): Float64Array {
  const s = slotsScratch.fill(0);
  s[10] = spec.d;
  s[14] = -spec.lr;
  s[17] = spec.weightDecay;
  s[18] = largestFinite[dtype];
  s[19] = flags | (spec.retraction === 'expmap' ? EXPMAP : 0) | (spec.stabilize ? STABILIZE : 0);
  s[20] = spec.seriesThreshold;
  return s;
}

/** Frees what a failed update allocated and turns its status into the outcome. */
function failed<T>(status: [number, number, number], made: (WasmStorage | null)[]): RowsOutcome<T> {
  for (const s of made) s?.dispose();
  return status[0] === 2 ? { status: 'overflow', index: status[1], value: status[2] } : { status: 'composed' };
}

/**
 * RiemannianAdam's update of every row (see {@link AdamRowsSpec}); m, v and vMax null before their
 * first step. With `reuseState` the new moments overwrite m, v and vMax (new blocks only for a state
 * not there yet), with `reuseX` the new point overwrites x: the caller must have ruled out the
 * outcomes that stop part way (no weight decay, no negative v or vMax), which then throw a KeepdistError.
 */
export function adamRows(ctx: WasmContext, spec: AdamRowsSpec, xs: Storage, gs: Storage, ms: Storage | null, vs: Storage | null,
  vMaxs: Storage | null, reuseState = false, reuseX = false): RowsOutcome<AdamRowsResult> {
  const op = 'RiemannianAdam';
  const { n, d } = spec;
  const x = own(ctx, op, xs), g = own(ctx, op, gs);
  const m = ms ? own(ctx, op, ms) : null, v = vs ? own(ctx, op, vs) : null, vMaxIn = vMaxs ? own(ctx, op, vMaxs) : null;
  const dtype = sameDtype(op, [x, g, ...(m ? [m] : []), ...(v ? [v] : []), ...(vMaxIn ? [vMaxIn] : [])]);
  checkSize(op, 'x', x, n * d);
  checkSize(op, 'the gradient', g, n * d);
  if (m) checkSize(op, 'm', m, n * d);
  if (v) checkSize(op, 'v', v, n);
  if (vMaxIn) checkSize(op, 'vMax', vMaxIn, n);
  const xOut = reuseX ? x : alloc(ctx, n * d, dtype);
  const mOut = reuseState && m ? m : alloc(ctx, n * d, dtype), vOut = reuseState && v ? v : alloc(ctx, n, dtype);
  const vMaxOut = spec.amsgrad ? (reuseState && vMaxIn ? vMaxIn : alloc(ctx, n, dtype)) : null;
  const s = commonSlots(spec, dtype, spec.amsgrad ? AMSGRAD : 0);
  s.set([x.ptr, g.ptr, m?.ptr ?? 0, v?.ptr ?? 0, vMaxIn?.ptr ?? 0, xOut.ptr, mOut.ptr, vOut.ptr, vMaxOut?.ptr ?? 0], 0);
  s[11] = spec.beta1;
  s[12] = spec.beta2;
  s[13] = spec.eps;
  s[15] = 1 - spec.beta1 ** spec.step;
  s[16] = 1 - spec.beta2 ** spec.step;
  s[21] = 1 - spec.beta1;
  s[22] = 1 - spec.beta2;
  const status = runRows(ctx, 'adamRows', dtype, n, d, s);
  if (status && (reuseState || reuseX)) {
    if (!reuseX) xOut.dispose();
    throw new KeepdistError(`${op}: expected an update in the state's blocks to run to the end, got status ${status[0]} at row ${status[1]}. Use the pure update for this state.`);
  }
  if (status) return failed(status, [xOut, mOut, vOut, vMaxOut]);
  return { status: 'done', x: xOut, m: mOut, v: vOut, vMax: vMaxOut };
}

/**
 * RiemannianSGD's update of every row (see {@link SgdRowsSpec}); m null without a previous buffer.
 * With `reuseState` the new momentum buffer, with `reuseX` the new point, are computed into pooled
 * blocks and, once every row is done, copied over m and x (so an outcome that stops part way
 * leaves both as they were) and the blocks freed.
 */
export function sgdRows(ctx: WasmContext, spec: SgdRowsSpec, xs: Storage, gs: Storage, ms: Storage | null,
  reuseState = false, reuseX = false): RowsOutcome<SgdRowsResult> {
  const op = 'RiemannianSGD';
  const { n, d } = spec;
  const x = own(ctx, op, xs), g = own(ctx, op, gs);
  const useMomentum = spec.momentum > 0;
  const m = useMomentum && ms ? own(ctx, op, ms) : null;
  const dtype = sameDtype(op, [x, g, ...(m ? [m] : [])]);
  checkSize(op, 'x', x, n * d);
  checkSize(op, 'the gradient', g, n * d);
  if (m) checkSize(op, 'm', m, n * d);
  const xOut = alloc(ctx, n * d, dtype), mOut = useMomentum ? alloc(ctx, n * d, dtype) : null;
  const s = commonSlots(spec, dtype, (useMomentum ? MOMENTUM : 0) | (spec.nesterov ? NESTEROV : 0));
  s.set([x.ptr, g.ptr, m?.ptr ?? 0, 0, 0, xOut.ptr, mOut?.ptr ?? 0], 0);
  s[11] = spec.momentum;
  s[21] = 1 - spec.dampening;
  const status = runRows(ctx, 'sgdRows', dtype, n, d, s);
  if (status) return failed(status, [xOut, mOut]);
  const bytes = n * d * (dtype === 'float64' ? 8 : 4);
  const over = (dst: WasmStorage, src: WasmStorage): WasmStorage => {
    ctx.heap.u8().copyWithin(dst.ptr, src.ptr, src.ptr + bytes);
    src.dispose();
    return dst;
  };
  return { status: 'done', x: reuseX ? over(x, xOut) : xOut, m: reuseState && m && mOut ? over(m, mOut) : mOut };
}
