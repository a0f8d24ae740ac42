// `--backend` names → autograd backends.
import * as autograd from '@keepdist/autograd';
import { cpuBackend, createGpuBackend, type Backend, type DType, type GpuMode } from '@keepdist/autograd';
import type { BackendName } from '../commonFlags.js';

/** The reason given for the `wasm` backends when @keepdist/autograd does not export `createWasmBackend`. */
export const WASM_UNAVAILABLE = 'wasm: not available in this build';

/** The wasm backend's factory, looked up at run time so that the bench builds and runs with or without it. */
type CreateWasmBackend = (options?: { threads?: number }) => Backend | Promise<Backend>;

/**
 * The thread count a `wasm` backend name asks for: `wasm:1` → 1, `wasm:2` → 2, `wasm` → undefined
 * (the backend's own default).
 */
export function wasmThreads(name: BackendName): number | undefined {
  const m = /^wasm:(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/**
 * The autograd backend behind a bench backend name and the dtype runs use on it: the cpu backend in
 * float64; the wasm backend (threads from the name) in float64, when this build of @keepdist/autograd
 * has one (an Error saying {@link WASM_UNAVAILABLE} otherwise); or the gpu.js backend in the named
 * mode (float32; gpu.js loads only here).
 */
export async function resolveBackend(name: BackendName): Promise<{ backend: Backend; dtype: DType }> {
  if (name === 'cpu') return { backend: cpuBackend, dtype: 'float64' };
  if (name === 'wasm' || name.startsWith('wasm:')) {
    const create = (autograd as unknown as Record<string, unknown>)['createWasmBackend'];
    if (typeof create !== 'function') throw new Error(WASM_UNAVAILABLE);
    const threads = wasmThreads(name);
    const backend = await (create as CreateWasmBackend)(threads === undefined ? {} : { threads });
    return { backend, dtype: 'float64' };
  }
  return { backend: await createGpuBackend({ mode: name.slice('gpu:'.length) as GpuMode }), dtype: 'float32' };
}
