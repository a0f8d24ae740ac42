/**
 * Which backend `auto` runs on, from the worker's probes and the run's size (no autograd import:
 * the page decides before a run's worker exists).
 */
import type { BackendId, BackendProbe } from './protocol.js';

/**
 * The backend auto picks: wasm when present; a hardware GPU when the pairwise work per step
 * (n² d) is large enough to pay for kernel launches; else the cpu backend. Software GPUs never.
 */
export function fastestBackend(probes: readonly BackendProbe[], n: number, d: number): BackendId {
  const usable = (id: BackendId): boolean => probes.some((p) => p.id === id && p.available && !p.software);
  if (usable('wasm')) return 'wasm';
  if (n * n * d >= 1 << 22) {
    for (const id of ['webgpu', 'webgl2'] as const) if (usable(id)) return id;
  }
  return 'cpu';
}
