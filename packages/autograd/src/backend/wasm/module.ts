/**
 * The compiled kernels: decoding the embedded module, instantiating it synchronously over a
 * memory, and the signatures of its exports.
 */
import { KeepdistError } from '../../errors.js';
import { kernelsBase64 } from './generated/kernels.js';

/** A dtype-specific export name suffix. */
export type Suffix = 'f32' | 'f64';

type Fn<A extends unknown[]> = (...args: A) => void;
type Rows = Fn<[o: number, x: number, outer: number, len: number, inner: number, idx: number, m: number]>;

/** Exports of one dtype (names end in `_f32` or `_f64`). */
interface TypedKernels {
  unary: Fn<[op: number, o: number, x: number, n: number]>;
  binary: Fn<[op: number, o: number, a: number, b: number, rank: number, meta: number, offs: number]>;
  where: Fn<[o: number, c: number, a: number, b: number, rank: number, meta: number, offs: number]>;
  reduce: Fn<[op: number, o: number, x: number, outer: number, len: number, inner: number, acc: number]>;
  matmul: Fn<[a: number, b: number, c: number, batch: number, m: number, k: number, n: number, transA: number, transB: number, scratch: number]>;
  matmulScratch: (k: number, n: number, transA: number) => number;
  fill: Fn<[o: number, n: number, value: number]>;
  stridedCopy: Fn<[o: number, x: number, rank: number, meta: number, offs: number]>;
  stridedScatter: Fn<[o: number, src: number, rank: number, meta: number, offs: number]>;
  gather: Rows;
  scatterAdd: Rows;
  sort: Fn<[o: number, oi: number, x: number, rows: number, len: number, scratch: number]>;
  pairwiseSum: Fn<[x: number, n: number, d: number, kind: number, dist: number, gamma: number, s: number, eps: number,
    withGrad: number, sumOut: number, g: number, scratch: number]>;
  pairwiseScratch: (n: number, d: number) => number;
  nearest: Fn<[q: number, m: number, x: number, n: number, d: number, excludeSelf: number, values: number, indices: number, scratch: number]>;
  nearestScratch: (m: number, n: number, d: number) => number;
}

/** The instantiated kernels: per-dtype tables plus the dtype-free exports. */
export interface Kernels {
  readonly f32: TypedKernels;
  readonly f64: TypedKernels;
  /** float32 → float64. */
  castUp: Fn<[o: number, x: number, n: number]>;
  /** float64 → float32. */
  castDown: Fn<[o: number, x: number, n: number]>;
  /** memset 0. */
  zeroBytes: Fn<[dst: number, bytes: number]>;
  /** First byte the heap may use. */
  heapBase: () => number;
}

let compiled: WebAssembly.Module | null = null;

/** The module, compiled once per process from the embedded bytes (synchronously). */
function kernelModule(): WebAssembly.Module {
  if (compiled) return compiled;
  const text = atob(kernelsBase64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  try {
    compiled = new WebAssembly.Module(bytes);
  } catch (e) {
    throw new KeepdistError(`wasm backend: expected WebAssembly with SIMD, got a runtime that cannot compile the kernels (${(e as Error).message}). Use cpuBackend.`);
  }
  return compiled;
}

/** Instantiates the kernels over `memory` (synchronously). */
export function instantiateKernels(memory: WebAssembly.Memory): Kernels {
  const instance = new WebAssembly.Instance(kernelModule(), { env: { memory } });
  const e = instance.exports as Record<string, (...args: number[]) => number>;
  const typed = (s: Suffix): TypedKernels => ({
    unary: e[`unary_${s}`]!, binary: e[`binary_${s}`]!, where: e[`where_${s}`]!, reduce: e[`reduce_${s}`]!,
    matmul: e[`matmul_${s}`]!, matmulScratch: e[`matmulScratch_${s}`]!, fill: e[`fill_${s}`]!,
    stridedCopy: e[`stridedCopy_${s}`]!, stridedScatter: e[`stridedScatter_${s}`]!, gather: e[`gather_${s}`]!,
    scatterAdd: e[`scatterAdd_${s}`]!, sort: e[`sort_${s}`]!, pairwiseSum: e[`pairwiseSum_${s}`]!,
    pairwiseScratch: e[`pairwiseScratch_${s}`]!, nearest: e[`nearest_${s}`]!, nearestScratch: e[`nearestScratch_${s}`]!,
  });
  return {
    f32: typed('f32'), f64: typed('f64'),
    castUp: e.cast_f32_f64!, castDown: e.cast_f64_f32!, zeroBytes: e.zeroBytes!, heapBase: e.heapBase!,
  };
}

/** A module of one function using SIMD: `i32x4.extract_lane 0 (i32x4.splat (i32.const 0))`. */
const simdProbe = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 10, 11, 1, 9, 0, 65, 0, 253, 17, 253, 27, 0, 11,
]);

/** True when this runtime has WebAssembly with the SIMD proposal (Node 16.4+, current browsers). */
export function wasmSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(simdProbe);
  } catch {
    return false;
  }
}
