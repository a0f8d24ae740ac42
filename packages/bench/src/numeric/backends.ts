// `--backend` names → autograd backends.
import { cpuBackend, type Backend, type DType } from '@keepdist/autograd';
import type { BackendName } from '../commonFlags';

/** The autograd backend behind a bench backend name and the dtype runs use on it. */
export async function resolveBackend(name: BackendName): Promise<{ backend: Backend; dtype: DType }> {
  if (name === 'cpu') return { backend: cpuBackend, dtype: 'float64' };
  const mode = name.slice('gpu:'.length);
  const ag = (await import('@keepdist/autograd')) as Record<string, unknown>;
  const create = ag['createGpuBackend'] as ((o: { mode: string }) => Promise<Backend>) | undefined;
  if (!create) throw new Error(`keepdist-bench: backend '${name}' needs the gpu.js backend of @keepdist/autograd, which this build lacks.`);
  return { backend: await create({ mode }), dtype: 'float32' };
}
