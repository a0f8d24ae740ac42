// `--backend` names → autograd backends.
import { cpuBackend, createGpuBackend, type Backend, type DType, type GpuMode } from '@keepdist/autograd';
import type { BackendName } from '../commonFlags.js';

/**
 * The autograd backend behind a bench backend name and the dtype runs use on it: the cpu backend in
 * float64, or the gpu.js backend in the named mode (float32; gpu.js loads only here).
 */
export async function resolveBackend(name: BackendName): Promise<{ backend: Backend; dtype: DType }> {
  if (name === 'cpu') return { backend: cpuBackend, dtype: 'float64' };
  return { backend: await createGpuBackend({ mode: name.slice('gpu:'.length) as GpuMode }), dtype: 'float32' };
}
