/** The wasm backend's fused sorted-row losses (assembly/sortedRows.ts). */
import type { Storage } from '../backend.js';
import { sortedRowConstants, type SortedRowInput, type SortedRowLoss, type SortedRowLossResult } from '../sortedRows.js';
import { alloc, own, withScratch, type WasmContext } from './context.js';
import { bytesOf } from './storage.js';

/** Elements (rows × len) from which the rows are split over the threads: below it one thread is faster. */
const SORTED_ROWS_PARALLEL_MIN = 1 << 15;

/** Kernel codes of the kinds. */
const kinds: readonly SortedRowLoss[] = ['sliced', 'ssw'];

/**
 * Each row's loss and its gradient in one kernel call: sort, loss, gradient back in row order; for
 * `coordinates` ([x; y], 2·rows × len) the kernel forms each row's angles and the gradient goes
 * back through atan2.
 */
export function sortedRowLoss(ctx: WasmContext, xs: Storage, rows: number, len: number, kind: SortedRowLoss,
  input: SortedRowInput): SortedRowLossResult {
  const x = own(ctx, 'sortedRowLoss', xs);
  const coords = input === 'coordinates';
  const loss = alloc(ctx, rows, x.dtype), grad = alloc(ctx, (coords ? 2 : 1) * rows * len, x.dtype);
  if (rows * len === 0) return { loss, grad };
  const el = bytesOf(x.dtype);
  // per part: a row sort's scratch (assembly/radix.ts) and float64 per-row values, then (for
  // coordinates) a row of angles and a row of their gradient; the float64 constants are shared
  const sortBytes = 2 * len * el + 8 * len + 1024 * el, rowBytes = coords ? 2 * len * el : 0;
  const partBytes = Math.ceil((8 * len + sortBytes + rowBytes) / 64) * 64;
  const parts = rows * len >= SORTED_ROWS_PARALLEL_MIN ? Math.min(ctx.parts, rows) : 1;
  const per = Math.ceil(rows / parts);
  withScratch(ctx, 64 + 8 * len + parts * partBytes, (p) => {
    const consts = (p + 63) & ~63, part0 = consts + Math.ceil((8 * len) / 64) * 64;
    new Float64Array(ctx.heap.u8().buffer, consts, len).set(sortedRowConstants(kind, len));
    const sfx = x.dtype === 'float64' ? 'f64' : 'f32', code = kinds.indexOf(kind);
    ctx.parallel(coords ? `sortedRowLossOfCoordinates_${sfx}` : `sortedRowLoss_${sfx}`, parts, (q) => {
      const tmp = part0 + q * partBytes, scratch = tmp + 8 * len, r0 = Math.min(rows, q * per), r1 = Math.min(rows, r0 + per);
      return coords
        ? [loss.ptr, grad.ptr, x.ptr, rows, len, code, consts, tmp, scratch, scratch + sortBytes, r0, r1]
        : [loss.ptr, grad.ptr, x.ptr, len, code, consts, tmp, scratch, r0, r1];
    });
  });
  return { loss, grad };
}
