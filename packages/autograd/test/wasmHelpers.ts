// Shared by the wasm backend's tests: one backend, float32-exact random data, and comparisons
// of a wasm primitive's output with the cpu backend's on the same inputs.
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as ag from '@keepdist/autograd';
import type { Backend, DType, Storage } from '@keepdist/autograd';
import { compareArrays, tolerances } from '@keepdist/autograd/testing';

/** The backend under test. */
export const wasm = ag.createWasmBackend();

/** Whether this CPU has a fused multiply-add that V8 uses for relaxed_madd (x64 with FMA, arm64). */
export const cpuFuses = process.arch === 'arm64' || (process.arch === 'x64' && existsSync('/proc/cpuinfo') && /^flags\s*:.*\bfma\b/m.test(readFileSync('/proc/cpuinfo', 'utf8')));

/** Both dtypes. */
export const dtypes: readonly DType[] = ['float32', 'float64'];

/** float64 parity tolerance: the kernels differ from the cpu loops only in summation order. */
export const F64_RTOL = 1e-12;

/** Values in [min, max] that are exact in float32 (so both dtypes see the same numbers). */
export function valuesArb(n: number, min = -2, max = 2): fc.Arbitrary<number[]> {
  return fc.array(fc.double({ min, max, noNaN: true }).map(Math.fround).filter((v) => v >= min && v <= max), { minLength: n, maxLength: n });
}

/** The same data on cpu and wasm. */
export function both(data: ArrayLike<number>, dtype: DType): [Storage, Storage] {
  return [ag.cpuBackend.upload(data, dtype), wasm.upload(data, dtype)];
}

/** Reads a storage of either backend. */
export function read(b: Backend, s: Storage): number[] {
  return Array.from(b.readSync(s));
}

/**
 * Throws unless wasm's output equals cpu's: float64 within 1e-12 of the largest |value|,
 * float32 within the project's float32 tolerance; `exact` demands equal values (NaN equal NaN).
 */
export function expectSame(what: string, got: Storage, want: Storage, exact = false): void {
  const a = read(wasm, got), b = read(ag.cpuBackend, want);
  if (got.dtype !== want.dtype) throw new Error(`${what}: dtype ${got.dtype}, expected ${want.dtype}`);
  if (exact) {
    const bad = a.findIndex((v, i) => !Object.is(v, b[i]) && !(v === 0 && b[i] === 0));
    if (a.length !== b.length || bad >= 0) throw new Error(`${what}: at ${bad} got ${a[bad]}, expected ${b[bad]} (lengths ${a.length}, ${b.length})`);
    return;
  }
  const tol = want.dtype === 'float64' ? { rtol: F64_RTOL, zeroAtol: 1e-300 } : tolerances.float32;
  const r = compareArrays(a, b, tol.rtol, tol.zeroAtol);
  if (!r.ok) throw new Error(`${what} (${want.dtype}): max |a − b| = ${r.maxAbsError} > ${r.allowed} at ${r.worstIndex}: got ${a[r.worstIndex]}, expected ${b[r.worstIndex]}`);
}

/** Units in the last place of float32 at |v| (subnormal spacing at the bottom). */
export function ulp32(v: number): number {
  const a = Math.abs(v);
  if (!(a >= 2 ** -126)) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}
