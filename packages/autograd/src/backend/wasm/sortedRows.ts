/** The wasm backend's fused sorted-row losses (assembly/sortedRows.ts). */
import type { Storage } from '../backend.js';
import { sortedRowConstants, type SortedRowLoss, type SortedRowLossResult } from '../sortedRows.js';
import { alloc, own, withScratch, type WasmContext } from './context.js';
import { bytesOf } from './storage.js';

/** Kernel codes of the kinds. */
const kinds: readonly SortedRowLoss[] = ['sliced', 'ssw'];

/** Each row's loss and its gradient in one kernel call: sort, loss, gradient back in row order. */
export function sortedRowLoss(ctx: WasmContext, ts: Storage, rows: number, len: number, kind: SortedRowLoss): SortedRowLossResult {
  const theta = own(ctx, 'sortedRowLoss', ts);
  const loss = alloc(ctx, rows, theta.dtype), grad = alloc(ctx, rows * len, theta.dtype);
  if (rows * len === 0) return { loss, grad };
  const el = bytesOf(theta.dtype);
  // float64 constants and per-row values, then the row sort's scratch (assembly/radix.ts)
  const sortBytes = 2 * len * el + 8 * len + 1024 * el;
  withScratch(ctx, 16 * len + sortBytes + 16, (p) => {
    const consts = (p + 7) & ~7, tmp = consts + 8 * len, scratch = tmp + 8 * len;
    new Float64Array(ctx.heap.u8().buffer, consts, len).set(sortedRowConstants(kind, len));
    ctx.kernels.exports[theta.dtype === 'float64' ? 'sortedRowLoss_f64' : 'sortedRowLoss_f32']!(
      loss.ptr, grad.ptr, theta.ptr, rows, len, kinds.indexOf(kind), consts, tmp, scratch);
  });
  return { loss, grad };
}
