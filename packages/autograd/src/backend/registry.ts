import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';
import { createWasmBackend, wasmSupported } from './wasm/index.js';

let current: Backend | null = null;

/**
 * The backend used when none was set: the wasm backend (SIMD kernels, one thread) where
 * WebAssembly SIMD exists (Node 20, current browsers), else the plain TypeScript cpu backend.
 * Made on first use, so importing the library instantiates no WebAssembly module.
 */
function defaultBackend(): Backend {
  return wasmSupported() ? createWasmBackend() : cpuBackend;
}

/** Makes `backend` the default for tensors created without an explicit `backend` option. */
export function setBackend(backend: Backend): void {
  current = backend;
}

/**
 * The backend new tensors go to by default: the one given to {@link setBackend}, else the wasm
 * backend where WebAssembly SIMD exists, else `cpuBackend`.
 */
export function getBackend(): Backend {
  return (current ??= defaultBackend());
}
