import type { BinaryOp, Storage, UnaryOp } from '../backend.js';
import { allocate, type TypedArray } from '../../dtype.js';
import { broadcastStrides, sizeOf, stridesOf } from '../../shape.js';
import { CpuStorage, arr, collapseDims, forEachRun } from './storage.js';

/** Numerically stable logistic function. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** `out[i] = f(x[i])`, one tight loop per op. */
export function unary(op: UnaryOp, xs: Storage): Storage {
  const x = arr(xs);
  const n = x.length;
  const o = allocate(xs.dtype, n);
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) o[i] = -x[i]!; break;
    case 'exp': for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]!); break;
    case 'log': for (let i = 0; i < n; i++) o[i] = Math.log(x[i]!); break;
    case 'sqrt': for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]!); break;
    case 'abs': for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]!); break;
    case 'sign': for (let i = 0; i < n; i++) o[i] = Math.sign(x[i]!); break;
    case 'sin': for (let i = 0; i < n; i++) o[i] = Math.sin(x[i]!); break;
    case 'cos': for (let i = 0; i < n; i++) o[i] = Math.cos(x[i]!); break;
    case 'acos': for (let i = 0; i < n; i++) o[i] = Math.acos(x[i]!); break;
    case 'asin': for (let i = 0; i < n; i++) o[i] = Math.asin(x[i]!); break;
    case 'tanh': for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i]!); break;
    case 'sigmoid': for (let i = 0; i < n; i++) o[i] = sigmoid(x[i]!); break;
    case 'relu': for (let i = 0; i < n; i++) o[i] = x[i]! > 0 ? x[i]! : 0; break;
    case 'square': for (let i = 0; i < n; i++) o[i] = x[i]! * x[i]!; break;
    case 'reciprocal': for (let i = 0; i < n; i++) o[i] = 1 / x[i]!; break;
  }
  return new CpuStorage(o);
}

/** One contiguous run of a binary op: `o[oo+i] = f(a[ao+i·as], b[bo+i·bs])`. */
function binaryRun(op: BinaryOp, o: TypedArray, oo: number, a: TypedArray, ao: number, as: number,
  b: TypedArray, bo: number, bs: number, n: number): void {
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as]! + b[bo + i * bs]!; break;
    case 'sub': for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as]! - b[bo + i * bs]!; break;
    case 'mul': for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as]! * b[bo + i * bs]!; break;
    case 'div': for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as]! / b[bo + i * bs]!; break;
    case 'pow': for (let i = 0; i < n; i++) o[oo + i] = Math.pow(a[ao + i * as]!, b[bo + i * bs]!); break;
    case 'atan2': for (let i = 0; i < n; i++) o[oo + i] = Math.atan2(a[ao + i * as]!, b[bo + i * bs]!); break;
    case 'maximum': for (let i = 0; i < n; i++) { const x = a[ao + i * as]!, y = b[bo + i * bs]!; o[oo + i] = x >= y || x !== x ? x : y; } break;
    case 'minimum': for (let i = 0; i < n; i++) { const x = a[ao + i * as]!, y = b[bo + i * bs]!; o[oo + i] = x <= y || x !== x ? x : y; } break;
    case 'eq': for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as]! === b[bo + i * bs]! ? 1 : 0; break;
    case 'ne': for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as]! !== b[bo + i * bs]! ? 1 : 0; break;
    case 'lt': for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as]! < b[bo + i * bs]! ? 1 : 0; break;
    case 'le': for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as]! <= b[bo + i * bs]! ? 1 : 0; break;
    case 'gt': for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as]! > b[bo + i * bs]! ? 1 : 0; break;
    case 'ge': for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as]! >= b[bo + i * bs]! ? 1 : 0; break;
  }
}

/** Broadcasting binary op over the collapsed strided walk of both inputs. */
export function binary(op: BinaryOp, as_: Storage, aShape: readonly number[], bs_: Storage,
  bShape: readonly number[], outShape: readonly number[]): Storage {
  const a = arr(as_);
  const b = arr(bs_);
  const n = sizeOf(outShape);
  const o = allocate(as_.dtype, n);
  // an operand with the output's size is walked contiguously, one of size 1 by stride 0: one run
  if ((a.length === n || a.length === 1) && (b.length === n || b.length === 1)) {
    binaryRun(op, o, 0, a, 0, a.length === n ? 1 : 0, b, 0, b.length === n ? 1 : 0, n);
    return new CpuStorage(o);
  }
  const { shape, strides } = collapseDims(outShape, [
    stridesOf(outShape), broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape),
  ]);
  const last = shape.length - 1;
  const sa = last >= 0 ? strides[1]![last]! : 0;
  const sb = last >= 0 ? strides[2]![last]! : 0;
  forEachRun(shape, strides, [0, 0, 0], (off, n) => binaryRun(op, o, off[0]!, a, off[1]!, sa, b, off[2]!, sb, n));
  return new CpuStorage(o);
}

/** `out = cond ≠ 0 ? a : b`, broadcasting all three. */
export function where(cs: Storage, cShape: readonly number[], as_: Storage, aShape: readonly number[],
  bs_: Storage, bShape: readonly number[], outShape: readonly number[]): Storage {
  const c = arr(cs), a = arr(as_), b = arr(bs_);
  const n = sizeOf(outShape);
  const o = allocate(as_.dtype, n);
  const flat = (x: TypedArray): boolean => x.length === n || x.length === 1;
  if (flat(c) && flat(a) && flat(b)) {
    const sc = c.length === n ? 1 : 0, sa = a.length === n ? 1 : 0, sb = b.length === n ? 1 : 0;
    for (let i = 0; i < n; i++) o[i] = c[i * sc] !== 0 ? a[i * sa]! : b[i * sb]!;
    return new CpuStorage(o);
  }
  const { shape, strides } = collapseDims(outShape, [
    stridesOf(outShape), broadcastStrides(cShape, outShape), broadcastStrides(aShape, outShape),
    broadcastStrides(bShape, outShape),
  ]);
  const last = shape.length - 1;
  const [sc, sa, sb] = [1, 2, 3].map((k) => (last >= 0 ? strides[k]![last]! : 0)) as [number, number, number];
  forEachRun(shape, strides, [0, 0, 0, 0], (off, n) => {
    const [oo, co, ao, bo] = off as [number, number, number, number];
    for (let i = 0; i < n; i++) o[oo + i] = c[co + i * sc] !== 0 ? a[ao + i * sa]! : b[bo + i * sb]!;
  });
  return new CpuStorage(o);
}
