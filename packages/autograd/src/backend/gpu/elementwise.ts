/**
 * Elementwise kernels: unary, broadcasting binary, where. One output cell per thread; each
 * operand is read at the thread id (contiguous; int32, so any size), at 0 (a broadcast scalar) or
 * at its decoded broadcast offset (float32 indices, tensors up to 2^24).
 */
import type { BinaryOp, UnaryOp } from '../backend.js';
import { broadcastStrides, sizeOf, stridesOf } from '../../shape.js';
import { collapseDims } from '../cpu/storage.js';
import { isNaNTest, kernelSource, stridedReads } from './codegen.js';
import { isDeviceMode } from './modes.js';
import type { KernelRunner } from './runner.js';
import type { GpuStorage } from './storage.js';
import { deviceAtan2, deviceInverseTrig, deviceSinCos, deviceTanh } from './deviceMath.js';

/** Kernel body of unary `op` on `mode`: the written-out trigonometry and tanh on GPU modes, else {@link unaryBody}. */
function unaryLines(op: UnaryOp, device: boolean): string[] {
  if (device && (op === 'asin' || op === 'acos')) return deviceInverseTrig[op];
  if (device && (op === 'sin' || op === 'cos')) return deviceSinCos(op);
  if (device && op === 'tanh') return deviceTanh;
  return unaryBody[op];
}

/** Body lines computing `op(v)`, matching the cpu backend (stable sigmoid, relu of NaN = 0). */
const unaryBody: Readonly<Record<UnaryOp, string[]>> = {
  neg: ['return -v;'],
  exp: ['return Math.exp(v);'],
  log: ['return Math.log(v);'],
  sqrt: ['return Math.sqrt(v);'],
  abs: ['return Math.abs(v);'],
  sign: ['return Math.sign(v);'],
  sin: ['return Math.sin(v);'],
  cos: ['return Math.cos(v);'],
  acos: ['return Math.acos(v);'],
  asin: ['return Math.asin(v);'],
  tanh: ['return Math.tanh(v);'],
  sigmoid: ['const e = Math.exp(-Math.abs(v));', 'if (v >= 0) { return 1 / (1 + e); }', 'return e / (1 + e);'],
  relu: ['if (v > 0) { return v; }', 'return 0;'],
  square: ['return v * v;'],
  reciprocal: ['return 1 / v;'],
};

/**
 * Body lines computing `op(x, y)`. maximum/minimum propagate NaN from either side as the cpu
 * backend does; comparisons give 1 or 0.
 */
function binaryBody(op: BinaryOp, device: boolean): string[] {
  switch (op) {
    case 'add': return ['return x + y;'];
    case 'sub': return ['return x - y;'];
    case 'mul': return ['return x * y;'];
    case 'div': return ['return x / y;'];
    case 'pow':
      // GLSL and WGSL leave pow(x < 0, y) undefined: take |x|, then the sign for odd integer y.
      // NaN for a fractional y comes from sqrt(x) at run time (x < 0 there): WGSL rejects a
      // constant sqrt(-1) at compile time.
      return device
        ? ['const m = Math.pow(Math.abs(x), y);', 'if (x >= 0) { return m; }', 'if (Math.floor(y) !== y) { return Math.sqrt(x); }',
          'const h = y / 2;', 'if (Math.floor(h) === h) { return m; }', 'return -m;']
        : ['return Math.pow(x, y);'];
    case 'atan2': return device ? deviceAtan2 : ['return Math.atan2(x, y);'];
    case 'maximum': return ['if (x >= y) { return x; }', `if ${isNaNTest('x')} { return x; }`, 'return y;'];
    case 'minimum': return ['if (x <= y) { return x; }', `if ${isNaNTest('x')} { return x; }`, 'return y;'];
    case 'eq': return ['if (x === y) { return 1; }', 'return 0;'];
    case 'ne': return ['if (x !== y) { return 1; }', 'return 0;'];
    case 'lt': return ['if (x < y) { return 1; }', 'return 0;'];
    case 'le': return ['if (x <= y) { return 1; }', 'return 0;'];
    case 'gt': return ['if (x > y) { return 1; }', 'return 0;'];
    case 'ge': return ['if (x >= y) { return 1; }', 'return 0;'];
  }
}

/** `out[i] = op(x[i])`. */
export function unary(r: KernelRunner, op: UnaryOp, x: GpuStorage): GpuStorage {
  const n = x.size;
  return r.run({
    primitive: `unary.${op}`, key: `unary.${op}[${n}]`, output: [n], floatIndex: 0,
    source: kernelSource(['x'], ['const v = x[this.thread.x];', ...unaryLines(op, isDeviceMode(r.mode))]),
  }, [x]);
}

/** Collapsed output shape and per-operand broadcast strides (contiguous runs merged). */
function collapse(outShape: readonly number[], shapes: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const { shape, strides } = collapseDims(outShape, [stridesOf(outShape), ...shapes.map((s) => broadcastStrides(s, outShape))]);
  return { shape, strides: strides.slice(1) };
}

/** `out = op(a, b)`, NumPy broadcasting. */
export function binary(r: KernelRunner, op: BinaryOp, a: GpuStorage, aShape: readonly number[], b: GpuStorage,
  bShape: readonly number[], outShape: readonly number[]): GpuStorage {
  const n = sizeOf(outShape);
  const { shape, strides } = collapse(outShape, [aShape, bShape]);
  const { lines, exprs } = stridedReads('this.thread.x', shape, strides, isDeviceMode(r.mode));
  return r.run({
    primitive: `binary.${op}`, key: `binary.${op}[${shape}|${strides.join('|')}|${a.size},${b.size}]`, output: [n],
    ...(lines.length === 0 ? { floatIndex: 0 } : {}),
    source: kernelSource(['a', 'b'], [...lines, `const x = a[${exprs[0]}];`, `const y = b[${exprs[1]}];`,
      ...binaryBody(op, isDeviceMode(r.mode))]),
  }, [a, b]);
}

/** `out = cond ≠ 0 ? a : b`, all three broadcast. */
export function where(r: KernelRunner, c: GpuStorage, cShape: readonly number[], a: GpuStorage, aShape: readonly number[],
  b: GpuStorage, bShape: readonly number[], outShape: readonly number[]): GpuStorage {
  const n = sizeOf(outShape);
  const { shape, strides } = collapse(outShape, [cShape, aShape, bShape]);
  const { lines, exprs } = stridedReads('this.thread.x', shape, strides, isDeviceMode(r.mode));
  return r.run({
    primitive: 'where', key: `where[${shape}|${strides.join('|')}|${c.size},${a.size},${b.size}]`, output: [n],
    ...(lines.length === 0 ? { floatIndex: 0 } : {}),
    source: kernelSource(['c', 'a', 'b'], [...lines,
      `if (c[${exprs[0]}] !== 0) { return a[${exprs[1]}]; }`, `return b[${exprs[2]}];`]),
  }, [c, a, b]);
}
