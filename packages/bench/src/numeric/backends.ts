// `--backend` names → autograd backends.
import { cpuBackend, createGpuBackend, createWasmBackend, wasmSupported, type Backend, type DType, type GpuMode } from '@keepdist/autograd';
import type { BackendName } from '../commonFlags.js';

/** The reason given for the `wasm` backends where this JavaScript engine has no WebAssembly SIMD. */
export const WASM_UNAVAILABLE = 'wasm: WebAssembly SIMD is not available in this JavaScript engine';

/**
 * The thread count a `wasm` backend name asks for: `wasm:1` → 1, `wasm:2` → 2, `wasm` → undefined
 * (the backend's own default).
 */
export function wasmThreads(name: BackendName): number | undefined {
  const m = /^wasm:(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The backends resolved so far, one per name for the whole process. */
const resolved = new Map<BackendName, Promise<{ backend: Backend; dtype: DType }>>();

/**
 * The autograd backend behind a bench backend name and the dtype runs use on it: the cpu backend in
 * float64; the wasm backend (threads from the name) in float64, where WebAssembly SIMD exists (an
 * Error saying {@link WASM_UNAVAILABLE} otherwise); or the gpu.js backend in the named
 * mode (float32; gpu.js loads only here). Each name is resolved once per process and every later call
 * gets the same backend: a wasm backend holds its own memory and worker threads, and a gpu backend its
 * compiled kernels, so one per method or case would pile up for the life of the process.
 */
export function resolveBackend(name: BackendName): Promise<{ backend: Backend; dtype: DType }> {
  let pending = resolved.get(name);
  if (!pending) {
    pending = createBackend(name);
    resolved.set(name, pending);
    pending.catch(() => resolved.delete(name)); // a failure is not cached: the next call tries again
  }
  return pending;
}

async function createBackend(name: BackendName): Promise<{ backend: Backend; dtype: DType }> {
  if (name === 'cpu') return { backend: cpuBackend, dtype: 'float64' };
  if (name === 'wasm' || name.startsWith('wasm:')) {
    if (!wasmSupported()) throw new Error(WASM_UNAVAILABLE);
    const threads = wasmThreads(name);
    const backend = createWasmBackend(threads === undefined ? {} : { threads });
    return { backend, dtype: 'float64' };
  }
  return { backend: await createGpuBackend({ mode: name.slice('gpu:'.length) as GpuMode }), dtype: 'float32' };
}
