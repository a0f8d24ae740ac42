// What page.ts returns to browser.test.ts through page.evaluate (plain JSON-like data).

/** The gpu.js modes that only a browser provides. */
export type BrowserMode = 'webgl2' | 'webgl' | 'webgpu';

/** One case: the cpu reference and the gpu results (output, then one gradient per input). */
export interface BrowserCaseResult {
  name: string;
  /** cpuBackend, float32: [output, ...gradients]. */
  ref: number[][];
  /** The gpu backend, same layout; empty when it threw. */
  got: number[][];
  /** The gpu backend's error message, when it threw. */
  error?: string;
  /** Wall time on the gpu backend, ms (kernel compilation included). */
  ms: number;
  /** Kernels this case compiled (shapes not seen before). */
  newKernels: number;
}

/** Everything one mode produced. */
export interface BrowserModeResult {
  mode: BrowserMode;
  /** The backend's "not available here" message when the browser cannot provide the mode, else null. */
  unavailable: string | null;
  /** The backend's name, e.g. `gpu:webgl2`. */
  backend: string;
  cases: BrowserCaseResult[];
  /** backend.kernelModes(): kernel key → the mode that really ran it. */
  kernelModes: [string, string][];
  /** backend.fallbacks(), one line each. */
  fallbacks: string[];
  /** Wall time in the page, ms. */
  ms: number;
}

/** The backend's contract checks: each the error message, or null when it held. */
export interface BrowserChecks {
  /** exp([1, 2, 3]) on a `strict: true` backend of each mode. */
  strict: Record<BrowserMode, string | null>;
  /** createGpuBackend({ mode: 'webgl2' }) with gpu.js only as the page's global `GPU`. */
  loader: string | null;
  /** webgpu: reading a kernel's output whose input was garbage collected while the kernel compiled. */
  collected: string | null;
}

/** What page.ts installs as `globalThis.keepdist`. */
export interface BrowserEntry {
  /** Every case on `mode` and on cpuBackend. */
  run(mode: BrowserMode): Promise<BrowserModeResult>;
  /** The pairwiseSum cases on `mode` with `pairwiseGradient: 'fused'`, then `'tiles'`, and on cpuBackend. */
  paths(mode: BrowserMode): Promise<BrowserModeResult[]>;
  /** The contract checks, in one page. */
  checks(): Promise<BrowserChecks>;
}
