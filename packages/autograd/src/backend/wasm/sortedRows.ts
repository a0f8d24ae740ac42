/** The wasm backend's fused sorted-row losses (assembly/sortedRows.ts). */
import type { Storage } from '../backend.js';
import { sortedRowConstants, type SortedRowInput, type SortedRowLoss, type SortedRowLossResult } from '../sortedRows.js';
import { alloc, own, withScratch, type WasmContext } from './context.js';
import { bytesOf } from './storage.js';

/** Kernel codes of the kinds. */
const kinds: readonly SortedRowLoss[] = ['sliced', 'ssw'];

/**
 * Each row's loss and its gradient in one kernel call: sort, loss, gradient back in row order; for
 * `coordinates` ([x; y], 2·rows × len) the kernel forms each row's angles and the gradient goes
 * back through atan2.
 */
export function sortedRowLoss(ctx: WasmContext, xs: Storage, rows: number, len: number, kind: SortedRowLoss,
  input: SortedRowInput = 'angles'): SortedRowLossResult {
  const x = own(ctx, 'sortedRowLoss', xs);
  const coords = input === 'coordinates';
  const loss = alloc(ctx, rows, x.dtype), grad = alloc(ctx, (coords ? 2 : 1) * rows * len, x.dtype);
  if (rows * len === 0) return { loss, grad };
  const el = bytesOf(x.dtype);
  // float64 constants and per-row values, the row sort's scratch (assembly/radix.ts), then (for
  // coordinates) a row of angles and a row of their gradient
  const sortBytes = 2 * len * el + 8 * len + 1024 * el, rowBytes = coords ? 2 * len * el + 16 : 0;
  withScratch(ctx, 16 * len + sortBytes + rowBytes + 32, (p) => {
    const consts = (p + 7) & ~7, tmp = consts + 8 * len, scratch = tmp + 8 * len, rowT = (scratch + sortBytes + 15) & ~15;
    new Float64Array(ctx.heap.u8().buffer, consts, len).set(sortedRowConstants(kind, len));
    const sfx = x.dtype === 'float64' ? 'f64' : 'f32';
    if (coords) {
      ctx.kernels.exports[`sortedRowLossOfCoordinates_${sfx}`]!(loss.ptr, grad.ptr, x.ptr, rows, len, kinds.indexOf(kind), consts, tmp, scratch, rowT);
    } else {
      ctx.kernels.exports[`sortedRowLoss_${sfx}`]!(loss.ptr, grad.ptr, x.ptr, rows, len, kinds.indexOf(kind), consts, tmp, scratch);
    }
  });
  return { loss, grad };
}
