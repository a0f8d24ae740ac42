/**
 * The compiled kernels: decoding the embedded module, instantiating it synchronously over a
 * memory, and the signatures of its exports.
 */
import { KeepdistError } from '../../errors.js';
import { kernelsBase64, kernelsRelaxedBase64 } from './generated/kernels.js';

/**
 * Which build of the kernels runs: `simd128` (WebAssembly SIMD, every engine with SIMD) or
 * `relaxed-simd` (also relaxed SIMD: the GEMM micro-kernel accumulates with a fused multiply-add
 * where the CPU has one; Node 22+, Chrome 114+, or Node 20 started with
 * `--experimental-wasm-relaxed-simd`).
 */
export type KernelVariant = 'simd128' | 'relaxed-simd';

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
  matmul: Fn<[a: number, b: number, c: number, batch: number, m: number, k: number, n: number, transA: number, transB: number,
    r0: number, r1: number, scratch: number]>;
  matmulScratch: (k: number, n: number, transA: number) => number;
  fill: Fn<[o: number, n: number, value: number]>;
  stridedCopy: Fn<[o: number, x: number, rank: number, meta: number, offs: number]>;
  stridedScatter: Fn<[o: number, src: number, rank: number, meta: number, offs: number]>;
  gather: Rows;
  scatterAdd: Rows;
  sort: Fn<[o: number, oi: number, x: number, rows: number, len: number, scratch: number]>;
  pairwisePack: Fn<[x: number, n: number, d: number, withGrad: number, shared: number]>;
  pairwiseGather: Fn<[g: number, n: number, d: number, priv: number, privBytes: number, parts: number]>;
  pairwiseShared: (n: number, d: number) => number;
  pairwisePrivate: (n: number, d: number) => number;
  nearestPack: Fn<[q: number, m: number, x: number, n: number, d: number, shared: number]>;
  nearestShared: (m: number, n: number, d: number) => number;
  nearestPrivate: () => number;
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
  /** Every export by name (what the worker pool calls). */
  exports: Record<string, (...args: number[]) => number>;
}

/** Compiled modules by variant and memory: `simd128:plain`, `relaxed-simd:shared` (for worker threads)… */
const compiled = new Map<string, WebAssembly.Module>();

/** The decoded bytes of each variant (the probe and the plain and shared compiles share them). */
const decoded = new Map<KernelVariant, Uint8Array<ArrayBuffer>>();

/** Bytes of one variant, decoded from the embedded base64 once per process (read them, never write them). */
function variantBytes(variant: KernelVariant): Uint8Array<ArrayBuffer> {
  const known = decoded.get(variant);
  if (known) return known;
  const text = atob(variant === 'relaxed-simd' ? kernelsRelaxedBase64 : kernelsBase64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  decoded.set(variant, bytes);
  return bytes;
}

let relaxed: boolean | undefined;

/** True when this engine validates the relaxed-SIMD build of the kernels (checked once per process). */
export function relaxedSimdSupported(): boolean {
  if (relaxed === undefined) {
    try {
      relaxed = typeof WebAssembly === 'object' && WebAssembly.validate(variantBytes('relaxed-simd'));
    } catch {
      relaxed = false;
    }
  }
  return relaxed;
}

/** Reads an unsigned LEB128 at `at`: [value, next position]. */
function leb(b: Uint8Array, at: number): [number, number] {
  let v = 0, shift = 0, byte: number;
  do {
    byte = b[at++]!;
    v += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [v, at];
}

/**
 * The same module with its imported memory declared shared: the limits flag of the memory import
 * goes from 1 (has a maximum) to 3 (has a maximum, shared). No kernel uses atomics, so nothing
 * else changes.
 */
function sharedVariant(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const out = bytes.slice();
  let at = 8;
  while (at < out.length) {
    const id = out[at]!;
    const [size, body] = leb(out, at + 1);
    if (id === 2) {
      let [count, p] = leb(out, body);
      while (count-- > 0) {
        for (let name = 0; name < 2; name++) {
          const [len, q] = leb(out, p);
          p = q + len;
        }
        const kind = out[p++]!;
        if (kind === 2) {
          if (out[p] !== 1) break;
          out[p] = 3;
          return out;
        }
        if (kind === 0) p = leb(out, p)[1];
        else if (kind === 1) {
          const flag = out[p + 1]!; // a table: reference type, then limits
          p = leb(out, p + 2)[1];
          if (flag & 1) p = leb(out, p)[1];
        } else p += 2; // a global: value type, mutability
      }
    }
    at = body + size;
  }
  throw new KeepdistError('wasm backend: expected the kernels to import a memory with a maximum, got none. Rebuild with scripts/build-wasm.mjs.');
}

/**
 * The module of `variant` (plain or shared memory), compiled once per process from the embedded
 * bytes, synchronously.
 */
export function kernelModule(shared: boolean, variant: KernelVariant): WebAssembly.Module {
  const key = `${variant}:${shared ? 'shared' : 'plain'}`;
  const known = compiled.get(key);
  if (known) return known;
  const bytes = variantBytes(variant);
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(shared ? sharedVariant(bytes) : bytes);
  } catch (e) {
    throw new KeepdistError(`wasm backend: expected WebAssembly with ${variant === 'relaxed-simd' ? 'relaxed SIMD' : 'SIMD'}, got a runtime that cannot compile the kernels (${(e as Error).message}). Use cpuBackend.`);
  }
  compiled.set(key, module);
  return module;
}

/** Instantiates the kernels of `variant` over `memory` (synchronously; a shared memory takes the shared module). */
export function instantiateKernels(memory: WebAssembly.Memory, variant: KernelVariant): Kernels {
  const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  const instance = new WebAssembly.Instance(kernelModule(shared, variant), { env: { memory } });
  const e = instance.exports as Record<string, (...args: number[]) => number>;
  const typed = (s: Suffix): TypedKernels => ({
    unary: e[`unary_${s}`]!, binary: e[`binary_${s}`]!, where: e[`where_${s}`]!, reduce: e[`reduce_${s}`]!,
    matmul: e[`matmul_${s}`]!, matmulScratch: e[`matmulScratch_${s}`]!, fill: e[`fill_${s}`]!,
    stridedCopy: e[`stridedCopy_${s}`]!, stridedScatter: e[`stridedScatter_${s}`]!, gather: e[`gather_${s}`]!,
    scatterAdd: e[`scatterAdd_${s}`]!, sort: e[`sort_${s}`]!, pairwisePack: e[`pairwisePack_${s}`]!,
    pairwiseGather: e[`pairwiseGather_${s}`]!, pairwiseShared: e[`pairwiseShared_${s}`]!, pairwisePrivate: e[`pairwisePrivate_${s}`]!,
    nearestPack: e[`nearestPack_${s}`]!, nearestShared: e[`nearestShared_${s}`]!, nearestPrivate: e[`nearestPrivate_${s}`]!,
  });
  return {
    f32: typed('f32'), f64: typed('f64'),
    castUp: e.cast_f32_f64!, castDown: e.cast_f64_f32!, zeroBytes: e.zeroBytes!, heapBase: e.heapBase!, exports: e,
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
