/** The wasm backend's elementwise primitives: unary maps, broadcasting binary ops, where. */
import type { BinaryOp, Storage, UnaryOp } from '../backend.js';
import { sizeOf } from '../../shape.js';
import { alloc, own, pairDtype, planBroadcast, sameDtype, typed, type WasmContext } from './context.js';
import { binaryCodes, unaryCodes } from './opcodes.js';
import type { WasmStorage } from './storage.js';

/** Elements from which a unary op with a transcendental (exp, log, sin, acos, tanh…) splits over the threads. */
const PARALLEL_MIN = 1 << 16;
/**
 * Elements from which the memory-bound unary ops (neg, sqrt, abs, sign, relu, square, reciprocal)
 * split: below it a worker's round trip costs more than the pass (65536 float32 squares take
 * about 15 µs on one thread).
 */
const CHEAP_PARALLEL_MIN = 1 << 20;
const CHEAP: readonly UnaryOp[] = ['neg', 'sqrt', 'abs', 'sign', 'relu', 'square', 'reciprocal'];

/** `out[i] = f(x[i])`. */
export function unary(ctx: WasmContext, op: UnaryOp, xs: Storage): WasmStorage {
  const x = own(ctx, 'unary', xs, op);
  const code = unaryCodes.indexOf(op);
  const out = alloc(ctx, x.size, x.dtype);
  const parts = x.size >= (CHEAP.includes(op) ? CHEAP_PARALLEL_MIN : PARALLEL_MIN) ? ctx.parts : 1;
  if (parts === 1) {
    typed(ctx, x.dtype).unary(code, out.ptr, x.ptr, x.size);
    return out;
  }
  const el = x.dtype === 'float64' ? 8 : 4;
  const chunk = Math.ceil(x.size / parts / 4) * 4; // whole vectors per part
  ctx.parallel(x.dtype === 'float64' ? 'unary_f64' : 'unary_f32', parts, (p) => {
    const at = Math.min(p * chunk, x.size);
    return [code, out.ptr + at * el, x.ptr + at * el, Math.min(chunk, x.size - at)];
  });
  return out;
}

/** `out = f(a, b)` broadcast to `outShape`, over the collapsed walk of the three operands. */
export function binary(ctx: WasmContext, op: BinaryOp, as_: Storage, aShape: readonly number[], bs_: Storage,
  bShape: readonly number[], outShape: readonly number[]): WasmStorage {
  const a = own(ctx, 'binary', as_, op), b = own(ctx, 'binary', bs_, op);
  const dtype = pairDtype('binary', a, b, op);
  const out = alloc(ctx, sizeOf(outShape), dtype);
  const w = planBroadcast(ctx, outShape, aShape, bShape);
  typed(ctx, dtype).binary(binaryCodes.indexOf(op), out.ptr, a.ptr, b.ptr, w.rank, w.meta, w.offs);
  return out;
}

/** `out = cond ≠ 0 ? a : b`, all three broadcast to `outShape` (cond cast to a's dtype first). */
export function where(ctx: WasmContext, cs: Storage, cShape: readonly number[], as_: Storage, aShape: readonly number[],
  bs_: Storage, bShape: readonly number[], outShape: readonly number[], cast: (x: WasmStorage) => WasmStorage): WasmStorage {
  const a = own(ctx, 'where', as_), b = own(ctx, 'where', bs_), c0 = own(ctx, 'where', cs);
  const dtype = sameDtype('where', [a, b]);
  const c = c0.dtype === dtype ? c0 : cast(c0);
  const out = alloc(ctx, sizeOf(outShape), dtype);
  const w = planBroadcast(ctx, outShape, cShape, aShape, bShape);
  typed(ctx, dtype).where(out.ptr, c.ptr, a.ptr, b.ptr, w.rank, w.meta, w.offs);
  if (c !== c0) c.dispose();
  return out;
}
