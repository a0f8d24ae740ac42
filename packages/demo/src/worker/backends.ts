/**
 * The worker's backends: which can run here (probed without loading gpu.js), which is fastest
 * for a run's size, and making one. The wasm backend is used when @keepdist/autograd exports
 * `createWasmBackend` (looked up at run time, so the demo builds with and without it).
 */
import * as autograd from '@keepdist/autograd';
import { KeepdistError, cpuBackend, createGpuBackend, type Backend, type DType } from '@keepdist/autograd';
import type { BackendId, BackendProbe } from '../protocol.js';

/** The wasm backend's factory when this build of @keepdist/autograd has one. */
function wasmFactory(): ((opts?: object) => Backend | Promise<Backend>) | null {
  const f: unknown = Reflect.get(autograd, 'createWasmBackend');
  return typeof f === 'function' ? (f as (opts?: object) => Backend | Promise<Backend>) : null;
}

/** Software rasterisers (no GPU): Chromium's SwiftShader, Mesa's llvmpipe. */
const SOFTWARE = /swiftshader|llvmpipe|software/i;

/** WebGPU: an adapter, and whether it is a fallback (software) one. */
async function probeWebGpu(): Promise<BackendProbe> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return { id: 'webgpu', available: false, detail: 'navigator.gpu is missing (not a secure context, or no WebGPU in this browser)', software: false };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { id: 'webgpu', available: false, detail: 'requestAdapter() found no adapter', software: false };
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
  return { id: 'webgpu', available: true, detail: name, software: Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter) || SOFTWARE.test(name) };
}

/** The slice of GPUAdapter the probe reads. */
interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

/** WebGL2 on an OffscreenCanvas (what gpu.js uses inside a worker), and its renderer. */
function probeWebGl2(): BackendProbe {
  if (typeof OffscreenCanvas === 'undefined') return { id: 'webgl2', available: false, detail: 'no OffscreenCanvas in this worker', software: false };
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return { id: 'webgl2', available: false, detail: 'no WebGL2 context', software: false };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { id: 'webgl2', available: true, detail: renderer, software: SOFTWARE.test(renderer) };
}

/** Every backend and whether it can run here. */
export async function probeBackends(): Promise<BackendProbe[]> {
  const wasm: BackendProbe = wasmFactory()
    ? { id: 'wasm', available: true, detail: 'createWasmBackend', software: false }
    : { id: 'wasm', available: false, detail: 'this build of @keepdist/autograd has no createWasmBackend', software: false };
  const cpu: BackendProbe = { id: 'cpu', available: true, detail: 'float64, JavaScript', software: false };
  return [wasm, await probeWebGpu(), probeWebGl2(), cpu];
}

/** gpu.js's browser build, loaded once from beside the worker (it sets the global `GPU` autograd looks for). */
let gpujsLoaded: Promise<unknown> | null = null;

/** Makes the backend `id` and the dtype the run uses on it (float64 where the backend stores it). */
export async function makeBackend(id: BackendId): Promise<{ backend: Backend; dtype: DType }> {
  let backend: Backend;
  if (id === 'cpu') backend = cpuBackend;
  else if (id === 'wasm') {
    const create = wasmFactory();
    if (!create) throw new KeepdistError('demo: expected @keepdist/autograd to export createWasmBackend, got none. Pick another backend.');
    backend = await create();
  } else {
    gpujsLoaded ??= import(/* @vite-ignore */ new URL('./gpu-browser.js', import.meta.url).href);
    await gpujsLoaded;
    backend = await createGpuBackend({ mode: id });
  }
  return { backend, dtype: backend.dtypes.includes('float64') ? 'float64' : 'float32' };
}

/** Releases a backend that holds device resources (gpu backends); the cpu backend has none. */
export async function releaseBackend(backend: Backend): Promise<void> {
  const destroy: unknown = Reflect.get(backend, 'destroy');
  if (typeof destroy === 'function') await (destroy as () => Promise<void>).call(backend);
}
