/**
 * gpu.js modes: which exist, which can run here, and the WebGPU set-up for Node.
 */
import { KeepdistError, OptionError } from '../../errors.js';
import { nodeRequire, type GpuJsModule } from './gpujs.js';

/** Modes a {@link GpuBackend} can be asked for; `auto` picks the best one available. */
export type GpuMode = 'auto' | 'webgpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'webasm' | 'cpu';

/** A concrete gpu.js mode (what `auto` resolves to). */
export type ResolvedGpuMode = Exclude<GpuMode, 'auto'>;

/** Every mode, best first: the order `auto` tries them in. */
export const gpuModes: readonly ResolvedGpuMode[] = ['webgpu', 'headlessgl', 'webgl2', 'webgl', 'webasm', 'cpu'];

/** Modes whose results live in device memory (textures, storage buffers) rather than host arrays. */
export function isDeviceMode(mode: ResolvedGpuMode): boolean {
  return mode !== 'webasm' && mode !== 'cpu';
}

/** Throws an OptionError unless `mode` is a known mode. */
export function checkMode(mode: unknown): GpuMode {
  if (mode === 'auto' || gpuModes.includes(mode as ResolvedGpuMode)) return mode as GpuMode;
  throw new OptionError(`GpuBackend: expected mode in ${['auto', ...gpuModes].join(', ')}, got '${String(mode)}'.`);
}

/**
 * Why `mode` cannot run here, from gpu.js's synchronous probes, or null when it can. For webgpu
 * this only sees `navigator.gpu`; {@link probeWebGPU} asks for an adapter.
 */
export function unavailableReason(gpujs: GpuJsModule, mode: ResolvedGpuMode): string | null {
  const G = gpujs.GPU;
  switch (mode) {
    case 'webgpu':
      return G.isWebGPUSupported ? null : 'navigator.gpu is missing; in Node, createGpuBackend() installs it from the webgpu package';
    case 'headlessgl':
      return G.isHeadlessGLSupported ? null : "the optional 'gl' package (headless-gl) is not installed, has no native build, or found no display (it needs X: run under xvfb-run)";
    case 'webgl2':
      return G.isWebGL2Supported ? null : 'no WebGL2 context (a browser feature)';
    case 'webgl':
      return G.isWebGLSupported ? null : 'no WebGL context (a browser feature)';
    case 'webasm':
      return G.isWebAssemblySupported ? null : 'WebAssembly is not supported by this runtime';
    case 'cpu':
      return null;
  }
}

/** The clear error for an explicitly requested mode that cannot run. */
export function unavailableError(mode: ResolvedGpuMode, reason: string): KeepdistError {
  return new KeepdistError(`gpu backend: mode '${mode}' is not available here (${reason}). Use mode 'auto' or 'webasm'.`);
}

/** Globals installed by {@link installNodeWebGPU}, so they can be removed again. */
export interface InstalledGlobals {
  /** Removes what was installed (the `navigator.gpu` reference keeps Node running otherwise). */
  uninstall(): void;
}

/**
 * The one Dawn instance of this process (`webgpu.create([])`), made on first use and reused by
 * every later install: a second instance made after the first was released crashes Dawn (create a
 * backend, destroy it, create another and run a kernel: a segfault or abort 3 times in 3 with
 * webgpu 0.6.2 on Node 20). Kept here once its devices are destroyed, it does not hold Node open.
 */
let dawnInstance: unknown = null;

/**
 * In Node without `navigator.gpu`, loads the `webgpu` package (a gpu.js dependency, pinned to 0.6.2
 * by the workspace's pnpm override) and installs `navigator.gpu` and its constants, as GPU.md's
 * recipe does (with this process's one Dawn instance). Returns null when nothing needed installing,
 * or a reason string on failure.
 */
export function installNodeWebGPU(): InstalledGlobals | null | string {
  const g = globalThis as Record<string, unknown> & { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return null;
  const req = nodeRequire();
  if (!req) return 'no navigator.gpu and no Node require to load the webgpu package';
  let webgpu: { create(flags: string[]): unknown; globals: Record<string, unknown> };
  try {
    const fromGpuJs = (req('module') as { createRequire(p: string): (id: string) => unknown }).createRequire(req.resolve('gpu.js'));
    webgpu = fromGpuJs('webgpu') as typeof webgpu;
  } catch (e) {
    return `the webgpu package failed to load: ${(e as Error).message.split('\n')[0]}`;
  }
  const added: string[] = [];
  for (const [k, v] of Object.entries(webgpu.globals)) {
    if (!(k in g)) {
      g[k] = v;
      added.push(k);
    }
  }
  const gpu = (dawnInstance ??= webgpu.create([]));
  const hadNavigator = g.navigator !== undefined;
  if (hadNavigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(g, 'navigator', { value: { gpu }, configurable: true, writable: true });
  return {
    uninstall(): void {
      if (hadNavigator) delete (g.navigator as { gpu?: unknown }).gpu;
      else delete g.navigator;
      for (const k of added) delete g[k];
    },
  };
}

/**
 * Asks for a WebGPU adapter (installing `navigator.gpu` in Node first). Resolves to the installed
 * globals (or null) when an adapter answers; throws the clear unavailable error otherwise.
 */
export async function probeWebGPU(gpujs: GpuJsModule): Promise<InstalledGlobals | null> {
  const installed = installNodeWebGPU();
  if (typeof installed === 'string') throw unavailableError('webgpu', installed);
  let ok = false;
  try {
    ok = await gpujs.GPU.isWebGPUAvailable();
  } catch {
    ok = false;
  }
  if (!ok) {
    installed?.uninstall();
    throw unavailableError('webgpu', 'navigator.gpu.requestAdapter() found no adapter');
  }
  return installed;
}
